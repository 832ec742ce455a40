// `npm run package`: production build and a .vsix via @vscode/vsce; checks the size budget (1 MB).
import fs from 'node:fs';
import path from 'node:path';
import { bin, readJson, root, run } from './lib.mjs';

const pkg = readJson('package.json');
const out = path.join(root, `${pkg.name}-${pkg.version}.vsix`);
const r = await run(bin('vsce'), ['package', '--no-dependencies', '--no-rewrite-relative-links', '--allow-missing-repository', '--out', out]);
if (r.code !== 0) process.exit(r.code);
const size = fs.statSync(out).size;
console.log(`VSIX: ${path.basename(out)} ${(size / 1024).toFixed(0)} KiB`);
if (size > 1024 * 1024) {
  console.error(`VSIX is over the 1 MB budget (${size} bytes)`);
  process.exit(1);
}
