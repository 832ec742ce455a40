// Drives a real VS Code (code-server + Chromium, the offline route in ../shared/vscode-real) for
// the screenshot scripts: a session per theme, the workbench, and the clicks and keys a user makes.
// Used by scripts/screenshots.mjs (README pictures) and scripts/flows.mjs (the first-hour flows).
import { execFileSync, spawn } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { createRequire } from 'node:module';
import { root, vscodeRealDir } from './lib.mjs';

export const SIZE = { width: 1280, height: 800 };
export const THEMES = { light: 'Default Light Modern', dark: 'Default Dark Modern' };
/** Where pictures go; each script sets it before its first shot. */
export const out = { dir: path.join(root, 'media', 'screenshots') };

export const realDir = vscodeRealDir();
if (!realDir) { console.error('../shared/vscode-real not found (set VSCODE_REAL_DIR)'); process.exit(2); }

// common.sh knows where everything lives and installs what is missing (a no-op once cached)
const [NODE, CS_ENTRY, DRIVER_DIR, CHROMIUM] = execFileSync('bash', ['-c',
  'set -e; source "$1/lib/common.sh"; ensure_all; printf "%s\\n" "$NODE" "$CS_ENTRY" "$DRIVER_DIR" "$CHROMIUM"', '_', realDir],
{ encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] }).trim().split('\n');
const { chromium } = createRequire(path.join(DRIVER_DIR, 'package.json'))('playwright-core');

export const log = (m) => console.log(`[screenshots] ${m}`);
export const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

function freePort() {
  return new Promise((resolve, reject) => {
    const s = net.createServer().once('error', reject);
    s.listen(0, '127.0.0.1', () => { const { port } = s.address(); s.close(() => resolve(port)); });
  });
}

export function settings(theme) {
  return {
    'workbench.colorTheme': THEMES[theme],
    'workbench.startupEditor': 'none',
    'workbench.tips.enabled': false,
    'workbench.enableExperiments': false,
    'workbench.secondarySideBar.defaultVisibility': 'hidden',
    'telemetry.telemetryLevel': 'off',
    'update.mode': 'none',
    'extensions.autoCheckUpdates': false,
    'extensions.autoUpdate': false,
    'chat.disableAIFeatures': true,
    'github.gitAuthentication': false,
    'oneup.activeEnvironment': 'Local Sandbox',
    'oneup.sandbox.autoStart': true,
  };
}

let running; // the code-server of the session under way, for Ctrl-C
for (const sig of ['SIGINT', 'SIGTERM']) {
  process.on(sig, () => {
    if (running?.pid) try { process.kill(-running.pid, 'SIGKILL'); } catch { /* already gone */ }
    process.exit(130);
  });
}

/** code-server in its own process group (so the extension host and helpers stop with it) and its own profile. */
export async function startCodeServer(run, theme, o = {}) {
  const port = await freePort();
  for (const d of ['home', 'user-data/User', 'extensions']) fs.mkdirSync(path.join(run, d), { recursive: true });
  fs.writeFileSync(path.join(run, 'user-data', 'User', 'settings.json'), JSON.stringify({ ...settings(theme), ...o.settings }, null, 2));
  // a packaged extension is installed like a user installs it; then no smoke-test driver is
  // needed (it is for a development-mode folder), and notifications pop up as on a desktop
  if (o.vsix) execFileSync(NODE, [CS_ENTRY, '--user-data-dir', path.join(run, 'user-data'), '--extensions-dir', path.join(run, 'extensions'), '--install-extension', o.vsix],
    { stdio: ['ignore', 'ignore', 'inherit'], env: { ...process.env, HOME: path.join(run, 'home') } });
  fs.writeFileSync(path.join(run, 'config.yaml'), `auth: none\ncert: false\nbind-addr: 127.0.0.1:${port}\n`);
  const home = path.join(run, 'home');
  const logFd = fs.openSync(path.join(run, 'code-server.log'), 'w');
  const child = spawn(NODE, [CS_ENTRY, '--config', path.join(run, 'config.yaml'), '--bind-addr', `127.0.0.1:${port}`, '--auth', 'none',
    '--user-data-dir', path.join(run, 'user-data'), '--extensions-dir', path.join(run, 'extensions'),
    '--disable-telemetry', '--disable-update-check', '--disable-workspace-trust', '--disable-getting-started-override',
    '--ignore-last-opened', ...(o.vsix ? [] : ['--vscode-option', 'enable-smoke-test-driver'])], {
    detached: true, stdio: ['ignore', logFd, logFd],
    env: { ...process.env, HOME: home, XDG_CONFIG_HOME: `${home}/.config`, XDG_DATA_HOME: `${home}/.local/share`, XDG_CACHE_HOME: `${home}/.cache` },
  });
  fs.closeSync(logFd);
  running = child;
  const url = `http://127.0.0.1:${port}`;
  for (let i = 0; i < 300; i++) {
    if (child.exitCode !== null) throw new Error(`code-server exited: ${fs.readFileSync(path.join(run, 'code-server.log'), 'utf8')}`);
    try { if ((await fetch(`${url}/healthz`)).ok) return { child, url }; } catch { /* not listening yet */ }
    await sleep(200);
  }
  throw new Error(`code-server did not answer on ${url} within 60 s`);
}

export async function stopCodeServer(child) {
  if (!child?.pid) return;
  const group = -child.pid;
  try { process.kill(group, 'SIGTERM'); } catch { return; }
  for (let i = 0; i < 25; i++) {
    try { process.kill(group, 0); } catch { return; }
    await sleep(200);
  }
  try { process.kill(group, 'SIGKILL'); } catch { /* already gone */ }
}

export async function openWorkbench(run, url, o = {}) {
  const payload = [['skipWelcome', 'true'], ['skipReleaseNotes', 'true'],
    ...(o.vsix ? [] : [['extensionDevelopmentPath', `vscode-remote://${new URL(url).host}${o.extDir ?? root}`]])];
  const context = await chromium.launchPersistentContext(path.join(run, 'chromium-profile'), {
    executablePath: CHROMIUM, headless: true, viewport: SIZE,
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
      '--disable-component-update', '--disable-sync', '--disable-dev-shm-usage'],
  });
  const page = context.pages()[0] ?? await context.newPage();
  if (process.env.ONEUP_SHOTS_CONSOLE) page.on('console', (m) => { if (m.type() === 'error' || m.type() === 'warning') log(`console ${m.type()}: ${m.text().slice(0, 300)}`); });
  await page.goto(`${url}/?payload=${encodeURIComponent(JSON.stringify(payload))}${o.folder ? `&folder=${encodeURIComponent(o.folder)}` : ''}`);
  await page.locator('.monaco-workbench .part.activitybar').waitFor({ timeout: 60000 });
  return { context, page };
}

/** A row of the side bar's trees whose label is exactly `label`. */
export const treeRow = (page, label) => page.locator('.part.sidebar .monaco-list-row')
  .filter({ has: page.locator('.label-name', { hasText: new RegExp(`^${label}$`) }) }).first();

export async function expand(page, label) {
  const row = treeRow(page, label);
  await row.waitFor({ timeout: 60000 });
  if ((await row.getAttribute('aria-expanded')) !== 'true') await row.locator('.monaco-tl-twistie').click();
}

export async function collapse(page, label) {
  const row = treeRow(page, label);
  if ((await row.getAttribute('aria-expanded')) === 'true') await row.locator('.monaco-tl-twistie').click();
}

export async function collapseOtherPanes(page, keep) {
  const headers = page.locator('.part.sidebar .pane-header[aria-expanded="true"]').filter({ hasNotText: keep });
  for (let n = await headers.count(); n > 0; n--) await headers.first().click();
}

/** Drags the sash between the side bar and the editor. */
export async function setSidebarWidth(page, width) {
  const box = await page.locator('.part.sidebar').boundingBox();
  const y = box.y + box.height / 2;
  await page.mouse.move(box.x + box.width + 1, y);
  await page.mouse.down();
  await page.mouse.move(box.x + width, y, { steps: 5 });
  await page.mouse.up();
}

export async function shot(page, name) {
  await page.mouse.move(SIZE.width - 5, SIZE.height - 40); // no hover highlight or tooltip in the picture
  await sleep(800);
  const file = path.join(out.dir, name);
  await page.screenshot({ path: file });
  log(`saved ${path.relative(root, file)} (${Math.round(fs.statSync(file).size / 1024)} KB)`);
}

/** Waits until some (nested webview) frame has `selector`, and returns that frame. */
export async function webviewFrame(page, selector, timeout = 60000) {
  const end = Date.now() + timeout;
  while (Date.now() < end) {
    for (const f of page.frames()) {
      if (await f.locator(selector).count().catch(() => 0)) return f;
    }
    await sleep(300);
  }
  throw new Error(`no webview showed ${selector} within ${timeout / 1000} s`);
}

export async function runCommand(page, title) {
  await page.keyboard.press('F1');
  const input = page.locator('.quick-input-widget input');
  await input.waitFor();
  await input.fill(`>${title}`);
  await page.locator('.quick-input-list .monaco-list-row', { hasText: title }).first().waitFor();
  await page.keyboard.press('Enter');
}

/** Picks `label` in the quick pick that is open now (typing narrows the list to it). */
export async function pick(page, label) {
  const row = page.locator('.quick-input-list .monaco-list-row').filter({ has: page.locator('.label-name', { hasText: new RegExp(`^${label}$`) }) }).first();
  await page.locator('.quick-input-widget input').fill(label);
  await row.waitFor();
  await row.click();
}

export async function closeEditors(page) {
  await page.keyboard.press('Escape');
  await runCommand(page, 'View: Close All Editors');
  await page.locator('.part.editor .tabs-container .tab').first().waitFor({ state: 'detached', timeout: 10000 }).catch(() => undefined);
}

/** Saves the page as `name` once `steps` succeed; on failure keeps a picture in the temp dir instead. */
export async function attempt(page, name, steps) {
  const failed = path.join(os.tmpdir(), `oneup-shots-failed-${name}`);
  fs.rmSync(failed, { force: true });
  try {
    await steps();
    await shot(page, name);
    return true;
  } catch (e) {
    await page.screenshot({ path: failed }).catch(() => undefined);
    console.error(`[screenshots] ${name} NOT saved: ${e.message.split('\n')[0]} (the screen then: ${failed})`);
    for (const f of page.frames().filter((fr) => fr.url().includes('/webview/'))) {
      const text = await f.locator('body').innerText({ timeout: 1000 }).catch(() => '');
      if (text.trim()) console.error(`[screenshots]   webview text: ${text.replace(/\s+/g, ' ').slice(0, 200)}`);
    }
    await page.keyboard.press('Escape').catch(() => undefined);
    return false;
  }
}

