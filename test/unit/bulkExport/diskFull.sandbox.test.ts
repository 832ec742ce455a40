import * as assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { promisify } from 'node:util';
import { startBulkExport } from '../../../src/core/bulkExport';
import { type ExportRig, startExportRig } from './helpers';

const run = promisify(execFile);
const DISK_BYTES = 6 * 1024 * 1024;

interface Report {
  first: { name: string; message: string } | 'completed';
  folder: string;
  status: string;
  left: string[];
  resumed: { complete: boolean; files: number; errors: unknown[] };
  after: string[];
  crashed?: string;
}

describe('bulk export on a full disk', function () {
  this.timeout(60_000);
  let rig: ExportRig;
  let dir: string;
  before(async () => {
    rig = await startExportRig({ exportStyle: 'direct', patients: 6, exportMaxResourcesPerFile: 300, exportGzip: false });
    dir = await mkdtemp(path.join(tmpdir(), 'oneup-disk-full-'));
  });
  after(async () => {
    await rig.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('stops cleanly with the folder and the space needed, leaves no temp file, and resumes once space is free', async () => {
    // how much the export needs, from one on an ordinary disk
    const probe = await startBulkExport(rig.workspace, { version: 'r4', scope: { kind: 'app' } }, rig.options());
    const need = probe.summary.bytes;
    assert.ok(need > 1_500_000 && need < DISK_BYTES - 512 * 1024, `${need} bytes`);
    // a real small filesystem: a tmpfs in a private mount namespace (no privileges needed), room for about half
    const child = path.join(__dirname, 'diskFullChild.js');
    const script = `mount -t tmpfs -o size=${DISK_BYTES} tmpfs "$DISK_DIR" && exec "$NODE" --enable-source-maps "$CHILD"`;
    const { stdout } = await run('unshare', ['--user', '--map-root-user', '--mount', 'sh', '-c', script], {
      env: {
        ...process.env, DISK_DIR: dir, NODE: process.execPath, CHILD: child, FILLER_BYTES: String(DISK_BYTES - Math.round(need / 2)),
        SB_URL: rig.sb.url, SB_ID: rig.sb.credentials.clientId, SB_SECRET: rig.sb.credentials.clientSecret,
      },
    }).catch((e: { stdout?: string; stderr?: string; message: string }) => {
      throw new Error(`the tmpfs run failed (unshare and a user namespace are needed): ${e.message}\n${e.stdout ?? ''}\n${e.stderr ?? ''}`);
    });
    const report = JSON.parse(stdout.trim().split('\n').pop()!) as Report;
    assert.equal(report.crashed, undefined, report.crashed);
    assert.notEqual(report.first, 'completed', 'the disk filled up');
    const first = report.first as { name: string; message: string };
    assert.equal(first.name, 'InputError');
    assert.ok(first.message.includes(`The disk holding ${report.folder} is full (`), first.message);
    assert.match(first.message, /The export stopped after \d+ of \d+ files\. The \d+ remaining files? need about [\d.]+ (bytes|KB|MB) more .*free at least that much, then run "Resume Bulk Export"/);
    assert.deepEqual(report.left.filter((f) => f.endsWith('.tmp')), [], 'no temp file left');
    assert.ok(report.left.includes('.export-state.json'), report.left.join(', '));
    assert.ok(report.left.includes('manifest.json'));
    assert.ok(report.left.includes('summary.json'), 'what happened is written down');
    assert.equal(report.status, 'problems');
    assert.deepEqual(report.resumed, { complete: true, files: probe.summary.files.length, errors: [] }, 'the rest downloaded once space was free');
    assert.deepEqual(report.after.filter((f) => f.endsWith('.tmp') || f.endsWith('.part')), []);
  });
});
