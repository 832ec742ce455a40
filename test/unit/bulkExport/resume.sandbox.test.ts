import * as assert from 'node:assert/strict';
import { stat } from 'node:fs/promises';
import * as path from 'node:path';
import { type ExportProgress, listExports, resumeBulkExport, startBulkExport } from '../../../src/core/bulkExport';
import { type ExportRig, serverFile, sha256, startExportRig, walk } from './helpers';

describe('bulk export: cancel and resume', () => {
  let direct: ExportRig;
  let async_: ExportRig;
  before(async () => {
    // plain files (no gzip), so that progress bytes are file bytes; spec-shaped URLs name the files
    direct = await startExportRig({ exportStyle: 'direct', patients: 20, exportMaxResourcesPerFile: 2000, exportGzip: false, exportManifest: 'spec' });
    async_ = await startExportRig({ exportStyle: 'async', exportRetryAfterSeconds: 1, patients: 60, exportMaxResourcesPerFile: 2000 });
  });
  after(async () => {
    await direct.close();
    await async_.close();
  });

  it('cancelling while the server prepares the export DELETEs its status URL, and the folder cannot be resumed', async () => {
    const controller = new AbortController();
    const o = async_.options({ signal: controller.signal, onProgress: (p: ExportProgress) => { if (p.phase === 'waiting') controller.abort(); } });
    await assert.rejects(startBulkExport(async_.workspace, { version: 'r4', scope: { kind: 'app' } }, o), { name: 'CancelledError' });
    assert.equal(async_.calls(/^DELETE \/bulk-data\/r4\/\$export-status\/[0-9a-f-]+ → 202$/).length, 1);
    const [interrupted] = (await listExports(async_.workspace)).filter((e) => e.status === 'interrupted');
    await assert.rejects(resumeBulkExport(interrupted.folder, async_.options()), { name: 'InputError', message: /cancelled/ });
  });

  it('cancelling mid-download DELETEs the job too', async () => {
    const controller = new AbortController();
    const before = async_.calls('DELETE').length;
    const o = async_.options({ signal: controller.signal, onProgress: (p: ExportProgress) => { if (p.bytes > 0) controller.abort(); } });
    await assert.rejects(startBulkExport(async_.workspace, { version: 'r4', scope: { kind: 'app' } }, o), { name: 'CancelledError' });
    assert.equal(async_.calls('DELETE /bulk-data/r4/$export-status/').length, before + 1);
  });

  it('resumes an export stopped mid-file: finished files stay, the broken one continues with Range', async () => {
    const plan = await planOfNextExport(direct);
    // stop half-way through the first file over 1 MB, downloading one file at a time
    const k = plan.findIndex((f) => f.bytes > 1_000_000);
    assert.ok(k > 0, 'the export has a big file after a small one');
    const stopAt = plan.slice(0, k).reduce((n, f) => n + f.bytes, 0) + plan[k].bytes / 2;
    const controller = new AbortController();
    const o = direct.options({ parallel: 1, signal: controller.signal, onProgress: (p: ExportProgress) => { if (p.bytes >= stopAt) controller.abort(); } });
    await assert.rejects(startBulkExport(direct.workspace, { version: 'r4', scope: { kind: 'app' } }, o), { name: 'CancelledError' });
    const [interrupted] = (await listExports(direct.workspace)).filter((e) => e.status === 'interrupted');
    const names = await walk(interrupted.folder);
    assert.ok((await stat(path.join(interrupted.folder, `${plan[k].name}.part`))).size > 0, names.join(', '));

    const before = direct.calls().length;
    const r = await resumeBulkExport(interrupted.folder, direct.options());
    assert.ok(r.summary.complete, JSON.stringify(r.summary.errors));
    const fetched = direct.calls().slice(before).filter((c) => c.startsWith('GET /bulk-data/r4/files/'));
    for (const f of plan.slice(0, k)) assert.ok(!fetched.some((c) => c.includes(`/${f.serverName} `)), `${f.name} was not downloaded again`);
    assert.ok(fetched.some((c) => c.includes(`/${plan[k].serverName} `) && c.endsWith('206')), fetched.join('\n'));
    assert.equal(direct.calls('$export').length, plan.kickoffs, 'no new kick-off');
    for (const f of plan) assert.equal(await sha256(path.join(r.folder, f.name)), await sha256(await serverFile(direct.dataDir, f.url)), f.name);
  });

  it('resuming a finished export downloads nothing again', async () => {
    const r = await startBulkExport(direct.workspace, { version: 'r4', scope: { kind: 'app' }, types: ['Patient'] }, direct.options());
    const before = direct.calls().length;
    const again = await resumeBulkExport(r.folder, direct.options());
    assert.equal(direct.calls().length, before);
    assert.equal(again.summary.resources, r.summary.resources);
  });
});

/**
 * The files the next export of `rig` will have, in manifest order, with our names: a throwaway
 * export (the sandbox's data does not change between the two) tells.
 */
async function planOfNextExport(rig: ExportRig) {
  const probe = await startBulkExport(rig.workspace, { version: 'r4', scope: { kind: 'app' } }, rig.options());
  const job = rig.sb.state.exports().at(-1)!;
  const files = probe.summary.files.map((f, i) => ({
    name: f.name, bytes: f.bytes, serverName: job.files[i].name,
    get url() {
      const latest = rig.sb.state.exports().at(-1)!;
      return `${rig.sb.url}/bulk-data/r4/files/${latest.id}/${job.files[i].name}`;
    },
  }));
  return Object.assign(files, { kickoffs: rig.calls('$export').length + 1 });
}
