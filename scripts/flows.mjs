// Screenshots of the flows a new user tries in the first hour (issue 14), in the real VS Code
// (code-server + Chromium) with the packaged extension installed as a user installs it, so
// notifications pop up. One session per theme; every picture is <flow>-<theme>.png.
// Run: node scripts/with-node.mjs node scripts/package.mjs && node scripts/with-node.mjs node scripts/flows.mjs
// Env: ONEUP_SHOTS_OUT=dir (default .shots/), ONEUP_SHOTS_THEME=light|dark, ONEUP_SHOTS_KEEP=1,
//      ONEUP_FLOWS=name,name (only these flows; the others still run when a later one needs them).
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { readJson, root } from './lib.mjs';
import {
  attempt, closeEditors, collapseOtherPanes, expand, log, openWorkbench, out, realDir, runCommand, setSidebarWidth, sleep,
  startCodeServer, stopCodeServer, THEMES, treeRow, webviewFrame,
} from './workbench.mjs';

const pkg = readJson('package.json');
const VSIX = path.join(root, `${pkg.name}-${pkg.version}.vsix`);
out.dir = path.resolve(process.env.ONEUP_SHOTS_OUT || path.join(root, '.shots'));
if (!realDir) { console.error('../shared/vscode-real not found (set VSCODE_REAL_DIR)'); process.exit(2); }
if (!fs.existsSync(VSIX)) { console.error(`${VSIX} missing: run node scripts/with-node.mjs node scripts/package.mjs first`); process.exit(2); }
fs.mkdirSync(out.dir, { recursive: true });

const USER = 'demo-user-1';
const OTHER = 'demo-user-2';
const input = (page) => page.locator('.quick-input-widget input');
const menuItem = (page, text) => page.locator('.context-view .monaco-menu .action-menu-item')
  .filter({ has: page.locator('.action-label', { hasText: new RegExp(`^${text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`) }) }).first();

/** Clicks a context-menu item and waits for the menu to close (a click during its fade-in is lost). */
async function choose(page, text) {
  const item = menuItem(page, text);
  await item.waitFor();
  await sleep(300);
  await item.click();
  await page.locator('.context-view .monaco-menu').waitFor({ state: 'detached', timeout: 5000 }).catch(async () => {
    await item.press('Enter').catch(() => undefined);
  });
}
const toast = (page, text) => page.locator('.notifications-toasts .notification-toast', { hasText: text }).first();

async function contextMenu(page, label) {
  const row = treeRow(page, label);
  await row.waitFor({ timeout: 60000 });
  await row.click({ button: 'right' });
  await page.locator('.context-view .monaco-menu').waitFor();
}

async function typeInInput(page, text) {
  await input(page).waitFor();
  await input(page).fill(text);
  await sleep(400);
}

async function dismissToasts(page) {
  for (const close of await page.locator('.notifications-toasts .codicon-notifications-clear').all()) await close.click().catch(() => undefined);
}

/** The flows, in the order a new user meets them; each saves its pictures. */
const FLOWS = {
  async users(page, theme) {
    await attempt(page, `users-${theme}.png`, async () => {
      await page.getByRole('tab', { name: /^1upHealth/ }).first().click();
      await treeRow(page, USER).waitFor({ timeout: 90000 });
      await collapseOtherPanes(page, 'App Users');
      await setSidebarWidth(page, 420);
    });
    await attempt(page, `update-user-${theme}.png`, async () => {
      await contextMenu(page, USER);
      await choose(page, 'Update User…');
      await page.locator('.quick-input-widget', { hasText: `Update ${USER}` }).waitFor();
    });
    await page.keyboard.press('Escape');
    await attempt(page, `user-menu-${theme}.png`, async () => {
      await contextMenu(page, USER);
      await menuItem(page, 'Open Patient Record').waitFor();
    });
    await page.keyboard.press('Escape');
  },

  async tokens(page, theme) {
    await contextMenu(page, OTHER);
    await choose(page, 'Get Access Token');
    await toast(page, `Access token for ${OTHER} valid until`).waitFor({ timeout: 30000 });
    await attempt(page, `token-named-${theme}.png`, async () => undefined);
    await dismissToasts(page);
    await contextMenu(page, OTHER);
    await choose(page, 'Deactivate User');
    await attempt(page, `user-deactivated-${theme}.png`, async () => {
      await page.locator('.part.sidebar .monaco-list-row', { hasText: 'inactive · no token' }).first().waitFor({ timeout: 30000 });
    });
    await contextMenu(page, OTHER);
    await choose(page, 'Activate User');
    await sleep(1000);
  },

  async search(page, theme) {
    await runCommand(page, '1upHealth: Search FHIR Resources…');
    await attempt(page, `search-types-${theme}.png`, async () => {
      await typeInInput(page, 'Obs');
      await page.locator('.quick-input-list .monaco-list-row', { hasText: 'Observation' }).first().waitFor();
    });
    await page.keyboard.press('Enter'); // fills in "Observation?"
    await attempt(page, `search-parameters-${theme}.png`, async () => {
      await input(page).press('End');
      await input(page).pressSequentially('co');
      await page.locator('.quick-input-list .monaco-list-row', { hasText: 'code' }).first().waitFor();
    });
    await typeInInput(page, 'Observation?category=vital-signs&_count=20');
    await page.locator('.quick-input-list .monaco-list-row', { hasText: 'Search Observation?category=vital-signs&_count=20' }).first().waitFor();
    await page.keyboard.press('Enter');
    const ROW = 'table.grid tbody tr:not(.spacer)';
    const frame = await webviewFrame(page, ROW);
    await attempt(page, `bundle-patient-column-${theme}.png`, async () => {
      await frame.locator('th', { hasText: 'Patient' }).first().waitFor();
    });
    await attempt(page, `bundle-filter-${theme}.png`, async () => {
      await frame.locator('input.filter').fill('pressure');
      await frame.locator('button[data-action="searchServer"]:not([hidden])').waitFor();
    });
    await frame.locator('.main-toolbar button[data-action="openJson"]').click();
    await attempt(page, `bundle-json-readonly-${theme}.png`, async () => {
      await page.locator('.part.editor .tab.active', { hasText: 'Observation' }).waitFor();
    });
    await closeEditors(page);
    await runCommand(page, '1upHealth: Search FHIR Resources…');
    await attempt(page, `search-history-${theme}.png`, async () => {
      await page.locator('.quick-input-list', { hasText: 'Recent searches' }).waitFor();
    });
    await page.keyboard.press('Escape');
  },

  async searchThisType(page, theme) {
    await page.locator('.part.sidebar .pane-header', { hasText: 'FHIR Resources' }).click();
    await expand(page, 'R4');
    await attempt(page, `search-this-type-menu-${theme}.png`, async () => {
      await contextMenu(page, 'Condition');
      await menuItem(page, 'Search This Type…').waitFor();
    });
    await choose(page, 'Search This Type…');
    await attempt(page, `search-this-type-${theme}.png`, async () => {
      await page.locator('.quick-input-widget', { hasText: 'Search parameters' }).waitFor();
    });
    await page.keyboard.press('Escape');
    await page.locator('.part.sidebar .pane-header', { hasText: 'FHIR Resources' }).click();
  },

  async record(page, theme) {
    await closeEditors(page);
    await contextMenu(page, USER);
    await choose(page, 'Open Patient Record');
    const frame = await webviewFrame(page, 'ol.timeline li.tl-item');
    await attempt(page, `patient-record-${theme}.png`, async () => {
      await frame.locator('.chip', { hasText: /Observation \d+/ }).first().waitFor();
      await sleep(1500); // the server's totals replace the loaded counts
    });
    await attempt(page, `patient-record-undated-${theme}.png`, async () => {
      await frame.locator('.timeline-scroll').evaluate((e) => { e.scrollTop = e.scrollHeight; });
      await frame.locator('li.tl-year', { hasText: 'Undated' }).first().waitFor({ timeout: 30000 }).catch(() => undefined);
      await frame.locator('.chip.static').first().hover();
    });
  },

  async connect(page, theme) {
    await closeEditors(page);
    await contextMenu(page, USER);
    await choose(page, 'Open Connect Page');
    const frame = await webviewFrame(page, 'button.hs-connect');
    await attempt(page, `connect-list-${theme}.png`, async () => {
      await frame.locator('input.search').fill('medical');
      await sleep(500);
    });
    await frame.locator('input.search').fill('');
    await frame.locator('button.hs-connect').first().click();
    await attempt(page, `connect-login-${theme}.png`, async () => {
      await frame.frameLocator('iframe.connect-frame').getByRole('button', { name: 'Authorize' }).waitFor({ timeout: 30000 });
    });
    await frame.frameLocator('iframe.connect-frame').getByRole('button', { name: 'Authorize' }).click();
    await frame.frameLocator('iframe.connect-frame').getByRole('heading', { name: 'Connected' }).waitFor();
    await frame.locator('button[data-action="checkForData"]').click();
    await attempt(page, `connect-new-data-${theme}.png`, async () => {
      await frame.locator('.counts-line', { hasText: /new resource|No new/ }).waitFor({ timeout: 30000 });
    });
  },

  async credentials(page, theme) {
    await closeEditors(page);
    await runCommand(page, '1upHealth: Set Credentials…');
    await typeInInput(page, 'sandbox-client-id');
    await page.keyboard.press('Enter');
    await typeInInput(page, 'not-the-secret');
    await page.keyboard.press('Enter');
    await attempt(page, `credentials-refused-${theme}.png`, async () => {
      await toast(page, 'refused the client_id and client_secret').waitFor({ timeout: 30000 });
      await page.locator('.part.sidebar .monaco-list-row', { hasText: 'did not accept' }).first().waitFor({ timeout: 30000 });
    });
    await toast(page, 'refused').locator('.monaco-button', { hasText: 'Set Credentials' }).click();
    await typeInInput(page, 'sandbox-client-id');
    await page.keyboard.press('Enter');
    await typeInInput(page, 'sandbox-client-secret');
    await page.keyboard.press('Enter');
    await attempt(page, `credentials-accepted-${theme}.png`, async () => {
      await toast(page, 'accepted the credentials').waitFor({ timeout: 30000 });
    });
    await dismissToasts(page);
  },

  async curl(page, theme) {
    await runCommand(page, '1upHealth: Copy Last Call as curl');
    await sleep(500);
    await runCommand(page, '1upHealth: Copy Environment for curl');
    await attempt(page, `curl-environment-${theme}.png`, async () => {
      await page.locator('.statusbar', { hasText: 'export line' }).waitFor({ timeout: 30000 });
    });
  },

  async exports(page, theme) {
    await runCommand(page, '1upHealth: Bulk Export…');
    await page.locator('.quick-input-list .monaco-list-row', { hasText: 'One user' }).first().click();
    await typeInInput(page, USER);
    await page.keyboard.press('Enter');
    await typeInInput(page, 'System'); // which $export
    await page.keyboard.press('Enter');
    await typeInInput(page, 'Condition');
    await page.keyboard.press('Space');
    await page.keyboard.press('Enter');
    await typeInInput(page, '');
    await page.keyboard.press('Enter');
    await typeInInput(page, 'Start the export'); // the request, shown before it starts
    await page.keyboard.press('Enter');
    await toast(page, 'Bulk export complete').waitFor({ timeout: 120000 });
    await dismissToasts(page);
    await page.locator('.part.sidebar .pane-header', { hasText: 'Exports' }).click();
    await setSidebarWidth(page, 560);
    await attempt(page, `exports-menu-${theme}.png`, async () => {
      const row = page.locator('.part.sidebar .monaco-list-row', { hasText: `user ${USER}` }).first();
      await row.waitFor({ timeout: 30000 });
      await row.click({ button: 'right' });
      await menuItem(page, 'Delete Export…').waitFor();
    });
    await page.keyboard.press('Escape');
    await setSidebarWidth(page, 420);
  },

  async walkthrough(page, theme) {
    await closeEditors(page);
    await page.keyboard.press('F1');
    await typeInInput(page, '>Welcome: Open Walkthrough');
    await page.locator('.quick-input-list .monaco-list-row', { hasText: 'Open Walkthrough' }).filter({ hasNotText: 'Reset' }).first().click();
    await typeInInput(page, 'Get started with 1upHealth');
    await page.keyboard.press('Enter');
    await attempt(page, `walkthrough-${theme}.png`, async () => {
      await page.locator('.gettingStartedContainer', { hasText: 'Get an access token' }).waitFor({ timeout: 30000 });
      await sleep(1000);
    });
  },
};

async function session(theme) {
  const run = fs.mkdtempSync(path.join(os.tmpdir(), `oneup-flows-${theme}-`));
  const workspace = path.join(run, 'workspace');
  fs.mkdirSync(workspace, { recursive: true });
  let server; let browser;
  try {
    server = await startCodeServer(run, theme, { vsix: VSIX, settings: { 'workbench.startupEditor': 'none' } });
    log(`${theme}: code-server on ${server.url}`);
    browser = await openWorkbench(run, server.url, { vsix: true, folder: workspace });
    const only = process.env.ONEUP_FLOWS?.split(',');
    for (const [name, flow] of Object.entries(FLOWS)) {
      if (only && !only.includes(name) && name !== 'users') continue;
      try {
        await flow(browser.page, theme);
      } catch (e) {
        console.error(`[flows] ${theme} ${name}: ${e.message.split('\n')[0]}`);
        await browser.page.screenshot({ path: path.join(os.tmpdir(), `oneup-flows-failed-${name}-${theme}.png`) }).catch(() => undefined);
        await browser.page.keyboard.press('Escape').catch(() => undefined);
      }
    }
  } finally {
    await browser?.context.close().catch(() => undefined);
    await stopCodeServer(server?.child);
    if (process.env.ONEUP_SHOTS_KEEP) log(`run folder kept: ${run}`); else fs.rmSync(run, { recursive: true, force: true });
  }
}

const only = process.env.ONEUP_SHOTS_THEME;
for (const theme of Object.keys(THEMES).filter((t) => !only || t === only)) await session(theme);
