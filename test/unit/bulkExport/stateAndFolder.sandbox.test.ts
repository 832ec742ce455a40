import * as assert from 'node:assert/strict';
import { watch } from 'node:fs';
import { appendFile, mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import * as path from 'node:path';
import { type ExportProgress, JOURNAL_FILE, resumeBulkExport, STATE_FILE, startBulkExport } from '../../../src/core/bulkExport';
import { ExportFolder } from '../../../src/core/bulkExport/folder';
import { StateStore } from '../../../src/core/bulkExport/state';
import { type ExportRig, startExportRig, walk } from './helpers';

describe('bulk export: its state, its folder and its .gitignore', () => {
  let rig: ExportRig;
  before(async () => {
    // ~100 small files: one per 20 resources
    rig = await startExportRig({ exportStyle: 'direct', patients: 3, exportMaxResourcesPerFile: 20 });
  });
  after(() => rig.close());

  it('keeps the export state with a journal line per file, not a rewrite of the whole state after each', async () => {
    const exportsDir = path.join(rig.workspace, '.1uphealth', 'exports', 'Local_Sandbox');
    await mkdir(exportsDir, { recursive: true });
    const rewrites: string[] = [];
    let folder = '';
    // every rewrite of the state goes through a fresh temp file: count them as they appear
    const watchers: ReturnType<typeof watch>[] = [];
    const o = rig.options({
      onProgress: (p: ExportProgress) => {
        if (folder) return;
        folder = p.folder;
        watchers.push(watch(folder, (_e, name) => { if (name && name.startsWith(`${STATE_FILE}.`) && name.endsWith('.tmp')) rewrites.push(name); }));
      },
    });
    const r = await startBulkExport(rig.workspace, { version: 'r4', scope: { kind: 'app' } }, o);
    for (const w of watchers) w.close();
    assert.ok(r.summary.complete, JSON.stringify(r.summary.errors));
    assert.ok(r.summary.files.length >= 80, `${r.summary.files.length} files`);
    assert.ok(new Set(rewrites).size <= 4, `${new Set(rewrites).size} rewrites of the state for ${r.summary.files.length} files`);
    const state = JSON.parse(await readFile(path.join(r.folder, STATE_FILE), 'utf8')) as { files: { done: boolean }[] };
    assert.ok(state.files.every((f) => f.done), 'the finished state holds what the journal said');
    assert.deepEqual((await walk(r.folder)).filter((f) => f === JOURNAL_FILE || f.endsWith('.tmp')), [], 'the journal is folded in at the end');
  });

  it('reads the journal back after a crash, ignoring a torn last line and any attempt to rename a file', async () => {
    const folder = await ExportFolder.create(rig.workspace, 'Crash Test', new Date());
    const file = (name: string) => ({ name, type: 'Patient', url: `${rig.sb.url}/x/${name}`, kind: 'data' as const, done: false });
    const store = new StateStore(folder, {
      format: 2, environment: 'Crash Test', bulkBase: `${rig.sb.url}/bulk-data/r4`, version: 'r4', scope: { kind: 'app' }, level: { kind: 'system' },
      startedAt: new Date().toISOString(), files: [file('Patient.ndjson'), file('Patient-2.ndjson'), file('Patient-3.ndjson')], activeMs: 0,
    });
    await store.save();
    store.updateFile(0, { done: true, bytes: 10, resources: 1 });
    store.updateFile(2, { etag: '"v2"' });
    await store.flush();
    await store.close();
    // the editor died mid-line; and a journal line cannot move a file elsewhere
    await appendFile(path.join(folder.dir, JOURNAL_FILE), `${JSON.stringify({ f: 2, p: { name: '../x.ndjson' } })}\n{"f":1,"p":{"done":tr`);
    const loaded = (await StateStore.load(await ExportFolder.open(folder.dir))).state;
    assert.deepEqual(loaded.files.map((f) => [f.name, f.done, f.etag]), [['Patient.ndjson', true, undefined], ['Patient-2.ndjson', false, undefined], ['Patient-3.ndjson', false, '"v2"']]);
  });

  it('replaces an exports .gitignore that does not ignore everything, and says so', async () => {
    const ignore = path.join(rig.workspace, '.1uphealth', 'exports', '.gitignore');
    await mkdir(path.dirname(ignore), { recursive: true });
    // as a cloned repository might ship it: everything but the data
    await writeFile(ignore, '# exports\n*\n!*.ndjson\n');
    const before = rig.log.lines.length;
    await startBulkExport(rig.workspace, { version: 'r4', scope: { kind: 'app' }, types: ['Patient'] }, rig.options());
    const rules = (await readFile(ignore, 'utf8')).split('\n').filter((l) => l && !l.startsWith('#'));
    assert.deepEqual(rules, ['*']);
    assert.ok(rig.log.lines.slice(before).some((l) => /\.gitignore did not keep exports out of git \(it un-ignores "!\*\.ndjson"\); it was replaced/.test(l)), rig.log.lines.slice(before).join('\n'));
    // one that already ignores everything is left as it is
    await writeFile(ignore, '# mine\n**\n');
    await startBulkExport(rig.workspace, { version: 'r4', scope: { kind: 'app' }, types: ['Patient'] }, rig.options());
    assert.equal(await readFile(ignore, 'utf8'), '# mine\n**\n');
  });

  it('refuses a state that names a file outside the export folder, saying which and why', async () => {
    const r = await startBulkExport(rig.workspace, { version: 'r4', scope: { kind: 'app' }, types: ['Patient'] }, rig.options());
    const stateFile = path.join(r.folder, STATE_FILE);
    const state = JSON.parse(await readFile(stateFile, 'utf8')) as { files: { name: string; done: boolean }[] };
    state.files[0] = { ...state.files[0], name: '../../escape.ndjson', done: false };
    await writeFile(stateFile, JSON.stringify(state));
    await rm(path.join(r.folder, 'summary.json'));
    const before = rig.calls().length;
    await assert.rejects(resumeBulkExport(r.folder, rig.options()),
      { name: 'InputError', message: /names a file "\.\.\/\.\.\/escape\.ndjson", which could land outside the export folder \(a name with "\.\."/ });
    assert.equal(rig.calls().length, before, 'nothing was requested');
    assert.deepEqual((await walk(path.dirname(r.folder))).filter((f) => f.includes('escape')), []);
  });
});
