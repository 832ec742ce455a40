import * as assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import * as path from 'node:path';
import { listExports, startBulkExport } from '../../../src/core/bulkExport';
import { type ExportRig, serverFile, sha256, startExportRig } from './helpers';

// production-shaped file URLs: {bulk}/r4/$export/{Type}/{signed token}.ndjson
const FILES = '^/bulk-data/r4/\\$export/[A-Za-z]+/';
const STATUS = '^/bulk-data/r4/\\$export-status/';
const KICKOFF = '^/bulk-data/r4/\\$export$';
// an Observation file: big enough (~2 MB) to break off in the middle
const BIG_FILE = '^/bulk-data/r4/\\$export/Observation/';

describe('bulk export: faults on the way', () => {
  let direct: ExportRig;
  let async_: ExportRig;
  before(async () => {
    direct = await startExportRig({ exportStyle: 'direct', exportMaxResourcesPerFile: 2000 });
    async_ = await startExportRig({ exportStyle: 'async' });
  });
  after(async () => {
    await direct.close();
    await async_.close();
  });

  /** Exports Patient and Observation and checks each file against the server's copy. */
  async function exportAndCompare(rig: ExportRig, extra = {}) {
    const before = rig.calls().length;
    const r = await startBulkExport(rig.workspace, { version: 'r4', scope: { kind: 'app' }, types: ['Patient', 'Observation'] }, rig.options(extra));
    assert.ok(r.summary.complete, JSON.stringify(r.summary.errors));
    const manifest = JSON.parse(await readFile(path.join(r.folder, 'manifest.json'), 'utf8')) as { output: { url: string }[] };
    for (const [i, f] of r.summary.files.entries()) {
      assert.equal(await sha256(path.join(r.folder, f.name)), await sha256(await serverFile(rig.dataDir, manifest.output[i].url)), f.name);
    }
    return { r, calls: rig.calls().slice(before) };
  }

  it('slows down on a 429 at kick-off and goes on', async () => {
    direct.sb.addFault({ route: KICKOFF, fault: { kind: 'status', status: 429, retryAfter: '1' } });
    const { calls } = await exportAndCompare(direct);
    assert.deepEqual(calls.filter((c) => c.includes('$export ')).map((c) => c.slice(-3)), ['429', '200']);
  });

  it('a refused kick-off fails with the server\'s answer and leaves no export folder behind', async () => {
    const before = await listExports(direct.workspace);
    direct.sb.addFault({ route: KICKOFF, fault: { kind: 'status', status: 403 } });
    await assert.rejects(startBulkExport(direct.workspace, { version: 'r4', scope: { kind: 'app' } }, direct.options()), { name: 'ApiError', status: 403 });
    assert.deepEqual(await listExports(direct.workspace), before);
  });

  it('rides out 503 + Retry-After while polling', async () => {
    async_.sb.addFault({ route: STATUS, method: 'GET', fault: { kind: 'status', status: 503, retryAfter: '0' }, times: 2 });
    const { calls } = await exportAndCompare(async_);
    const statuses = calls.filter((c) => c.includes('$export-status')).map((c) => c.slice(-3));
    assert.deepEqual(statuses.filter((s) => s !== '202'), ['503', '503', '200']);
  });

  it('clamps an absurd Retry-After (an HTTP date decades away, a huge number of seconds)', async () => {
    for (const [status, retryAfter] of [[503, 'Wed, 21 Oct 2099 07:28:00 GMT'], [429, '999999999']] as const) {
      async_.sb.addFault({ route: STATUS, method: 'GET', fault: { kind: 'status', status, retryAfter } });
      // with the ceiling at 0 s, an unclamped wait would outlast the test's timeout by years
      const { calls } = await exportAndCompare(async_, { maxPollWaitSeconds: 0 });
      assert.deepEqual(calls.filter((c) => c.includes('$export-status')).map((c) => c.slice(-3)).filter((x) => x !== '202'), [String(status), '200']);
    }
  });

  it('polls again after a 500 whose OperationOutcome says transient', async () => {
    async_.sb.addFault({
      route: STATUS, method: 'GET', times: 1,
      fault: { kind: 'status', status: 500, body: { resourceType: 'OperationOutcome', issue: [{ severity: 'error', code: 'transient', diagnostics: 'busy' }] } },
    });
    const { calls } = await exportAndCompare(async_);
    const statuses = calls.filter((c) => c.includes('$export-status')).map((c) => c.slice(-3));
    assert.deepEqual(statuses.filter((s) => s !== '202'), ['500', '200']);
  });

  it('fails with the server\'s words on a 500 that is not transient', async () => {
    async_.sb.addFault({
      route: STATUS, method: 'GET', times: 1,
      fault: { kind: 'status', status: 500, body: { resourceType: 'OperationOutcome', issue: [{ severity: 'fatal', code: 'exception', diagnostics: 'export job crashed' }] } },
    });
    await assert.rejects(startBulkExport(async_.workspace, { version: 'r4', scope: { kind: 'app' }, types: ['Patient'] }, async_.options()),
      { name: 'ApiError', message: /export job crashed/ });
  });

  for (const kind of ['reset', 'truncate'] as const) {
    it(`resumes a file whose connection is ${kind === 'reset' ? 'reset' : 'closed early'} mid-way with Range`, async () => {
      // the file comes gzip-encoded (~20x smaller): cut it early in its compressed bytes
      direct.sb.addFault({ route: BIG_FILE, fault: { kind, afterBytes: 30_000 } });
      const { calls } = await exportAndCompare(direct);
      const byPath = new Map<string, string[]>();
      for (const c of calls.filter((x) => x.startsWith('GET /bulk-data/r4/$export/'))) {
        const [target, status] = c.split(' → ');
        byPath.set(target, [...(byPath.get(target) ?? []), status]);
      }
      const twice = [...byPath.values()].filter((s) => s.length > 1);
      assert.deepEqual(twice, [['200', '206']], 'one file broke off and was resumed with Range (of the plain file)');
    });
  }

  it('says clearly that an expired file (410) needs a new export, and keeps the others', async () => {
    direct.sb.addFault({ route: FILES, fault: { kind: 'expired' } });
    const r = await startBulkExport(direct.workspace, { version: 'r4', scope: { kind: 'app' }, types: ['Patient', 'Observation'] }, direct.options());
    assert.equal(r.summary.complete, false);
    assert.equal(r.summary.errors.length, 1);
    assert.match(r.summary.errors[0].message, /expired on the server \(410 Gone\).*start a new export/);
    assert.equal(r.summary.files.length, direct.sb.state.exports().at(-1)!.files.length - 1);
  });

  it('keeps a key the server echoes in a refusal out of the summary, on disk and in memory', async () => {
    const secret = direct.sb.credentials.clientSecret;
    direct.sb.addFault({ route: FILES, fault: { kind: 'status', status: 403, body: { error: `the key ${secret} may not read this file` } } });
    const r = await startBulkExport(direct.workspace, { version: 'r4', scope: { kind: 'app' }, types: ['Patient'] }, direct.options());
    assert.equal(r.summary.complete, false);
    assert.match(r.summary.errors[0].message, /may not read this file/, 'the server\'s words are kept');
    assert.ok(!r.summary.errors[0].message.includes(secret), r.summary.errors[0].message);
    const onDisk = await readFile(path.join(r.folder, 'summary.json'), 'utf8');
    assert.match(onDisk, /may not read this file/);
    assert.ok(!onDisk.includes(secret), 'summary.json holds no key');
  });

  it('refreshes an access token that expired during a long download and resumes the file', async () => {
    const rig = await startExportRig({ exportStyle: 'direct', tokenLifetimeSeconds: 1, exportMaxResourcesPerFile: 2000 }, { refreshAheadSeconds: 0 });
    try {
      const user = rig.sb.state.user('demo-user-1')!;
      const tokens = rig.client.tokenManager({ oneupUserId: user.oneupUserId });
      rig.sb.addFault({ route: FILES, fault: { kind: 'reset', afterBytes: 500 } });
      // the backoff after the reset (≥ 1.2 s) outlasts the 1 s token
      const r = await startBulkExport(rig.workspace, { version: 'r4', scope: { kind: 'user', oneupUserId: user.oneupUserId }, types: ['Patient'] },
        rig.options({ tokens, retryBaseMs: 2400 }));
      assert.ok(r.summary.complete, JSON.stringify(r.summary.errors));
      const calls = rig.calls();
      const reset = calls.findIndex((c) => c.startsWith('GET /bulk-data/r4/$export/'));
      const resumed = calls.findIndex((c, i) => i > reset && c.startsWith('GET /bulk-data/r4/$export/'));
      assert.ok(calls.slice(reset, resumed).some((c) => /POST \/fhir\/oauth2\/token → 200/.test(c)), calls.join('\n'));
      assert.ok(calls[resumed].endsWith('206'), calls[resumed]);
    } finally {
      await rig.close();
    }
  });
});
