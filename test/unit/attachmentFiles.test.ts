import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { attachmentDir, writeAtomically, writeTemporary } from '../../src/host/attachmentFiles';

describe('attachment files', () => {
  let root: string;
  beforeEach(() => { root = fs.mkdtempSync(path.join(os.tmpdir(), 'oneup-att-test-')); });
  afterEach(() => fs.rmSync(root, { recursive: true, force: true }));

  it('keeps temporary copies private (0700 folder, 0600 file) under their own name, one folder each', async () => {
    const a = await writeTemporary(new TextEncoder().encode('%PDF-1.4'), 'Report.pdf', root);
    const b = await writeTemporary(new TextEncoder().encode('%PDF-1.4 again'), 'Report.pdf', root);
    assert.notEqual(a, b, 'the same name twice does not overwrite');
    assert.equal(path.basename(a), 'Report.pdf');
    assert.equal(fs.readFileSync(a, 'utf8'), '%PDF-1.4');
    assert.equal(fs.statSync(a).mode & 0o777, 0o600);
    const dir = attachmentDir(root);
    assert.ok(a.startsWith(dir + path.sep));
    assert.equal(fs.statSync(dir).mode & 0o777, 0o700);
  });

  it('refuses a name that is a path', async () => {
    for (const name of ['../x.pdf', 'a/b.pdf', '..', '.']) {
      await assert.rejects(writeTemporary(new Uint8Array([1]), name, root), /Not a file name/, name);
    }
  });

  it('saves atomically: the whole file or nothing, and no temporary file left behind', async () => {
    const target = path.join(root, 'saved.pdf');
    fs.writeFileSync(target, 'old');
    await writeAtomically(target, new TextEncoder().encode('new'));
    assert.equal(fs.readFileSync(target, 'utf8'), 'new');
    assert.deepEqual(fs.readdirSync(root), ['saved.pdf']);
    await assert.rejects(writeAtomically(path.join(root, 'missing', 'x.pdf'), new Uint8Array([1])));
    assert.deepEqual(fs.readdirSync(root), ['saved.pdf']);
  });
});
