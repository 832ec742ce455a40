import * as assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import type { OperationOutcome } from '../../../src/core/fhir/types';
import type { RunningSandbox } from '../../../src/core/sandbox';
import { appFields, appHeaders, call, sandbox } from './helpers';

/** curl's exit code and output (curl says how a transfer broke: 18 = cut short, 56 = reset). */
function curl(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile('curl', ['-sS', ...args], (err, stdout, stderr) => resolve({ code: err ? Number((err as { code?: number }).code ?? 1) : 0, stdout, stderr }));
  });
}

describe('sandbox: faults on demand', () => {
  let sb: RunningSandbox;
  let client: Record<string, string>;
  before(async () => {
    sb = await sandbox({ patients: 2, faults: [{ route: '/fhir/r4/Encounter', times: 1, fault: { kind: 'status', status: 500 } }] });
    client = appHeaders(sb);
  });
  after(() => sb.close());

  const fault = (f: unknown) => ({ ...client, 'x-sandbox-fault': JSON.stringify(f) });

  it('applies a rule given at start for as many requests as it says', async () => {
    const first = await call<OperationOutcome>(`${sb.url}/fhir/r4/Encounter`, { headers: client });
    assert.equal(first.status, 500);
    assert.equal(first.body.resourceType, 'OperationOutcome');
    assert.equal((await call(`${sb.url}/fhir/r4/Encounter`, { headers: client })).status, 200);
  });

  it('adds rules at run time: 503 with Retry-After twice, by path prefix, for one method', async () => {
    sb.addFault({ route: '/fhir/r4/Patient', method: 'GET', times: 2, fault: { kind: 'status', status: 503, retryAfter: '3' } });
    assert.equal(sb.pendingFaults(), 1, 'one rule waiting for its requests');
    for (let i = 0; i < 2; i++) {
      const a = await call(`${sb.url}/fhir/r4/Patient`, { headers: client });
      assert.equal(a.status, 503);
      assert.equal(a.headers.get('retry-after'), '3');
    }
    assert.equal(sb.pendingFaults(), 0, 'used up by its two requests');
    assert.equal((await call(`${sb.url}/fhir/r4/Patient`, { headers: client })).status, 200);
  });

  it('matches routes given as regular expressions', async () => {
    sb.addFault({ route: '^/fhir/r4/(Condition|Procedure)$', times: 2, fault: { kind: 'status', status: 429, retryAfter: '1' } });
    assert.equal((await call(`${sb.url}/fhir/r4/Observation`, { headers: client })).status, 200);
    assert.equal((await call(`${sb.url}/fhir/r4/Procedure`, { headers: client })).status, 429);
    assert.equal((await call(`${sb.url}/fhir/r4/Condition`, { headers: client })).status, 429);
    assert.equal((await call(`${sb.url}/fhir/r4/Condition`, { headers: client })).status, 200);
  });

  it('takes a one-request fault from the x-sandbox-fault header, shaped like the route\'s errors', async () => {
    const fhir = await call<OperationOutcome>(`${sb.url}/fhir/r4/Patient`, { headers: fault({ kind: 'status', status: 429, retryAfter: '7' }) });
    assert.equal(fhir.status, 429);
    assert.equal(fhir.headers.get('retry-after'), '7');
    assert.equal(fhir.body.issue![0].code, 'throttled');
    const um = await call<Record<string, string>>(`${sb.url}/user-management/v1/user?${new URLSearchParams(appFields(sb))}`,
      { headers: { 'x-sandbox-fault': '{"kind":"status","status":503}' } });
    assert.equal(um.status, 503);
    assert.equal(typeof um.body.error, 'string');
    const custom = await call(`${sb.url}/fhir/r4/Patient`, { headers: fault({ kind: 'status', status: 500, body: { error: 'boom' } }) });
    assert.deepEqual(custom.body, { error: 'boom' });
    const bad = await call(`${sb.url}/fhir/r4/Patient`, { headers: fault({ kind: 'explode' }) });
    assert.equal(bad.status, 400);
  });

  it('delays an answer by the latency asked for', async () => {
    const a = await call(`${sb.url}/fhir/r4/Patient?_count=1`, { headers: fault({ kind: 'latency', ms: 150 }) });
    assert.equal(a.status, 200);
    const logged = sb.state.calls().filter((c) => c.path === '/fhir/r4/Patient').at(-1)!;
    assert.ok(logged.ms >= 150, `logged ${logged.ms} ms`);
  });

  it('resets the connection part-way through a body', async () => {
    await assert.rejects(async () => {
      const res = await fetch(`${sb.url}/fhir/r4/Observation?_count=50`, { headers: fault({ kind: 'reset', afterBytes: 100 }) });
      assert.equal(res.status, 200);
      await res.text();
    });
    const c = await curl([`${sb.url}/fhir/r4/Observation?_count=50`, '-H', `x-sandbox-fault: {"kind":"reset","afterBytes":100}`,
      '-H', `client_id: ${client.client_id}`, '-H', `client_secret: ${client.client_secret}`, '-H', 'x-oneup-user-id: client']);
    assert.equal(c.code, 56, c.stderr);
  });

  it('truncates a body: Content-Length promises more than is sent, then the connection closes', async () => {
    const c = await curl([`${sb.url}/fhir/r4/Observation?_count=50`, '-H', `x-sandbox-fault: {"kind":"truncate","afterBytes":64}`,
      '-H', `client_id: ${client.client_id}`, '-H', `client_secret: ${client.client_secret}`, '-H', 'x-oneup-user-id: client']);
    assert.equal(c.code, 18, c.stderr);
    assert.match(c.stderr, /bytes remaining/);
    assert.equal(Buffer.byteLength(c.stdout), 64);
  });

  it('cuts export file downloads too, and answers an expired file with 410', async () => {
    const m = (await call<{ output: { url: string }[] }>(`${sb.url}/bulk-data/r4/$export?_type=Observation`, { headers: client })).body;
    const url = m.output[0].url;
    sb.addFault({ route: '/bulk-data/r4/$export/', fault: { kind: 'truncate', afterBytes: 1000 } });
    const cut = await curl([url, '-H', `client_id: ${client.client_id}`, '-H', `client_secret: ${client.client_secret}`, '-H', 'x-oneup-user-id: client']);
    assert.equal(cut.code, 18, cut.stderr);
    assert.equal(Buffer.byteLength(cut.stdout), 1000);
    const whole = await call(url, { headers: client });
    assert.ok(Buffer.byteLength(whole.text) > 1000);
    const expired = await call<OperationOutcome>(url, { headers: fault({ kind: 'expired' }) });
    assert.equal(expired.status, 410);
    assert.equal(expired.body.issue![0].code, 'expired');
  });
});
