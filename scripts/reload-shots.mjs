// Screenshots of webview panels brought back by a window reload, in the real VS Code (code-server +
// Chromium), in the light, dark and high-contrast themes. Per theme:
//   reload-record-<theme>.png          the patient record after "Developer: Reload Window" (the sandbox auto-starts)
//   reload-bundle-<theme>.png          the search result in the bundle viewer, searched again after the reload
//   reload-sandbox-stopped-<theme>.png after a reload with the sandbox not started: the panel says why, with Start Local Sandbox
//   reload-started-<theme>.png         the same panel after clicking Start Local Sandbox
// Run: node scripts/with-node.mjs node esbuild.js && node scripts/with-node.mjs node scripts/reload-shots.mjs
// Env: ONEUP_SHOTS_OUT=dir (default .shots/), ONEUP_SHOTS_THEME=light|dark|highContrast, ONEUP_SHOTS_KEEP=1.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { root } from './lib.mjs';
import {
  attempt, closeEditors, log, openWorkbench, out, pick, realDir, runCommand, sleep, startCodeServer, stopCodeServer, treeRow, webviewFrame,
} from './workbench.mjs';

out.dir = path.resolve(process.env.ONEUP_SHOTS_OUT || path.join(root, '.shots'));
if (!realDir) { console.error('../shared/vscode-real not found (set VSCODE_REAL_DIR)'); process.exit(2); }
if (!fs.existsSync(path.join(root, 'dist', 'extension.js'))) { console.error('dist/extension.js missing: build it first'); process.exit(2); }
fs.mkdirSync(out.dir, { recursive: true });

const USER = 'demo-user-1';
const THEME_NAMES = { light: 'Default Light Modern', dark: 'Default Dark Modern', highContrast: 'Default High Contrast' };

/** "Developer: Reload Window", then the workbench again. */
async function reloadWindow(page) {
  await runCommand(page, 'Developer: Reload Window');
  await page.waitForEvent('load', { timeout: 60000 });
  await page.locator('.monaco-workbench .part.activitybar').waitFor({ timeout: 60000 });
}

/** Makes the editor tab titled `title` active (restored panels are brought back when shown). */
async function showTab(page, title) {
  const tab = page.locator('.part.editor .tabs-container .tab', { hasText: title }).first();
  await tab.waitFor({ timeout: 60000 });
  await tab.click();
}

function writeSettings(run, theme, extra) {
  const file = path.join(run, 'user-data', 'User', 'settings.json');
  const current = JSON.parse(fs.readFileSync(file, 'utf8'));
  fs.writeFileSync(file, JSON.stringify({ ...current, 'workbench.colorTheme': THEME_NAMES[theme], ...extra }, null, 2));
}

async function session(theme) {
  const run = fs.mkdtempSync(path.join(os.tmpdir(), `oneup-reload-shots-${theme}-`));
  const workspace = fs.mkdtempSync(path.join(os.tmpdir(), 'oneup-reload-ws-'));
  let server; let browser; let ok = true;
  try {
    server = await startCodeServer(run, 'dark', { settings: { 'workbench.colorTheme': THEME_NAMES[theme], 'oneup.sandbox.autoStart': true } });
    log(`${theme}: code-server on ${server.url}`);
    browser = await openWorkbench(run, server.url, { folder: workspace });
    const { page } = browser;
    // the sandbox runs (autoStart) once its demo user is listed
    await page.getByRole('tab', { name: /^1upHealth/ }).first().click();
    await treeRow(page, USER).waitFor({ timeout: 90000 });
    // the sandbox starts with the extension (autoStart); open a search result and a patient record
    await runCommand(page, '1upHealth: Search FHIR Resources…');
    const input = page.locator('.quick-input-widget input');
    await input.waitFor();
    await input.fill('Observation?_count=20');
    await page.locator('.quick-input-list .monaco-list-row', { hasText: 'Search Observation?_count=20' }).first().waitFor({ timeout: 60000 });
    await page.keyboard.press('Enter');
    await webviewFrame(page, 'table.grid tbody tr.row');
    await runCommand(page, '1upHealth: Open Patient Record');
    await pick(page, USER);
    await webviewFrame(page, 'ol.timeline li.tl-item');
    const recordTitle = (await page.locator('.part.editor .tabs-container .tab.active').innerText()).trim();
    log(`${theme}: opened "${recordTitle}" and the search; reloading`);

    await reloadWindow(page);
    ok = (await attempt(page, `reload-record-${theme}.png`, async () => {
      await webviewFrame(page, 'ol.timeline li.tl-item', 90000);
      await sleep(500);
    })) && ok;
    ok = (await attempt(page, `reload-bundle-${theme}.png`, async () => {
      await showTab(page, 'Observation?_count=20');
      await webviewFrame(page, 'table.grid tbody tr.row', 60000);
    })) && ok;

    // the same reload without the sandbox: the panel says why and offers to start it
    writeSettings(run, theme, { 'oneup.sandbox.autoStart': false });
    await showTab(page, recordTitle);
    await sleep(1000);
    await reloadWindow(page);
    let restorePage;
    ok = (await attempt(page, `reload-sandbox-stopped-${theme}.png`, async () => {
      restorePage = await webviewFrame(page, '.restore-actions:not([hidden]) button[data-action="fix"]', 90000);
    })) && ok;
    if (restorePage) {
      ok = (await attempt(page, `reload-started-${theme}.png`, async () => {
        await restorePage.locator('button[data-action="fix"]').click();
        await webviewFrame(page, 'ol.timeline li.tl-item', 90000);
        await sleep(500);
      })) && ok;
    }
    await closeEditors(page).catch(() => undefined);
    return ok;
  } finally {
    await browser?.context.close().catch(() => undefined);
    await stopCodeServer(server?.child);
    if (process.env.ONEUP_SHOTS_KEEP) log(`run folder kept: ${run}`); else fs.rmSync(run, { recursive: true, force: true });
    fs.rmSync(workspace, { recursive: true, force: true });
  }
}

let rc = 0;
const only = process.env.ONEUP_SHOTS_THEME;
for (const theme of Object.keys(THEME_NAMES).filter((t) => !only || t === only)) {
  try {
    if (!(await session(theme))) rc = 1;
  } catch (e) {
    console.error(`[screenshots] ${theme}: ${e.stack ?? e.message}`);
    rc = 1;
  }
}
process.exit(rc);
