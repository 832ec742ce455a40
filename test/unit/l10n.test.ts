import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { getL10nJson } from '@vscode/l10n-dev';

const root = path.resolve(__dirname, '..', '..', '..');

function sources(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) return sources(p);
    return /\.tsx?$/.test(e.name) && !e.name.endsWith('.d.ts') ? [p] : [];
  });
}

describe('localization', function () {
  this.timeout(120000);

  it('l10n/bundle.l10n.json holds exactly the strings the code passes to l10n.t (run `npm run l10n` after changing them)', async () => {
    const files = sources(path.join(root, 'src')).map((f) => ({ contents: fs.readFileSync(f, 'utf8'), extension: path.extname(f) }));
    const fromCode = await getL10nJson(files);
    const committed = JSON.parse(fs.readFileSync(path.join(root, 'l10n', 'bundle.l10n.json'), 'utf8'));
    const missing = Object.keys(fromCode).filter((k) => !(k in committed));
    const stale = Object.keys(committed).filter((k) => !(k in fromCode));
    assert.deepEqual({ missing, stale }, { missing: [], stale: [] });
  });

  it('package.json names the bundle folder, and every %key% it uses is in package.nls.json', () => {
    const pkgText = fs.readFileSync(path.join(root, 'package.json'), 'utf8');
    assert.equal(JSON.parse(pkgText).l10n, './l10n');
    const nls = JSON.parse(fs.readFileSync(path.join(root, 'package.nls.json'), 'utf8'));
    const used = [...pkgText.matchAll(/"%([^"%]+)%"/g)].map((m) => m[1]);
    for (const key of used) assert.ok(key in nls, `package.nls.json lacks ${key}`);
  });
});
