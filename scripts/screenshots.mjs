// Takes the README screenshots of the extension running in a real VS Code (code-server + Chromium,
// the offline route in ../shared/vscode-real), against the in-process local sandbox:
//   media/screenshots/tree-light.png, tree-dark.png        App Users → demo-user-1 → FHIR data → Observation
//   media/screenshots/bundle-viewer-vscode.png (dark)       1upHealth: Search FHIR Resources… → Observation
//   media/screenshots/patient-record-vscode.png (dark)      1upHealth: Open Patient Record → demo-user-1
// Run: node scripts/with-node.mjs node esbuild.js && node scripts/with-node.mjs node scripts/screenshots.mjs
// With ONEUP_SHOTS_DSTU2=1 also tree-dstu2-<type>-<theme>.png: FHIR Resources → DSTU2 → Encounter, Procedure, Immunization
// (the labels of DSTU2 data, whatever the sandbox serves for it).
// Env: ONEUP_SHOTS_THEME=light|dark (one session), ONEUP_SHOTS_OUT=dir (preview elsewhere),
//      ONEUP_SHOTS_EXT=dir (another built checkout), ONEUP_SHOTS_KEEP=1 (keep the run folders and logs),
//      ONEUP_SHOTS_CONSOLE=1 (the workbench's console errors). A picture whose steps fail is not written.
// Why drive the UI rather than call commands: the pictures must show what a user sees after the same clicks.
import { execFileSync, spawn } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { createRequire } from 'node:module';
import { root, vscodeRealDir } from './lib.mjs';

const SIZE = { width: 1280, height: 800 };
const OUT_DIR = path.resolve(process.env.ONEUP_SHOTS_OUT || path.join(root, 'media', 'screenshots'));
const EXT_DIR = path.resolve(process.env.ONEUP_SHOTS_EXT || root);
const USER = 'demo-user-1';
const THEMES = { light: 'Default Light Modern', dark: 'Default Dark Modern' };

const realDir = vscodeRealDir();
if (!realDir) { console.error('../shared/vscode-real not found (set VSCODE_REAL_DIR)'); process.exit(2); }
if (!fs.existsSync(path.join(EXT_DIR, 'dist', 'extension.js'))) { console.error(`${EXT_DIR}/dist/extension.js missing: build it first (node scripts/with-node.mjs node esbuild.js)`); process.exit(2); }
fs.mkdirSync(OUT_DIR, { recursive: true });

// common.sh knows where everything lives and installs what is missing (a no-op once cached)
const [NODE, CS_ENTRY, DRIVER_DIR, CHROMIUM] = execFileSync('bash', ['-c',
  'set -e; source "$1/lib/common.sh"; ensure_all; printf "%s\\n" "$NODE" "$CS_ENTRY" "$DRIVER_DIR" "$CHROMIUM"', '_', realDir],
{ encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] }).trim().split('\n');
const { chromium } = createRequire(path.join(DRIVER_DIR, 'package.json'))('playwright-core');

const log = (m) => console.log(`[screenshots] ${m}`);
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

function freePort() {
  return new Promise((resolve, reject) => {
    const s = net.createServer().once('error', reject);
    s.listen(0, '127.0.0.1', () => { const { port } = s.address(); s.close(() => resolve(port)); });
  });
}

function settings(theme) {
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
async function startCodeServer(run, theme) {
  const port = await freePort();
  for (const d of ['home', 'user-data/User', 'extensions']) fs.mkdirSync(path.join(run, d), { recursive: true });
  fs.writeFileSync(path.join(run, 'user-data', 'User', 'settings.json'), JSON.stringify(settings(theme), null, 2));
  fs.writeFileSync(path.join(run, 'config.yaml'), `auth: none\ncert: false\nbind-addr: 127.0.0.1:${port}\n`);
  const home = path.join(run, 'home');
  const logFd = fs.openSync(path.join(run, 'code-server.log'), 'w');
  const child = spawn(NODE, [CS_ENTRY, '--config', path.join(run, 'config.yaml'), '--bind-addr', `127.0.0.1:${port}`, '--auth', 'none',
    '--user-data-dir', path.join(run, 'user-data'), '--extensions-dir', path.join(run, 'extensions'),
    '--disable-telemetry', '--disable-update-check', '--disable-workspace-trust', '--disable-getting-started-override',
    '--ignore-last-opened', '--vscode-option', 'enable-smoke-test-driver'], {
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

async function stopCodeServer(child) {
  if (!child?.pid) return;
  const group = -child.pid;
  try { process.kill(group, 'SIGTERM'); } catch { return; }
  for (let i = 0; i < 25; i++) {
    try { process.kill(group, 0); } catch { return; }
    await sleep(200);
  }
  try { process.kill(group, 'SIGKILL'); } catch { /* already gone */ }
}

async function openWorkbench(run, url) {
  const payload = [['skipWelcome', 'true'], ['skipReleaseNotes', 'true'],
    ['extensionDevelopmentPath', `vscode-remote://${new URL(url).host}${EXT_DIR}`]];
  const context = await chromium.launchPersistentContext(path.join(run, 'chromium-profile'), {
    executablePath: CHROMIUM, headless: true, viewport: SIZE,
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
      '--disable-component-update', '--disable-sync', '--disable-dev-shm-usage'],
  });
  const page = context.pages()[0] ?? await context.newPage();
  if (process.env.ONEUP_SHOTS_CONSOLE) page.on('console', (m) => { if (m.type() === 'error' || m.type() === 'warning') log(`console ${m.type()}: ${m.text().slice(0, 300)}`); });
  await page.goto(`${url}/?payload=${encodeURIComponent(JSON.stringify(payload))}`);
  await page.locator('.monaco-workbench .part.activitybar').waitFor({ timeout: 60000 });
  return { context, page };
}

/** A row of the side bar's trees whose label is exactly `label`. */
const treeRow = (page, label) => page.locator('.part.sidebar .monaco-list-row')
  .filter({ has: page.locator('.label-name', { hasText: new RegExp(`^${label}$`) }) }).first();

async function expand(page, label) {
  const row = treeRow(page, label);
  await row.waitFor({ timeout: 60000 });
  if ((await row.getAttribute('aria-expanded')) !== 'true') await row.locator('.monaco-tl-twistie').click();
}

async function collapse(page, label) {
  const row = treeRow(page, label);
  if ((await row.getAttribute('aria-expanded')) === 'true') await row.locator('.monaco-tl-twistie').click();
}

async function collapseOtherPanes(page, keep) {
  const headers = page.locator('.part.sidebar .pane-header[aria-expanded="true"]').filter({ hasNotText: keep });
  for (let n = await headers.count(); n > 0; n--) await headers.first().click();
}

/** Drags the sash between the side bar and the editor. */
async function setSidebarWidth(page, width) {
  const box = await page.locator('.part.sidebar').boundingBox();
  const y = box.y + box.height / 2;
  await page.mouse.move(box.x + box.width + 1, y);
  await page.mouse.down();
  await page.mouse.move(box.x + width, y, { steps: 5 });
  await page.mouse.up();
}

async function shot(page, name) {
  await page.mouse.move(SIZE.width - 5, SIZE.height - 40); // no hover highlight or tooltip in the picture
  await sleep(800);
  const file = path.join(OUT_DIR, name);
  await page.screenshot({ path: file });
  log(`saved ${path.relative(root, file)} (${Math.round(fs.statSync(file).size / 1024)} KB)`);
}

/** Waits until some (nested webview) frame has `selector`, and returns that frame. */
async function webviewFrame(page, selector, timeout = 60000) {
  const end = Date.now() + timeout;
  while (Date.now() < end) {
    for (const f of page.frames()) {
      if (await f.locator(selector).count().catch(() => 0)) return f;
    }
    await sleep(300);
  }
  throw new Error(`no webview showed ${selector} within ${timeout / 1000} s`);
}

async function runCommand(page, title) {
  await page.keyboard.press('F1');
  const input = page.locator('.quick-input-widget input');
  await input.waitFor();
  await input.fill(`>${title}`);
  await page.locator('.quick-input-list .monaco-list-row', { hasText: title }).first().waitFor();
  await page.keyboard.press('Enter');
}

/** Picks `label` in the quick pick that is open now (typing narrows the list to it). */
async function pick(page, label) {
  const row = page.locator('.quick-input-list .monaco-list-row').filter({ has: page.locator('.label-name', { hasText: new RegExp(`^${label}$`) }) }).first();
  await page.locator('.quick-input-widget input').fill(label);
  await row.waitFor();
  await row.click();
}

async function closeEditors(page) {
  await page.keyboard.press('Escape');
  await runCommand(page, 'View: Close All Editors');
  await page.locator('.part.editor .tabs-container .tab').first().waitFor({ state: 'detached', timeout: 10000 }).catch(() => undefined);
}

/** Saves the page as `name` once `steps` succeed; on failure keeps a picture in the temp dir instead. */
async function attempt(page, name, steps) {
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

async function treeShot(page, theme) {
  return attempt(page, `tree-${theme}.png`, async () => {
    await page.getByRole('tab', { name: /^1upHealth/ }).first().click();
    await treeRow(page, USER).waitFor({ timeout: 60000 });
    // App Users gets the whole side bar (the other views stay as headers), wide enough for the labels
    await collapseOtherPanes(page, 'App Users');
    await setSidebarWidth(page, 440);
    await expand(page, USER);
    await expand(page, 'FHIR data');
    await expand(page, 'Observation');
    // the first page of Observations has loaded when resource rows sit below the type row
    await page.locator('.part.sidebar .monaco-list-row[aria-level="4"]').nth(2).waitFor({ timeout: 60000 });
  });
}

async function treeDstu2Shot(page, theme) {
  let ok = true;
  for (const type of ['Encounter', 'Procedure', 'Immunization']) {
    ok = (await attempt(page, `tree-dstu2-${type.toLowerCase()}-${theme}.png`, async () => {
      // the 1upHealth side bar is open from the tree shot (a click on its tab would close it)
      await collapseOtherPanes(page, 'FHIR Resources');
      const pane = page.locator('.part.sidebar .pane-header', { hasText: 'FHIR Resources' });
      if ((await pane.getAttribute('aria-expanded')) !== 'true') await pane.click();
      await setSidebarWidth(page, 560);
      await expand(page, 'DSTU2');
      await expand(page, type);
      await page.locator('.part.sidebar .monaco-list-row[aria-level="3"]').nth(1).waitFor({ timeout: 60000 });
    })) && ok;
    await collapse(page, type).catch(() => undefined);
  }
  return ok;
}

async function bundleViewerShot(page) {
  return attempt(page, 'bundle-viewer-vscode.png', async () => {
    await runCommand(page, '1upHealth: Search FHIR Resources…');
    await pick(page, 'Observation');
    for (let i = 0; i < 3; i++) { // _content, _count, more parameters: the defaults
      await page.locator('.quick-input-widget input').waitFor();
      await sleep(300);
      await page.keyboard.press('Enter');
    }
    const ROW = 'table.grid tbody tr:not(.spacer)';
    const bundle = await webviewFrame(page, ROW);
    // a row with components shows what the detail pane adds to the table
    await bundle.locator(ROW).filter({ hasText: 'Blood Pressure' }).first().click();
    await bundle.locator('aside.detail .detail-title').waitFor({ timeout: 30000 });
  });
}

async function patientRecordShot(page) {
  return attempt(page, 'patient-record-vscode.png', async () => {
    await closeEditors(page);
    await runCommand(page, '1upHealth: Open Patient Record');
    await pick(page, USER);
    await webviewFrame(page, 'ol.timeline li');
  });
}

/** One VS Code with one theme; false when a picture could not be taken. */
async function session(theme) {
  const run = fs.mkdtempSync(path.join(os.tmpdir(), `oneup-shots-${theme}-`));
  let server; let browser;
  try {
    server = await startCodeServer(run, theme);
    log(`${theme}: code-server on ${server.url}`);
    browser = await openWorkbench(run, server.url);
    const { page } = browser;
    let ok = await treeShot(page, theme);
    if (process.env.ONEUP_SHOTS_DSTU2) ok = (await treeDstu2Shot(page, theme)) && ok;
    if (theme === 'dark') {
      // the webviews get the room; the side bar keeps the list of users for context
      await collapse(page, USER).catch(() => undefined);
      await setSidebarWidth(page, 260);
      ok = (await bundleViewerShot(page)) && ok;
      ok = (await patientRecordShot(page)) && ok;
    }
    return ok;
  } finally {
    await browser?.context.close().catch(() => undefined);
    await stopCodeServer(server?.child);
    if (process.env.ONEUP_SHOTS_KEEP) log(`run folder kept: ${run}`); else fs.rmSync(run, { recursive: true, force: true });
  }
}

let rc = 0;
const only = process.env.ONEUP_SHOTS_THEME; // light or dark: one session only, while iterating
for (const theme of Object.keys(THEMES).filter((t) => !only || t === only)) {
  try {
    if (!(await session(theme))) rc = 1;
  } catch (e) {
    console.error(`[screenshots] ${theme}: ${e.message.split('\n')[0]}`);
    rc = 1;
  }
}
process.exit(rc);
