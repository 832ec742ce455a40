import * as assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import type { OperationOutcome, Resource } from '../../../src/core/fhir/types';
import type { RunningSandbox } from '../../../src/core/sandbox';
import { appHeaders, bearer, call, sandbox, sleep, tokensFor } from './helpers';
import type { UserTokens } from './helpers';

const run = promisify(execFile);

interface Manifest {
  transactionTime: string;
  request: string;
  requiresAccessToken: boolean;
  output: { type: string; url: string; count?: number }[];
  error?: unknown[];
}

function lines(ndjson: string): Resource[] {
  return ndjson.split('\n').filter(Boolean).map((l) => JSON.parse(l) as Resource);
}

describe('sandbox: bulk export', () => {
  let sb: RunningSandbox;
  let user: UserTokens;
  let client: Record<string, string>;
  before(async () => {
    sb = await sandbox({ patients: 5, exportMaxResourcesPerFile: 200 });
    user = await tokensFor(sb, 'demo-user-2');
    client = appHeaders(sb);
  });
  after(() => sb.close());

  it('answers the kick-off directly with the manifest, and one user\'s token exports that user\'s data', async () => {
    const a = await call<Manifest>(`${sb.url}/bulk-data/r4/$export?_type=Patient,Observation`, { headers: bearer(user.access) });
    assert.equal(a.status, 200);
    const m = a.body;
    assert.equal(m.requiresAccessToken, true);
    assert.equal(m.error, undefined, 'production sends no empty error list');
    assert.ok(!Number.isNaN(Date.parse(m.transactionTime)));
    assert.equal(m.request, `${sb.url}/bulk-data/r4/$export?_type=Patient,Observation`);
    assert.deepEqual([...new Set(m.output.map((o) => o.type))].sort(), ['Observation', 'Patient']);
    const patientFile = m.output.find((o) => o.type === 'Patient')!;
    const patients = lines((await call(patientFile.url, { headers: bearer(user.access) })).text);
    assert.deepEqual(patients.map((p) => p.id), sb.state.user('demo-user-2')!.patientIds);
    for (const o of m.output) {
      const file = await call(o.url, { headers: bearer(user.access) });
      assert.equal(file.headers.get('content-type'), 'application/fhir+ndjson');
      assert.ok(lines(file.text).every((r) => r.resourceType === o.type));
    }
  });

  it('exports every user\'s data with the app\'s credentials, splitting types into files of at most N resources', async () => {
    const m = (await call<Manifest>(`${sb.url}/bulk-data/r4/$export?_type=Patient,Observation`, { headers: client })).body;
    const obsFiles = m.output.filter((o) => o.type === 'Observation');
    assert.ok(obsFiles.length > 1);
    const counts = await Promise.all(obsFiles.map(async (o) => lines((await call(o.url, { headers: client })).text).length));
    assert.ok(counts.every((n) => n <= 200), counts.join(', '));
    const patients = lines((await call(m.output.find((o) => o.type === 'Patient')!.url, { headers: client })).text);
    assert.equal(patients.length, sb.state.patientCount());
    const total = (await call<{ total: number }>(`${sb.url}/fhir/r4/Observation?_summary=count`, { headers: client })).body.total;
    assert.equal(counts.reduce((n, c) => n + c, 0), total);
  });

  it('exports every type with data when _type is absent, and only newer records with _since', async () => {
    const all = (await call<Manifest>(`${sb.url}/bulk-data/r4/$export`, { headers: bearer(user.access) })).body;
    const types = new Set(all.output.map((o) => o.type));
    for (const t of ['Patient', 'Encounter', 'Observation', 'Immunization', 'Organization']) assert.ok(types.has(t), t);
    const since = (await call<Manifest>(`${sb.url}/bulk-data/r4/$export?_since=2030-01-01T00:00:00Z`, { headers: bearer(user.access) })).body;
    assert.deepEqual(since.output, []);
  });

  it('refuses an unknown _type with an OperationOutcome', async () => {
    const a = await call<OperationOutcome>(`${sb.url}/bulk-data/r4/$export?_type=Patient,Starship`, { headers: client });
    assert.equal(a.status, 400);
    assert.equal(a.body.resourceType, 'OperationOutcome');
    assert.match(a.body.issue![0].diagnostics!, /Starship/);
  });

  it('polls an async export: 202 + Content-Location, then 200 with the manifest', async () => {
    const kick = await call(`${sb.url}/bulk-data/r4/$export?_type=Observation`, { headers: { ...client, 'x-sandbox-export-style': 'async' } });
    assert.equal(kick.status, 202);
    const status = kick.headers.get('content-location')!;
    assert.ok(status.startsWith(`${sb.url}/bulk-data/r4/`));
    let answer = await call<Manifest>(status, { headers: client });
    for (let i = 0; answer.status === 202 && i < 100; i++) {
      assert.match(String(answer.headers.get('x-progress')), /%/);
      assert.ok(Number(answer.headers.get('retry-after')) >= 1);
      await sleep(20);
      answer = await call<Manifest>(status, { headers: client });
    }
    assert.equal(answer.status, 200);
    assert.ok(answer.body.output.length > 0);
    assert.equal((await call(status, { headers: bearer(user.access) })).status, 404, 'another caller cannot poll it');
  });

  it('cancels with DELETE on the status URL (202), after which it is gone', async () => {
    const kick = await call(`${sb.url}/bulk-data/r4/$export`, { headers: { ...client, 'x-sandbox-export-style': 'async' } });
    const status = kick.headers.get('content-location')!;
    const del = await call<OperationOutcome>(status, { method: 'DELETE', headers: client });
    assert.equal(del.status, 202);
    assert.equal((await call(status, { headers: client })).status, 404);
    assert.ok(!sb.state.exports().some((e) => status.endsWith(e.id)));
  });

  it('needs the token for files, and serves byte ranges', async () => {
    const m = (await call<Manifest>(`${sb.url}/bulk-data/r4/$export?_type=Encounter`, { headers: bearer(user.access) })).body;
    const url = m.output[0].url;
    assert.equal((await call<OperationOutcome>(url)).status, 401);
    const other = await tokensFor(sb, 'demo-user-3');
    assert.equal((await call(url, { headers: bearer(other.access) })).status, 403);
    const whole = await call(url, { headers: bearer(user.access) });
    assert.equal(whole.headers.get('accept-ranges'), 'bytes');
    const size = Buffer.byteLength(whole.text);
    const part = await call(url, { headers: { ...bearer(user.access), range: 'bytes=10-29' } });
    assert.equal(part.status, 206);
    assert.equal(part.headers.get('content-range'), `bytes 10-29/${size}`);
    assert.equal(part.text, Buffer.from(whole.text).subarray(10, 30).toString());
    const tail = await call(url, { headers: { ...bearer(user.access), range: 'bytes=-5' } });
    assert.equal(tail.text, Buffer.from(whole.text).subarray(size - 5).toString());
    const beyond = await call(url, { headers: { ...bearer(user.access), range: `bytes=${size}-` } });
    assert.equal(beyond.status, 416);
    assert.equal(beyond.headers.get('content-range'), `bytes */${size}`);
    const { stdout } = await run('curl', ['-s', '-r', '0-9', url, '-H', `Authorization: Bearer ${user.access}`]);
    assert.equal(stdout, Buffer.from(whole.text).subarray(0, 10).toString());
  });

  it('serves DSTU2 exports in DSTU2 shapes', async () => {
    const m = (await call<Manifest>(`${sb.url}/bulk-data/dstu2/$export?_type=MedicationOrder`, { headers: client })).body;
    assert.ok(m.output.length > 0);
    const orders = lines((await call(m.output[0].url, { headers: client })).text);
    assert.ok(orders.every((o) => o.resourceType === 'MedicationOrder' && o.patient));
  });
});

describe('sandbox: export files expire', () => {
  let sb: RunningSandbox;
  before(async () => { sb = await sandbox({ patients: 1, exportRetentionSeconds: 0.2 }); });
  after(() => sb.close());

  it('answers 410 once an export\'s files are past their retention', async () => {
    const client = appHeaders(sb);
    const m = (await call<Manifest>(`${sb.url}/bulk-data/r4/$export?_type=Patient`, { headers: client })).body;
    await sleep(300);
    const gone = await call<OperationOutcome>(m.output[0].url, { headers: client });
    assert.equal(gone.status, 410);
    assert.equal(gone.body.issue![0].code, 'expired');
  });
});

describe('sandbox: export throttling', () => {
  let sb: RunningSandbox;
  before(async () => { sb = await sandbox({ patients: 300 }); });
  after(() => sb.close());

  it('asks to slow down (429 + Retry-After) while three exports of the same caller run', async () => {
    const headers = { ...appHeaders(sb), 'x-sandbox-export-style': 'async' };
    const running: string[] = [];
    for (let i = 0; i < 3; i++) {
      const kick = await call(`${sb.url}/bulk-data/r4/$export`, { headers });
      assert.equal(kick.status, 202);
      running.push(kick.headers.get('content-location')!);
    }
    const fourth = await call<OperationOutcome>(`${sb.url}/bulk-data/r4/$export`, { headers });
    assert.equal(fourth.status, 429);
    assert.ok(Number(fourth.headers.get('retry-after')) > 0);
    assert.equal(fourth.body.issue![0].code, 'throttled');
    for (const status of running) assert.equal((await call(status, { method: 'DELETE', headers })).status, 202);
    assert.equal((await call(`${sb.url}/bulk-data/r4/$export?_type=Patient`, { headers })).status, 202);
  });
});
