#!/usr/bin/env node
// Runs its arguments on a Node new enough for the toolchain (>= 22), on Windows, macOS and Linux.
//   node scripts/with-node.mjs node scripts/test.mjs     (a leading `node` means "that Node")
//   node scripts/with-node.mjs npx tsc -p .              (anything else is found on PATH)
// Why: undici 8, @vscode/test-electron 3, @vscode/vsce 4 and @vscode/test-cli need Node >= 22, and the
// extension itself runs on the extension host's Node 24. When the running Node is new enough this only
// runs the command. When it is older (machines here have Node 20 and can reach only the npm registry),
// the official Node 24 build is taken once from the npm package node-linux-<arch> into a cache; that
// package exists for Linux only, so elsewhere the launcher says which Node to install instead.
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const NODE_VERSION = process.env.ONEUP_NODE_VERSION || '24.22.3';
const NEED_MAJOR = 22;
const args = process.argv.slice(2);
if (args.length === 0) {
  console.error('usage: node scripts/with-node.mjs <command> [args…]');
  process.exit(2);
}

const major = Number(process.versions.node.split('.')[0]);
const forced = Boolean(process.env.ONEUP_FORCE_NODE_DOWNLOAD);
const nodeBin = major >= NEED_MAJOR && !forced ? process.execPath : fetchedNode();
const env = { ...process.env };
if (nodeBin !== process.execPath) {
  const sep = process.platform === 'win32' ? ';' : ':';
  const pathKey = Object.keys(env).find((k) => k.toUpperCase() === 'PATH') ?? 'PATH';
  env[pathKey] = `${path.dirname(nodeBin)}${sep}${env[pathKey] ?? ''}`;
  // npm on the old Node exported its user agent (node/v20); a nested npm (the offline VS Code's
  // code-server install) would inherit it as config and its postinstall would refuse to build
  delete env.npm_config_user_agent;
}

const [cmd, ...rest] = args;
const child = cmd === 'node'
  ? spawn(nodeBin, rest, { stdio: 'inherit', env })
  // npx, npm, tsc… are .cmd files on Windows, which only a shell runs
  : spawn(cmd, rest, { stdio: 'inherit', env, shell: process.platform === 'win32' });
for (const sig of ['SIGINT', 'SIGTERM']) process.on(sig, () => child.kill(sig));
child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
child.on('error', (e) => { console.error(`[with-node] ${cmd}: ${e.message}`); process.exit(127); });

function fetchedNode() {
  const arch = { x64: 'x64', arm64: 'arm64' }[process.arch];
  if (process.platform !== 'linux' || !arch) {
    console.error(`[with-node] Node ${process.versions.node} is too old for this project's toolchain: install Node ${NEED_MAJOR} or newer (24 recommended, the extension host's Node) from https://nodejs.org and run the command again.`);
    process.exit(2);
  }
  const cache = process.env.XDG_CACHE_HOME || path.join(os.homedir(), '.cache');
  const own = path.join(cache, 'oneup-vscode', `node-v${NODE_VERSION}`);
  // the offline VS Code route fetches the same build; reuse it rather than downloading it twice
  const shared = path.join(process.env.VSCODE_REAL_CACHE || path.join(cache, 'vscode-real'), `node-v${NODE_VERSION}`);
  for (const dir of [own, shared]) if (fs.existsSync(path.join(dir, 'bin', 'node'))) return path.join(dir, 'bin', 'node');
  console.error(`[with-node] fetching Node ${NODE_VERSION} from the npm registry (node-linux-${arch})`);
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'with-node-'));
  const run = (c, a, opts) => {
    const r = spawnSync(c, a, { stdio: ['ignore', 'pipe', 'inherit'], ...opts });
    if (r.status !== 0) { console.error(`[with-node] ${c} ${a.join(' ')} failed`); process.exit(2); }
    return r;
  };
  const packEnv = { ...process.env };
  delete packEnv.npm_config_user_agent;
  run('npm', ['pack', '--silent', `node-linux-${arch}@${NODE_VERSION}`], { cwd: tmp, env: packEnv });
  const tgz = fs.readdirSync(tmp).find((f) => f.endsWith('.tgz'));
  const staging = `${own}.tmp-${process.pid}`;
  fs.mkdirSync(staging, { recursive: true });
  run('tar', ['xzf', path.join(tmp, tgz), '-C', staging, '--strip-components=1']);
  fs.rmSync(tmp, { recursive: true, force: true });
  run(path.join(staging, 'bin', 'node'), ['-v']);
  try { fs.renameSync(staging, own); } catch { fs.rmSync(staging, { recursive: true, force: true }); } // another run won the race
  return path.join(own, 'bin', 'node');
}
