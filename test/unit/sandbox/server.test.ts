import * as assert from 'node:assert/strict';
import { request } from 'node:http';
import type { Logger } from '../../../src/core/log';
import type { RunningSandbox } from '../../../src/core/sandbox';
import { parseArgs } from '../../../src/core/sandbox/cli';
import { appFields, bearer, call, post, sandbox, tokensFor } from './helpers';

function collecting(): Logger & { lines: string[] } {
  const lines: string[] = [];
  const add = (m: string | Error) => { lines.push(String(m)); };
  return { lines, trace: add, debug: add, info: add, warn: add, error: add };
}

describe('sandbox: server', () => {
  let sb: RunningSandbox;
  const log = collecting();
  before(async () => { sb = await sandbox({ logger: log }); });
  after(() => sb.close());

  it('listens on 127.0.0.1 only', () => {
    assert.match(sb.url, /^http:\/\/127\.0\.0\.1:\d+$/);
  });

  it('logs one line per request: method, path without query, status, time; never a secret', async () => {
    const t = await tokensFor(sb, 'demo-user-1');
    await call(`${sb.url}/fhir/r4/Patient?_content=secret-search`, { headers: bearer(t.access) });
    assert.ok(log.lines.some((l) => /^GET \/fhir\/r4\/Patient → 200 in \d+ ms$/.test(l)), log.lines.join('\n'));
    assert.ok(log.lines.some((l) => /^POST \/fhir\/oauth2\/token → 200 in \d+ ms$/.test(l)));
    const all = log.lines.join('\n');
    for (const secret of [sb.credentials.clientSecret, t.access, t.refresh, 'secret-search']) assert.ok(!all.includes(secret), secret);
    assert.deepEqual(sb.state.calls().at(-1)!.path, '/fhir/r4/Patient');
  });

  it('refuses other Host names (no DNS rebinding), unknown paths and wrong methods', async () => {
    const status = await new Promise<number>((resolve, reject) => {
      const req = request(`${sb.url}/`, { headers: { host: 'evil.example:80' } }, (res) => { res.resume(); resolve(res.statusCode!); });
      req.on('error', reject);
      req.end();
    });
    assert.equal(status, 421);
    assert.equal((await call(`${sb.url}/nowhere`)).status, 404);
    const wrong = await call(`${sb.url}/user-management/v1/user`, { method: 'DELETE' });
    assert.equal(wrong.status, 405);
    assert.match(String(wrong.headers.get('allow')), /GET/);
  });

  it('reads form fields sent as multipart/form-data', async () => {
    const form = new FormData();
    for (const [k, v] of Object.entries({ ...appFields(sb), app_user_id: 'multipart-user' })) form.append(k, v);
    const a = await call<Record<string, unknown>>(`${sb.url}/user-management/v1/user`, { method: 'POST', body: form });
    assert.equal(a.status, 200);
    assert.equal(a.body.app_user_id, 'multipart-user');
  });

  it('describes itself at the root and in metadata', async () => {
    const root = await call<Record<string, string>>(`${sb.url}/`);
    assert.equal(root.body.token, `${sb.url}/fhir/oauth2/token`);
    const cap = await call<Record<string, unknown>>(`${sb.url}/fhir/r4/metadata`);
    assert.equal(cap.body.resourceType, 'CapabilityStatement');
    assert.equal(cap.body.fhirVersion, '4.0.1');
    assert.equal((await call<Record<string, unknown>>(`${sb.url}/fhir/dstu2/metadata`)).body.resourceType, 'Conformance');
  });

  it('keeps users of another app apart', async () => {
    const two = await sandbox({ patients: 1, apps: [{ clientId: 'app-one', clientSecret: 'secret-one' }, { clientId: 'app-two', clientSecret: 'secret-two' }] });
    try {
      const created = await post<Record<string, unknown>>(`${two.url}/user-management/v1/user`, { client_id: 'app-two', client_secret: 'secret-two', app_user_id: 'only-in-two' });
      assert.equal(created.status, 200);
      const one = await call<{ entry: { app_user_id: string }[] }>(`${two.url}/user-management/v1/user?client_id=app-one&client_secret=secret-one`);
      assert.ok(!one.body.entry.some((u) => u.app_user_id === 'only-in-two'));
      const cross = await post(`${two.url}/user-management/v1/user/auth-code`, { client_id: 'app-one', client_secret: 'secret-one', app_user_id: 'only-in-two' });
      assert.equal(cross.status, 404);
    } finally {
      await two.close();
    }
  });
});

describe('sandbox: CLI flags', () => {
  it('parses every flag into options', () => {
    const { options, quiet } = parseArgs(['--port', '4010', '--seed=9', '--patients', '10000', '--data-dir', '/tmp/x', '--export-style', 'async',
      '--token-lifetime', '60', '--export-file-max', '5000', '--rate-limit', '0', '--client-id', 'id', '--client-secret', 'secret-value', '--quiet',
      '--fault', '{"route":"/fhir","fault":{"kind":"latency","ms":5}}', '--mode', 'spec']);
    assert.deepEqual(options, {
      port: 4010, seed: 9, patients: 10000, dataDir: '/tmp/x', exportStyle: 'async', tokenLifetimeSeconds: 60, exportMaxResourcesPerFile: 5000,
      rateLimitPerHour: 0, apps: [{ clientId: 'id', clientSecret: 'secret-value', name: 'Sandbox demo app' }],
      faults: [{ route: '/fhir', fault: { kind: 'latency', ms: 5 } }], mode: 'spec',
    });
    assert.equal(quiet, true);
  });

  it('names the flag that is wrong', () => {
    assert.throws(() => parseArgs(['--patients', 'many']), /--patients/);
    assert.throws(() => parseArgs(['--export-style', 'sometimes']), /--export-style/);
    assert.throws(() => parseArgs(['--mode', 'fhir']), /--mode is production or spec/);
    assert.throws(() => parseArgs(['--colour']), /unknown flag --colour/);
    assert.throws(() => parseArgs(['--port']), /--port needs a value/);
  });
});
