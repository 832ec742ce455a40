// Takes the README screenshots of the extension running in a real VS Code (code-server + Chromium,
// the offline route in ../shared/vscode-real), against the in-process local sandbox:
//   media/screenshots/tree-light.png, tree-dark.png        App Users → demo-user-1 → FHIR data → Observation
//   media/screenshots/bundle-viewer-vscode.png (dark)       1upHealth: Search FHIR Resources… → Observation
//   media/screenshots/patient-record-vscode.png (dark)      1upHealth: Open Patient Record → demo-user-1
// Run: node scripts/with-node.mjs node esbuild.js && node scripts/with-node.mjs node scripts/screenshots.mjs
// With ONEUP_SHOTS_DSTU2=1 also tree-dstu2-<type>-<theme>.png: FHIR Resources → DSTU2 → Encounter, Procedure, Immunization
// (the labels of DSTU2 data, whatever the sandbox serves for it).
// With ONEUP_SHOTS_EXPORT=1 also export-review-<theme>.png (Bulk Export… at Patient level with a _typeFilter, before it
// starts) and exports-view-<theme>.png (the finished export, its error/ file and the result message), in a folder workspace.
// Env: ONEUP_SHOTS_THEME=light|dark (one session), ONEUP_SHOTS_OUT=dir (preview elsewhere),
//      ONEUP_SHOTS_EXT=dir (another built checkout), ONEUP_SHOTS_KEEP=1 (keep the run folders and logs),
//      ONEUP_SHOTS_CONSOLE=1 (the workbench's console errors). A picture whose steps fail is not written.
// Why drive the UI rather than call commands: the pictures must show what a user sees after the same clicks.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { root } from './lib.mjs';
import {
  attempt, collapse, collapseOtherPanes, closeEditors, expand, log, openWorkbench, out, pick, realDir, runCommand, setSidebarWidth, sleep,
  startCodeServer, stopCodeServer, THEMES, treeRow, webviewFrame,
} from './workbench.mjs';

const EXT_DIR = path.resolve(process.env.ONEUP_SHOTS_EXT || root);
const USER = 'demo-user-1';
out.dir = path.resolve(process.env.ONEUP_SHOTS_OUT || path.join(root, 'media', 'screenshots'));

if (!realDir) { console.error('../shared/vscode-real not found (set VSCODE_REAL_DIR)'); process.exit(2); }
if (!fs.existsSync(path.join(EXT_DIR, 'dist', 'extension.js'))) { console.error(`${EXT_DIR}/dist/extension.js missing: build it first (node scripts/with-node.mjs node esbuild.js)`); process.exit(2); }
fs.mkdirSync(out.dir, { recursive: true });

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
    // one step: the type, then Enter on "Search Observation?_count=20"
    const input = page.locator('.quick-input-widget input');
    await input.waitFor();
    await input.fill('Observation?_count=20');
    await page.locator('.quick-input-list .monaco-list-row', { hasText: 'Search Observation?_count=20' }).first().waitFor();
    await page.keyboard.press('Enter');
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

/** Types `text` into the open quick input and accepts the first row that shows it. */
async function choose(page, text) {
  await page.locator('.quick-input-widget input').fill(text);
  await page.locator('.quick-input-list .monaco-list-row', { hasText: text }).first().waitFor();
  await page.keyboard.press('Enter');
}

/** Accepts the open quick input (an input box, or a multi-select with nothing picked) as it stands. */
async function accept(page) {
  await page.locator('.quick-input-widget input').waitFor();
  await sleep(400);
  await page.keyboard.press('Enter');
}

async function exportShots(page, theme) {
  let ok = await attempt(page, `export-review-${theme}.png`, async () => {
    await page.getByRole('tab', { name: /^1upHealth/ }).first().click();
    await treeRow(page, USER).waitFor({ timeout: 60000 });
    await runCommand(page, '1upHealth: Bulk Export…');
    await choose(page, 'All users of the app');
    await choose(page, 'All patients');
    await accept(page); // every resource type
    await accept(page); // no _since
    await choose(page, 'Add a _typeFilter');
    await page.locator('.quick-input-widget input').fill('Observation?date=not-a-date');
    await page.keyboard.press('Enter');
    await page.locator('.quick-input-list .monaco-list-row', { hasText: 'Remove _typeFilter' }).first().waitFor();
  });
  ok = (await attempt(page, `exports-view-${theme}.png`, async () => {
    await choose(page, 'Start the export');
    await page.locator('.quick-input-widget').waitFor({ state: 'hidden' });
    await sleep(500);
    for (const other of ['App Users', 'Health Systems', 'FHIR Resources']) {
      const header = page.locator('.part.sidebar .pane-header', { hasText: other }).first();
      if ((await header.getAttribute('aria-expanded')) === 'true') await header.click();
    }
    const pane = page.locator('.part.sidebar .pane-header', { hasText: 'Exports' });
    if ((await pane.getAttribute('aria-expanded')) !== 'true') await pane.click();
    await setSidebarWidth(page, 520);
    // the export is listed once it is finished and its summary written
    const exportRow = page.locator('.part.sidebar .monaco-list-row[aria-level="1"]').filter({ hasText: 'Local Sandbox' }).first();
    await exportRow.waitFor({ timeout: 120000 });
    if ((await exportRow.getAttribute('aria-expanded')) !== 'true') await exportRow.locator('.monaco-tl-twistie').click();
    // to the end of the list (the error file comes after the data), then open the server's error file
    await page.locator('.part.sidebar .monaco-list-row', { hasText: 'AllergyIntolerance.ndjson' }).first().click();
    await page.keyboard.press('End');
    await treeRow(page, 'error/OperationOutcome.ndjson').click({ timeout: 30000 });
    await sleep(1500);
    // the result message, with the server's report
    await runCommand(page, 'Notifications: Show Notifications');
    await page.locator('.notifications-center', { hasText: 'The server reported' }).waitFor({ timeout: 30000 });
  })) && ok;
  return ok;
}

/** A VS Code on a folder (exports need one), the export pictures; false when one could not be taken. */
async function exportSession(theme) {
  const run = fs.mkdtempSync(path.join(os.tmpdir(), `oneup-shots-export-${theme}-`));
  const folder = path.join(run, 'workspace');
  fs.mkdirSync(folder);
  let server; let browser;
  try {
    server = await startCodeServer(run, theme);
    browser = await openWorkbench(run, server.url, { extDir: EXT_DIR, folder });
    return await exportShots(browser.page, theme);
  } finally {
    await browser?.context.close().catch(() => undefined);
    await stopCodeServer(server?.child);
    if (process.env.ONEUP_SHOTS_KEEP) log(`run folder kept: ${run}`); else fs.rmSync(run, { recursive: true, force: true });
  }
}

/** One VS Code with one theme; false when a picture could not be taken. */
async function session(theme) {
  const run = fs.mkdtempSync(path.join(os.tmpdir(), `oneup-shots-${theme}-`));
  let server; let browser;
  try {
    server = await startCodeServer(run, theme);
    log(`${theme}: code-server on ${server.url}`);
    browser = await openWorkbench(run, server.url, { extDir: EXT_DIR });
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
    if (process.env.ONEUP_SHOTS_EXPORT && !(await exportSession(theme))) rc = 1;
  } catch (e) {
    console.error(`[screenshots] ${theme}: ${e.message.split('\n')[0]}`);
    rc = 1;
  }
}
process.exit(rc);
