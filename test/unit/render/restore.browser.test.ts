import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { bundleView } from '../../../src/core/render/bundleView';
import type { Restore } from '../../../src/webviews/restore/descriptor';
import { RESTORE_KEY } from '../../../src/webviews/restore/restoreKey';
import { chromiumSuite, openWebview } from './browser/harness';
import { assertReadable } from './browser/contrast';
import { THEMES } from './browser/themes';
import { ROOT, synthea } from './fixtures';

const OUT = path.join(ROOT, 'test-results');
const SEARCH: Restore = { kind: 'search', env: 'Local Sandbox', version: 'r4', user: { oneupUserId: '1', appUserId: 'demo-user-1' }, title: 'Observation?_count=20', search: { type: 'Observation', params: [['_count', '20']] } };
type Saved = Record<string, unknown>;

describe('panels after a reload, in Chromium: what the webview saves and the restore page', function () {
  this.timeout(60_000);
  const chrome = chromiumSuite();
  before(() => { fs.mkdirSync(OUT, { recursive: true }); });

  const state = (w: Awaited<ReturnType<typeof openWebview>>) => w.page.evaluate(() => (globalThis as unknown as { __state: unknown }).__state) as Promise<Saved | undefined>;

  it('a page saves where its data came from as soon as it loads, and keeps it beside its own state (filter, scroll)', async () => {
    const w = await openWebview(chrome.browser, chrome.server, 'bundle', { data: { restore: SEARCH } });
    try {
      assert.deepEqual((await state(w))?.[RESTORE_KEY], SEARCH, 'saved before the user touches anything');
      await w.post({ type: 'bundle', view: bundleView(synthea('r4'), { viewId: 'v1', title: 'Bundle' }) });
      await w.page.locator('tr.row').first().waitFor();
      await w.page.fill('input.filter', 'Encounter');
      await w.page.waitForFunction(() => ((globalThis as unknown as { __state?: { filter?: string } }).__state?.filter) === 'Encounter');
      const saved = await state(w);
      assert.deepEqual(saved?.[RESTORE_KEY], SEARCH);
      assert.equal(saved?.viewId, 'v1');
    } finally {
      await w.close();
    }
  });

  it('the saved state holds no token, even for the Connect page whose frame address carries one', async () => {
    const w = await openWebview(chrome.browser, chrome.server, 'connect', { data: { restore: { kind: 'connect', env: 'Local Sandbox', user: { oneupUserId: '1', appUserId: 'demo-user-1' } } }, query: { frame: chrome.server.origin } });
    try {
      await w.post({ type: 'connect', view: { user: { oneupUserId: '1', appUserId: 'demo-user-1' }, environment: 'Local Sandbox', frameUrl: `${chrome.server.origin}/frame?client_id=c&access_token=SECRET-TOKEN-123`, isSandbox: true } });
      await w.page.fill('input.search', 'clinic');
      await w.page.waitForFunction(() => ((globalThis as unknown as { __state?: { filter?: string } }).__state?.filter) === 'clinic');
      assert.ok(!JSON.stringify(await state(w)).includes('SECRET-TOKEN-123'));
    } finally {
      await w.close();
    }
  });

  it('the restore page says it is reopening, then why it cannot, with Retry, the fix and Close (keyboard first on the fix)', async () => {
    const w = await openWebview(chrome.browser, chrome.server, 'restore', { data: { restore: SEARCH } });
    try {
      await w.post({ type: 'restoring', title: 'Observation?_count=20', message: 'Reopening Observation?_count=20…' });
      await w.page.locator('.restore-message', { hasText: 'Reopening Observation?_count=20…' }).waitFor();
      assert.equal(await w.page.textContent('h1'), 'Observation?_count=20');
      assert.ok(await w.page.locator('.progress').isVisible(), 'busy while reopening');
      assert.ok(await w.page.locator('.restore-actions').isHidden(), 'no buttons yet');
      await w.post({ type: 'unavailable', title: 'Observation?_count=20', message: 'This panel shows data from the local sandbox, which is not running.', retry: true, fix: { id: 'startSandbox', label: 'Start Local Sandbox' } });
      await w.page.locator('.restore-actions').waitFor();
      assert.equal(await w.page.textContent('.restore-message'), 'This panel shows data from the local sandbox, which is not running.');
      assert.ok(await w.page.locator('.progress').isHidden());
      assert.deepEqual(await w.page.locator('.restore-actions button:visible .label').allTextContents(), ['Retry', 'Start Local Sandbox', 'Close']);
      assert.equal(await w.page.evaluate(() => (globalThis as unknown as { document: { activeElement: { textContent: string } } }).document.activeElement.textContent), 'Start Local Sandbox');
      await w.page.keyboard.press('Enter');
      await w.page.click('button[data-action="retry"]');
      await w.page.click('button[data-action="close"]');
      assert.deepEqual((await w.sent()).slice(-3), [{ type: 'fix', id: 'startSandbox' }, { type: 'retry' }, { type: 'close' }]);
      assert.deepEqual((await state(w))?.[RESTORE_KEY], SEARCH, 'a panel that could not come back still can after the next reload');
      // without a way to try again: Close only
      await w.post({ type: 'unavailable', title: 'Panel', message: 'This panel cannot be reopened.', retry: false });
      // the page handles the message on its own turn: wait for it to show the new message
      await w.page.locator('.restore-message', { hasText: 'This panel cannot be reopened.' }).waitFor();
      assert.deepEqual(await w.page.locator('.restore-actions button:visible .label').allTextContents(), ['Close']);
      assert.deepEqual(await w.violations(), []);
    } finally {
      await w.close();
    }
  });

  it('the restore page refuses messages outside its protocol and shows messages as text', async () => {
    const w = await openWebview(chrome.browser, chrome.server, 'restore');
    try {
      await w.post({ type: 'unavailable', title: 'T', message: 'x', retry: true, fix: { id: 'rm -rf', label: 'Run' } });
      await w.post({ type: 'unavailable', title: '<img src=x onerror="window.__pwned(1)">', message: '<b>bold</b>', retry: true });
      await w.page.locator('.restore-actions').waitFor();
      assert.equal(await w.page.textContent('h1'), '<img src=x onerror="window.__pwned(1)">');
      assert.equal(await w.page.locator('.restore-message b').count(), 0);
      assert.ok(await w.page.locator('button[data-action="fix"]').isHidden(), 'the message with an unknown fix was refused');
      assert.deepEqual(w.pwned, []);
    } finally {
      await w.close();
    }
  });

  for (const [name, theme] of Object.entries(THEMES)) {
    it(`${name}: the restore page is readable`, async () => {
      const w = await openWebview(chrome.browser, chrome.server, 'restore', { theme, viewport: { width: 900, height: 420 } });
      try {
        await w.post({ type: 'unavailable', title: 'Record: Wm Bergstrom', message: 'This panel shows data from the local sandbox, which is not running. Start it to reopen the panel.', retry: true, fix: { id: 'startSandbox', label: 'Start Local Sandbox' } });
        await w.page.locator('.restore-actions').waitFor();
        await w.page.evaluate(() => (globalThis as unknown as { document: { fonts: { ready: Promise<unknown> } } }).document.fonts.ready);
        await w.page.screenshot({ path: path.join(OUT, `restore-${name}.png`) });
        await assertReadable(w, ['h1', '.restore-message', '.button.primary .label', '.button.secondary .label']);
      } finally {
        await w.close();
      }
    });
  }
});
