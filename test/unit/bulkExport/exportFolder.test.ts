import * as assert from 'node:assert/strict';
import { mkdir, mkdtemp, realpath, rm, symlink } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { exportsRoot, resolveExportFolder } from '../../../src/core/bulkExport/folder';

describe('the export folder a resume may write to', () => {
  let root: string;
  let workspace: string;
  let elsewhere: string;
  const exportIn = async (ws: string, name = '2025-01-31T09-05-03Z') => {
    const dir = path.join(exportsRoot(ws), 'Local_Sandbox', name);
    await mkdir(dir, { recursive: true });
    return dir;
  };

  beforeEach(async () => {
    root = await realpath(await mkdtemp(path.join(tmpdir(), 'oneup-export-folder-')));
    workspace = path.join(root, 'workspace');
    elsewhere = path.join(root, 'elsewhere');
    await mkdir(workspace);
    await mkdir(elsewhere);
  });
  afterEach(() => rm(root, { recursive: true, force: true }));

  it('accepts an export folder of a workspace folder, as its real path', async () => {
    const dir = await exportIn(workspace);
    assert.equal(await resolveExportFolder(dir, [elsewhere, workspace]), dir);
    const link = path.join(root, 'workspace-link');
    await symlink(workspace, link);
    // the workspace opened through a link: the same folder
    assert.equal(await resolveExportFolder(path.join(exportsRoot(link), 'Local_Sandbox', '2025-01-31T09-05-03Z'), [link]), dir);
  });

  it('refuses an export-shaped folder outside the workspace folders', async () => {
    const outside = await exportIn(elsewhere);
    await assert.rejects(resolveExportFolder(outside, [workspace]), { name: 'InputError', message: /is not an export folder of this workspace/ });
  });

  it('refuses a folder of the workspace that is not one export', async () => {
    const dir = await exportIn(workspace);
    for (const wrong of [path.dirname(dir), exportsRoot(workspace), workspace, path.join(dir, 'sub')]) {
      await mkdir(wrong, { recursive: true });
      await assert.rejects(resolveExportFolder(wrong, [workspace]), { name: 'InputError', message: /is not an export folder of this workspace/ }, wrong);
    }
  });

  it('refuses a symlink in the workspace that leads out of it', async () => {
    const outside = await exportIn(elsewhere);
    await mkdir(path.join(exportsRoot(workspace), 'Local_Sandbox'), { recursive: true });
    const linked = path.join(exportsRoot(workspace), 'Local_Sandbox', '2025-02-01T00-00-00Z');
    await symlink(outside, linked);
    await assert.rejects(resolveExportFolder(linked, [workspace]), { name: 'InputError', message: /is not an export folder of this workspace/ });
    // a linked exports folder leads out just the same
    await rm(path.join(workspace, '.1uphealth'), { recursive: true });
    await symlink(path.join(elsewhere, '.1uphealth'), path.join(workspace, '.1uphealth'));
    await assert.rejects(resolveExportFolder(path.join(exportsRoot(workspace), 'Local_Sandbox', '2025-01-31T09-05-03Z'), [workspace]), { name: 'InputError' });
  });

  it('says when the folder does not exist', async () => {
    await assert.rejects(resolveExportFolder(path.join(workspace, 'gone'), [workspace]), { name: 'InputError', message: /does not exist/ });
  });
});
