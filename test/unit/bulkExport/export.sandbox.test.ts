import * as assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import * as path from 'node:path';
import { type ExportSummary, listExportFiles, listExports, startBulkExport } from '../../../src/core/bulkExport';
import { type ExportRig, serverFile, serverName, sha256, startExportRig, walk } from './helpers';

async function checkWholeExport(rig: ExportRig, style: string, counted: boolean): Promise<void> {
  const r = await startBulkExport(rig.workspace, { version: 'r4', scope: { kind: 'app' } }, rig.options());
  assert.ok(r.summary.complete, JSON.stringify(r.summary.errors));
  const manifest = JSON.parse(await readFile(path.join(r.folder, 'manifest.json'), 'utf8')) as { output: { type: string; url: string; count?: number }[] };
  assert.ok(manifest.output.length >= 8, `several files (${manifest.output.length})`);
  assert.equal(manifest.output.every((e) => e.count !== undefined), counted, counted ? 'the spec shape announces counts' : 'production announces none');
  const job = rig.sb.state.exports().at(-1)!;
  const seen = new Map<string, number>();
  let total = 0;
  for (const [i, entry] of manifest.output.entries()) {
    const n = (seen.get(entry.type) ?? 0) + 1;
    seen.set(entry.type, n);
    const name = n === 1 ? `${entry.type}.ndjson` : `${entry.type}-${n}.ndjson`;
    const served = job.files.find((f) => f.name === serverName(entry.url).name)!;
    assert.deepEqual(r.summary.files[i], { name, type: entry.type, kind: 'data', resources: served.count, bytes: served.bytes });
    assert.equal(await sha256(path.join(r.folder, name)), await sha256(await serverFile(rig.dataDir, entry.url)), `${style}: ${name}`);
    total += served.count;
  }
  const summary = JSON.parse(await readFile(path.join(r.folder, 'summary.json'), 'utf8')) as ExportSummary;
  assert.equal(summary.resources, total);
  assert.equal(summary.byType.Patient.resources, rig.sb.state.patientCount());
  const gitignore = await readFile(path.join(rig.workspace, '.1uphealth', 'exports', '.gitignore'), 'utf8');
  assert.ok(gitignore.split('\n').includes('*'), 'exports are kept out of git');
  assert.equal(path.dirname(path.dirname(r.folder)), path.join(rig.workspace, '.1uphealth', 'exports'));
  assert.equal(path.basename(path.dirname(r.folder)), 'Local_Sandbox');
  assert.deepEqual((await walk(r.folder)).filter((f) => f.endsWith('.part') || f.endsWith('.tmp')), []);
}

describe('bulk export against the sandbox', () => {
  let direct: ExportRig;
  let async_: ExportRig;
  before(async () => {
    direct = await startExportRig({ exportStyle: 'direct' });
    async_ = await startExportRig({ exportStyle: 'async', exportRetryAfterSeconds: 1, patients: 60, exportMaxResourcesPerFile: 2000, exportManifest: 'spec' });
  });
  after(async () => {
    await direct.close();
    await async_.close();
  });

  it('downloads every file of a production-shaped direct answer (no counts) byte for byte, as Type.ndjson, Type-2.ndjson…', () => checkWholeExport(direct, 'direct', false));
  it('downloads every file of a spec-shaped async answer byte for byte, checking the announced counts', () => checkWholeExport(async_, 'async', true));

  it('takes the manifest from a direct 200 without polling', async () => {
    const o = direct.options();
    const r = await startBulkExport(direct.workspace, { version: 'r4', scope: { kind: 'app' }, types: ['Patient'] }, o);
    assert.equal(r.summary.files.length, 1);
    assert.equal(direct.calls('$export-status').length, 0);
    assert.deepEqual([...new Set(o.events.map((e) => e.phase))], ['kick-off', 'downloading', 'verifying', 'done']);
  });

  it('polls a 202 until the manifest is ready, waiting as Retry-After says and showing X-Progress', async () => {
    const o = async_.options({ minPollMs: 0 });
    const before = async_.calls().length;
    const t0 = Date.now();
    // every type of 60 patients takes the sandbox a moment to write: the first poll finds it running
    const r = await startBulkExport(async_.workspace, { version: 'r4', scope: { kind: 'app' } }, o);
    assert.ok(r.summary.complete);
    const polls = async_.calls().slice(before).filter((c) => /^GET \/bulk-data\/r4\/\$export-status\//.test(c));
    assert.ok(polls.length >= 2 && polls[0].endsWith('202') && polls[polls.length - 1].endsWith('200'), polls.join('\n'));
    assert.ok(o.events.some((e) => e.phase === 'waiting' && /\d+%/.test(e.message ?? '')), 'X-Progress shown');
    assert.ok(Date.now() - t0 >= 950, 'waited the 1 s Retry-After between polls');
  });

  it('sends _type and _since, and refuses unknown types before sending anything', async () => {
    const before = direct.calls('$export').length;
    await assert.rejects(startBulkExport(direct.workspace, { version: 'r4', scope: { kind: 'app' }, types: ['Patient', 'Nonsense'] }, direct.options()),
      { name: 'InputError', message: /Nonsense/ });
    await assert.rejects(startBulkExport(direct.workspace, { version: 'r4', scope: { kind: 'app' }, since: 'yesterday' }, direct.options()),
      { name: 'InputError', message: /_since/ });
    assert.equal(direct.calls('$export').length, before);
    const r = await startBulkExport(direct.workspace, { version: 'r4', scope: { kind: 'app' }, types: ['Observation'], since: '2999-01-01T00:00:00Z' }, direct.options());
    assert.equal(r.summary.resources, 0, 'nothing changed since the future');
    const manifest = JSON.parse(await readFile(path.join(r.folder, 'manifest.json'), 'utf8')) as { request: string };
    assert.match(manifest.request, /_type=Observation/);
    assert.match(manifest.request, /_since=2999-01-01T00(:|%3A)00(:|%3A)00Z/);
  });

  it('exports one user\'s data with that user\'s token', async () => {
    const tokens = direct.client.tokenManager('demo-user-1');
    const r = await startBulkExport(direct.workspace, { version: 'r4', scope: { kind: 'user', oneupUserId: direct.sb.state.user('demo-user-1')!.oneupUserId }, types: ['Patient'] },
      { ...direct.options(), tokens });
    const patients = (await readFile(path.join(r.folder, 'Patient.ndjson'), 'utf8')).trim().split('\n').map((l) => (JSON.parse(l) as { id: string }).id);
    assert.deepEqual(patients, direct.sb.state.user('demo-user-1')!.patientIds);
    assert.deepEqual(r.summary.scope, { kind: 'user', oneupUserId: direct.sb.state.user('demo-user-1')!.oneupUserId });
  });

  it('lists past exports and their files for the Exports view', async () => {
    const list = await listExports(direct.workspace);
    assert.ok(list.length >= 3);
    assert.ok(list.every((e) => e.environment === 'Local_Sandbox' && e.status === 'complete'));
    assert.ok(list[0].name >= list[list.length - 1].name, 'newest first');
    const files = await listExportFiles(list[0].folder);
    assert.deepEqual(files.map((f) => f.kind).slice(-2), ['manifest', 'summary']);
    assert.ok(files.every((f) => !f.name.startsWith('.')), 'the state file is not listed');
  });
});
