// `npm start`: builds, then opens a real VS Code with the extension loaded against the local
// sandbox (the extension starts it in-process: oneup.sandbox.autoStart + Local Sandbox active).
// Desktop `code` when it exists (development mode); otherwise the packaged .vsix installed into
// the offline VS Code (code-server) served on 127.0.0.1, so notifications show as on a desktop.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { root, run, vscodeRealDir } from './lib.mjs';

const build = await run('node', ['esbuild.js']);
if (build.code !== 0) process.exit(build.code);

const profile = fs.mkdtempSync(path.join(os.tmpdir(), 'oneup-start-'));
const settings = {
  'workbench.startupEditor': 'none',
  'telemetry.telemetryLevel': 'off',
  'update.mode': 'none',
  'extensions.autoCheckUpdates': false,
  'chat.disableAIFeatures': true,
  'oneup.activeEnvironment': 'Local Sandbox',
  'oneup.sandbox.autoStart': true,
};
fs.mkdirSync(path.join(profile, 'User'), { recursive: true });
fs.writeFileSync(path.join(profile, 'User', 'settings.json'), JSON.stringify(settings, null, 2));
const workspace = process.env.ONEUP_START_WORKSPACE || path.join(profile, 'workspace');
fs.mkdirSync(workspace, { recursive: true });

const hasCode = !process.env.ONEUP_FORCE_OFFLINE && spawnSync('code', ['--version'], { stdio: 'ignore' }).status === 0;
if (hasCode) {
  console.log('Opening desktop VS Code with the extension in development mode (fresh profile, local sandbox).');
  const r = await run('code', ['--new-window', `--user-data-dir=${profile}`, `--extensionDevelopmentPath=${root}`, workspace]);
  process.exit(r.code);
}
const offline = vscodeRealDir();
if (!offline) {
  console.error('No `code` on PATH and no ../shared/vscode-real: install VS Code, or set VSCODE_REAL_DIR.');
  process.exit(2);
}
// The offline VS Code gets the packaged extension, installed as a user would install it: an
// extension folder would load in development mode, which there needs VS Code's smoke-test
// driver, and that driver keeps notifications from popping up (they would only reach the bell).
console.log('Packaging the extension (.vsix) for the offline VS Code…');
const pack = await run('node', [path.join(root, 'scripts', 'package.mjs')]);
if (pack.code !== 0) process.exit(pack.code);
const pkg = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8'));
const vsix = path.join(root, `${pkg.name}-${pkg.version}.vsix`);
const port = process.env.PORT || '3210';
console.log(`Starting the offline VS Code (code-server) with ${path.basename(vsix)} on http://127.0.0.1:${port}/ …`);
console.log('Open the "serving:" URL printed below in a browser; Ctrl-C stops it.');
const r = await run('bash', [path.join(offline, 'screenshot.sh'), vsix, path.join(profile, 'start.png'), '--serve', '--workspace', workspace, '--wait-text', 'App Users'], {
  env: { ...process.env, PORT: port, VSCODE_REAL_SETTINGS: path.join(profile, 'User', 'settings.json') },
});
process.exit(r.code);
