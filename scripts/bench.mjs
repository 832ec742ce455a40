// `npm run bench`: every benchmark under test/bench, each against a baseline in the same run.
// Speed is measured here, never asserted in tests.
import fs from 'node:fs';
import path from 'node:path';
import { bin, root, run, vscodeRealDir } from './lib.mjs';

const only = process.argv.slice(2);
const want = (name) => only.length === 0 || only.includes(name);
let failed = 0;

for (const [cmd, args] of [['node', ['esbuild.js', '--production']], [bin('tsc'), ['-p', '.']]]) {
  const r = await run(cmd, args);
  if (r.code !== 0) process.exit(r.code);
}

// Plain Node benchmarks: out/test/bench/*.bench.js
const benchDir = path.join(root, 'out', 'test', 'bench');
for (const f of fs.existsSync(benchDir) ? fs.readdirSync(benchDir).filter((f) => f.endsWith('.bench.js')).sort() : []) {
  const name = f.replace(/\.bench\.js$/, '');
  if (!want(name)) continue;
  console.log(`\n━━ bench: ${name} ━━`);
  const r = await run('node', ['--expose-gc', path.join(benchDir, f)]);
  if (r.code !== 0) { console.error(`bench ${name} failed (${r.code})`); failed++; }
}

// Activation, inside the real VS Code.
if (want('activation')) {
  console.log('\n━━ bench: activation (real VS Code) ━━');
  const offline = vscodeRealDir();
  const tests = path.join(root, 'out', 'test', 'bench', 'activation', 'index.js');
  let r;
  if (offline && !process.env.VSCODE_EXECUTABLE_PATH) {
    r = await run('bash', [path.join(offline, 'run-extension-tests.sh'), root, '--tests', tests]);
  } else {
    const { runTests } = await import('@vscode/test-electron');
    r = { code: await runTests({ extensionDevelopmentPath: root, extensionTestsPath: tests, vscodeExecutablePath: process.env.VSCODE_EXECUTABLE_PATH || undefined }).catch(() => 1) };
  }
  if (r.code !== 0) failed++;
}
process.exit(failed ? 1 : 0);
