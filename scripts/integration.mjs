// Runs the integration suites inside a real VS Code. One suite, two launchers:
// - @vscode/test-electron's runTests() with a downloaded desktop VS Code (a normal machine), or
// - the same runTests() pointed at the offline route in ../shared/vscode-real (code-server from npm
//   driven by Debian's Chromium), where VS Code cannot be downloaded.
// Set ONEUP_VSCODE_LAUNCHER=desktop|offline to choose; by default the first that works is used.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { readJson, root, run, vscodeRealDir } from './lib.mjs';

const { runTests, runVSCodeCommand } = await import('@vscode/test-electron');
const pkg = readJson('package.json');
const vsix = path.join(root, `${pkg.name}-${pkg.version}.vsix`);
const suite = path.join(root, 'out', 'test', 'integration', 'index.js');
const vsixSuiteExt = path.join(root, 'test', 'vsix-check');
const vsixSuite = path.join(root, 'out', 'test', 'vsix-check', 'index.js');

async function desktopReachable() {
  if (process.env.VSCODE_EXECUTABLE_PATH) return true;
  try {
    const r = await fetch('https://update.code.visualstudio.com/api/releases/stable', { signal: AbortSignal.timeout(5000) });
    return r.ok;
  } catch {
    return false;
  }
}

let launcher = process.env.ONEUP_VSCODE_LAUNCHER;
const offlineDir = vscodeRealDir();
if (!launcher) launcher = (await desktopReachable()) ? 'desktop' : offlineDir ? 'offline' : 'desktop';
if (launcher === 'offline' && !offlineDir) { console.error('offline launcher chosen but ../shared/vscode-real was not found (set VSCODE_REAL_DIR)'); process.exit(2); }
const shim = offlineDir && path.join(offlineDir, 'lib', 'code-shim.sh');
console.log(launcher === 'offline'
  ? `launcher: @vscode/test-electron → offline VS Code (${offlineDir}: code-server + Chromium)`
  : 'launcher: @vscode/test-electron → desktop VS Code');

// The VS Code under test starts as on a user's desktop: NODE_EXTRA_CA_CERTS (some CI images point it
// at the OS bundle) would make Node itself trust the OS store, and the test of the extension
// reading the OS certificates through VS Code would prove nothing.
delete process.env.NODE_EXTRA_CA_CERTS;

const workspace = fs.mkdtempSync(path.join(os.tmpdir(), 'oneup-it-ws-'));
// where scripts/network-test-setup.sh put its certificates (the offline VS Code runs with a HOME of its own)
const netTestDir = process.env.ONEUP_NET_TEST_DIR ?? path.join(process.env.XDG_CACHE_HOME ?? path.join(os.homedir(), '.cache'), 'oneup-vscode', 'network-tests');
const env = { ONEUP_TEST_WORKSPACE: workspace, ONEUP_TEST_VSIX: vsix, ONEUP_NET_TEST_DIR: netTestDir, ...(process.env.ONEUP_TEST_GREP ? { ONEUP_TEST_GREP: process.env.ONEUP_TEST_GREP } : {}) };
let rc = 0;

// 1. The main suite, with the extension loaded from this folder in development mode.
try {
  const code = await runTests({
    extensionDevelopmentPath: root,
    extensionTestsPath: suite,
    vscodeExecutablePath: launcher === 'offline' ? shim : process.env.VSCODE_EXECUTABLE_PATH || undefined,
    launchArgs: [workspace, '--disable-workspace-trust'],
    extensionTestsEnv: env,
  });
  rc ||= code;
} catch (e) {
  console.error(`main suite failed: ${e?.message ?? e}`);
  rc ||= 1;
}

// 2. The packaged VSIX, installed into VS Code like a user would, checked by a tiny test extension.
if (!fs.existsSync(vsix)) { console.error(`no VSIX at ${vsix}: run npm run package first`); process.exit(1); }
if (launcher === 'offline') {
  const r = await run('bash', [path.join(offlineDir, 'run-extension-tests.sh'), vsixSuiteExt, '--tests', vsixSuite, '--vsix', vsix], { env: { ...process.env, ...env } });
  rc ||= r.code;
} else {
  try {
    await runVSCodeCommand(['--install-extension', vsix, '--force'], { reuseMachineInstall: false });
    const code = await runTests({ extensionDevelopmentPath: vsixSuiteExt, extensionTestsPath: vsixSuite, extensionTestsEnv: env });
    rc ||= code;
  } catch (e) {
    console.error(`VSIX suite failed: ${e?.message ?? e}`);
    rc ||= 1;
  }
}
fs.rmSync(workspace, { recursive: true, force: true });
process.exit(rc);
