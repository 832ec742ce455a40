// `npm run sandbox -- [flags]`: bundles src/lazy/sandbox.ts into dist/lazy/sandbox.js (the same
// bundle the extension loads) and runs the sandbox CLI from it. `--help` lists the flags.
// `node scripts/sandbox.mjs pack-fixtures [synthea-dir]` rebuilds the compact demo data in
// media/sandbox/ from the Synthea R4 bundles (default ../shared/fixtures/synthea/r4).
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import zlib from 'node:zlib';
import { root } from './lib.mjs';

const require = createRequire(import.meta.url);
const args = process.argv.slice(2);

if (args[0] === 'pack-fixtures') {
  packFixtures(args[1] ?? path.join(root, '..', 'shared', 'fixtures', 'synthea', 'r4'));
} else {
  const esbuild = require('esbuild');
  const outfile = path.join(root, 'dist', 'lazy', 'sandbox.js');
  await esbuild.build({
    entryPoints: [path.join(root, 'src', 'lazy', 'sandbox.ts')],
    bundle: true, format: 'cjs', platform: 'node', target: 'node22', outfile,
    sourcemap: true, sourcesContent: false, logLevel: 'warning',
    // as esbuild.js: jsPDF's HTML/SVG helpers, never used by the sandbox
    external: ['vscode', 'html2canvas', 'canvg', 'dompurify', 'core-js'],
  });
  await esbuild.stop();
  const code = await require(outfile).main(args);
  if (typeof code === 'number' && code !== 0) process.exit(code);
}

/** One resource per line, gzip'd: the demo patients, and the hospitals/practitioners directory. */
function packFixtures(srcDir) {
  const outDir = path.join(root, 'media', 'sandbox');
  fs.mkdirSync(outDir, { recursive: true });
  const files = fs.readdirSync(srcDir).filter((f) => f.endsWith('.json')).sort();
  const patients = [];
  for (const f of files.filter((f) => !/^(hospital|practitioner)Information/.test(f))) {
    const bundle = JSON.parse(fs.readFileSync(path.join(srcDir, f), 'utf8'));
    for (const e of bundle.entry ?? []) patients.push(JSON.stringify(e.resource));
  }
  const read = (prefix) => {
    const f = files.find((x) => x.startsWith(prefix));
    return f ? JSON.parse(fs.readFileSync(path.join(srcDir, f), 'utf8')).entry.map((e) => e.resource) : [];
  };
  // 40 hospitals are plenty for the connect list and the generator; the utilization extensions
  // only describe Synthea's own run.
  const hospitals = read('hospitalInformation').slice(0, 40).map(({ extension: _drop, ...org }) => org);
  const streets = new Set(hospitals.map((h) => h.address?.[0]?.line?.[0]));
  const seen = new Set();
  const practitioners = read('practitionerInformation')
    .filter((p) => { const s = p.address?.[0]?.line?.[0]; if (!streets.has(s) || seen.has(s)) return false; seen.add(s); return true; })
    .map(({ extension: _drop, ...p }) => p);
  const write = (name, lines) => {
    const gz = zlib.gzipSync(Buffer.from(lines.join('\n') + '\n'), { level: 9 });
    fs.writeFileSync(path.join(outDir, name), gz);
    console.log(`${name}: ${lines.length} resources, ${gz.length} bytes`);
  };
  write('synthea-r4-patients.ndjson.gz', patients);
  write('synthea-r4-directory.ndjson.gz', [...hospitals, ...practitioners].map((r) => JSON.stringify(r)));
}
