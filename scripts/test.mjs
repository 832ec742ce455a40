// `npm test`: lint, type-check, unit tests, package, then the integration suites inside a real
// VS Code. Ends with one line for all suites together: `tests: N passed, N failed`.
import fs from 'node:fs';
import path from 'node:path';
import { bin, mochaCounts, mochaTotals, root, run } from './lib.mjs';

const totals = { passed: 0, failed: 0, skipped: 0 };
const started = Date.now();
const step = (name) => console.log(`\n━━ ${name} ━━`);
const add = (c) => { totals.passed += c.passed; totals.failed += c.failed; totals.skipped += c.skipped; };

function finish() {
  console.log(`\nfinished in ${((Date.now() - started) / 1000).toFixed(0)} s`);
  console.log(`tests: ${totals.passed} passed, ${totals.failed} failed${totals.skipped ? `, ${totals.skipped} skipped` : ''}`);
  process.exit(totals.failed > 0 ? 1 : 0);
}

step('lint (eslint)');
const lint = await run(bin('eslint'), ['src', 'test']);
if (lint.code !== 0) { console.log('lint failed'); add({ passed: 0, failed: 1, skipped: 0 }); } else add({ passed: 1, failed: 0, skipped: 0 });

step('type-check and compile tests (tsc)');
// tsc never deletes: a test file removed or renamed in src/test would still run from an old out/
fs.rmSync(path.join(root, 'out'), { recursive: true, force: true });
const tsc = await run(bin('tsc'), ['-p', '.']);
const tscClient = await run(bin('tsc'), ['-p', 'src/webviews/client']);
if (tsc.code !== 0 || tscClient.code !== 0) { console.log('type errors: tests cannot run'); add({ passed: 0, failed: 1, skipped: 0 }); finish(); }

step('unit tests (mocha in Node ' + process.version + ')');
const t0 = Date.now();
const unit = await run(bin('mocha'), ['--reporter', 'spec'], { capture: true });
const uc = mochaCounts(unit.out);
if (unit.code !== 0 && uc.failed === 0) uc.failed = 1; // mocha crashed before its summary
add(uc);
console.log(`unit: ${uc.passed} passed, ${uc.failed} failed (${((Date.now() - t0) / 1000).toFixed(1)} s)`);

step('package (production build + VSIX)');
const pack = await run('node', ['scripts/package.mjs']);
if (pack.code !== 0) { add({ passed: 0, failed: 1, skipped: 0 }); finish(); }

step('integration tests (inside a real VS Code)');
const integ = await run('node', ['scripts/integration.mjs'], { capture: true });
// each suite run ends with mocha's epilogue (both launchers print it); add them up
const ic = mochaTotals(integ.out);
if (integ.code !== 0 && ic.failed === 0) ic.failed = 1; // the run failed before mocha could report
add(ic);
finish();
