// `npm run package`: production build and a .vsix via @vscode/vsce; checks the size budget (2 MB: HL7's
// fhirpath.js with its FHIR models, UCUM units and ANTLR runtime is ~1.8 MB minified, loaded only by the export explorer).
import fs from 'node:fs';
import path from 'node:path';
import { bin, readJson, root, run } from './lib.mjs';

const pkg = readJson('package.json');
const out = path.join(root, `${pkg.name}-${pkg.version}.vsix`);
// README's relative links and images are rewritten by vsce to the repository (package.json `repository`:
// `…/blob/HEAD/<path>`, images `…/raw/HEAD/<path>`): VS Code's extension details page shows only https
// images (its CSP is `img-src https: data:`), and the Marketplace page cannot reach files of the
// repository that are not in the VSIX.
const r = await run(bin('vsce'), ['package', '--no-dependencies', '--out', out]);
if (r.code !== 0) process.exit(r.code);
const size = fs.statSync(out).size;
console.log(`VSIX: ${path.basename(out)} ${(size / 1024).toFixed(0)} KiB`);
if (size > 2 * 1024 * 1024) {
  console.error(`VSIX is over the 2 MB budget (${size} bytes)`);
  process.exit(1);
}
