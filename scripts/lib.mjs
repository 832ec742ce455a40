// Helpers shared by the scripts in this folder (plain Node, no dependencies).
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const win = process.platform === 'win32';
export const bin = (name) => path.join(root, 'node_modules', '.bin', win ? `${name}.cmd` : name);
// Windows runs the .cmd shims in node_modules/.bin only through a shell, which needs quoted arguments
const quote = (a) => (/[\s"]/.test(a) ? `"${a.replace(/"/g, '\\"')}"` : a);

/** Runs a command with inherited stdio, or with output echoed and captured when `capture` is set. */
export function run(cmd, args, { capture = false, env = process.env, cwd = root } = {}) {
  return new Promise((resolve) => {
    const child = win
      ? spawn(quote(cmd), args.map(quote), { cwd, env, shell: true, stdio: capture ? ['ignore', 'pipe', 'pipe'] : 'inherit' })
      : spawn(cmd, args, { cwd, env, stdio: capture ? ['ignore', 'pipe', 'pipe'] : 'inherit' });
    let out = '';
    if (capture) {
      child.stdout.on('data', (d) => { out += d; process.stdout.write(d); });
      child.stderr.on('data', (d) => { out += d; process.stderr.write(d); });
    }
    child.on('error', (e) => { out += String(e); resolve({ code: 127, out }); });
    child.on('close', (code, signal) => resolve({ code: code ?? (signal ? 128 : 1), out }));
  });
}

/** Where the offline VS Code route lives (../shared/vscode-real beside the clone), if present. */
export function vscodeRealDir() {
  const candidates = [process.env.VSCODE_REAL_DIR, path.join(root, '..', 'shared', 'vscode-real')].filter(Boolean);
  return candidates.find((d) => fs.existsSync(path.join(d, 'run-extension-tests.sh')));
}

/** mocha's epilogue: counts of passing / failing / pending. */
export function mochaCounts(out) {
  const last = (re) => { const m = [...out.matchAll(re)].pop(); return m ? Number(m[1]) : 0; };
  return { passed: last(/^\s*(\d+) passing\b/gm), failed: last(/^\s*(\d+) failing\b/gm), skipped: last(/^\s*(\d+) pending\b/gm) };
}

export function readJson(p) {
  return JSON.parse(fs.readFileSync(path.join(root, p), 'utf8'));
}

/** The sum of several mocha epilogues in one output (one per suite run). */
export function mochaTotals(out) {
  const sum = (re) => [...out.matchAll(re)].reduce((a, m) => a + Number(m[1]), 0);
  return { passed: sum(/^\s*(\d+) passing\b/gm), failed: sum(/^\s*(\d+) failing\b/gm), skipped: sum(/^\s*(\d+) pending\b/gm) };
}
