import * as assert from 'node:assert/strict';
import type { Browser } from 'playwright-core';
import { bundleView } from '../../../src/core/render/bundleView';
import { detailView } from '../../../src/core/render/detail';
import { PatientRecord } from '../../../src/core/render/patientRecord';
import { buildClients, launchChromium, openWebview, Server, startWebviewServer } from './browser/harness';
import { bigBundle, synthea } from './fixtures';

describe('bundle viewer and patient record in Chromium: behaviour', function () {
  this.timeout(60_000);
  let browser: Browser;
  let server: Server;

  before(async () => {
    server = await startWebviewServer(await buildClients());
    browser = await launchChromium();
  });

  after(async () => {
    await browser?.close();
    await server?.close();
  });

  it('keeps only the rows near the viewport in the DOM for 5,000 entries, and scrolls through all of them', async () => {
    const bundle = bigBundle(5_000);
    const w = await openWebview(browser, server, 'bundle');
    try {
      await w.post({ type: 'bundle', view: bundleView(bundle, { viewId: 'big', title: 'big' }) });
      await w.page.waitForSelector('tr.row');
      assert.ok(await w.page.locator('tr.row').count() < 150, 'windowed');
      await w.page.locator('.grid-scroll').evaluate((e) => { (e as unknown as { scrollTop: number; scrollHeight: number }).scrollTop = (e as unknown as { scrollHeight: number }).scrollHeight; });
      const last = bundle.entry!.length - 1;
      const lastOfLastGroup = await w.page.locator('section.group').last().getAttribute('data-type');
      await w.page.waitForSelector(`section.group[data-type="${lastOfLastGroup}"] tr.row >> nth=-1`);
      assert.ok(await w.page.locator('tr.row').count() < 150, 'still windowed at the end');
      assert.ok(await w.page.locator(`tr.row[data-key="${last}"]`).count() + await w.page.locator('section.group').last().locator('tr.row').count() > 0);
      await w.page.fill('input.filter', 'Amoxicillin');
      await w.page.locator('.count', { hasText: 'of 5000' }).waitFor();
      const shown = await w.page.locator('tr.row').allTextContents();
      assert.ok(shown.length > 0 && shown.every((t) => t.includes('Amoxicillin')), 'the filter keeps matching rows only');
      assert.match(await w.page.locator('.count').textContent() ?? '', /^\d+ of 5000$/);
    } finally {
      await w.close();
    }
  });

  it('moves with the keyboard, opens with Enter, closes with Escape', async () => {
    const bundle = synthea('stu3');
    const w = await openWebview(browser, server, 'bundle');
    try {
      await w.post({ type: 'bundle', view: bundleView(bundle, { viewId: 'k', title: 'k' }) });
      await w.page.locator('tr.row').first().click();
      await w.page.keyboard.press('ArrowDown');
      await w.page.keyboard.press('ArrowDown');
      const selected = Number(await w.page.locator('tr.row.selected').getAttribute('data-key'));
      const focusedKey = await w.page.evaluate(() => (globalThis as unknown as { document: { activeElement: { getAttribute(n: string): string | null } } }).document.activeElement.getAttribute('data-key'));
      assert.equal(Number(focusedKey), selected, 'the selected row has the focus');
      await w.page.keyboard.press('Enter');
      assert.deepEqual((await w.sent()).pop(), { type: 'openDetail', key: selected });
      await w.post({ type: 'detail', detail: detailView(bundle.entry![selected].resource!, { key: selected }).view });
      await w.page.waitForSelector('.detail:not([hidden])');
      await w.page.keyboard.press('Escape');
      await w.page.waitForSelector('.detail', { state: 'hidden' });
      assert.deepEqual((await w.sent()).pop(), { type: 'closeDetail' });
      await w.page.keyboard.press('End');
      const lastKey = await w.page.locator('tr.row').last().getAttribute('data-key');
      assert.equal(await w.page.locator('tr.row.selected').getAttribute('data-key'), lastKey);
    } finally {
      await w.close();
    }
  });

  it('comes back with its filter, scroll and selection after being hidden (vscode.setState)', async () => {
    const bundle = bigBundle(2_000);
    const view = bundleView(bundle, { viewId: 'same', title: 'state' });
    const first = await openWebview(browser, server, 'bundle');
    let state: unknown;
    try {
      await first.post({ type: 'bundle', view });
      await first.page.fill('input.filter', 'observation');
      await first.page.locator('.count', { hasText: 'of 2000' }).waitFor();
      await first.page.locator('tr.row').nth(5).click();
      await first.page.locator('.grid-scroll').evaluate((e) => { (e as unknown as { scrollTop: number }).scrollTop = 300; });
      await first.page.waitForFunction(() => ((globalThis as unknown as { __state?: { scrollTop?: number } }).__state?.scrollTop ?? 0) >= 290);
      state = await first.page.evaluate(() => (globalThis as unknown as { __state: unknown }).__state);
    } finally {
      await first.close();
    }
    const again = await openWebview(browser, server, 'bundle', { state });
    try {
      await again.post({ type: 'bundle', view });
      await again.page.waitForSelector('tr.row.selected');
      assert.equal(await again.page.inputValue('input.filter'), 'observation');
      assert.ok(await again.page.locator('.grid-scroll').evaluate((e) => (e as unknown as { scrollTop: number }).scrollTop) >= 290);
      assert.equal(Number(await again.page.locator('tr.row.selected').getAttribute('data-key')), (state as { selectedKey: number }).selectedKey);
      await again.post({ type: 'bundle', view: { ...view, viewId: 'next-page' } });
      await again.page.waitForFunction(() => (globalThis as unknown as { document: { querySelector(s: string): { value: string } } }).document.querySelector('input.filter').value === '');
    } finally {
      await again.close();
    }
  });

  it('patient record asks for the next page while the end of the timeline is in view, and stops when there is no more', async () => {
    const bundle = synthea('dstu2');
    const entries = bundle.entry!;
    const record = new PatientRecord();
    const firstItems = record.addPage({ ...bundle, entry: entries.slice(0, 10) });
    const w = await openWebview(browser, server, 'patient');
    try {
      await w.post({ type: 'record', view: { viewId: 'p', title: 'p', header: record.header(), counts: record.countList(), items: firstItems, loaded: record.loaded, total: entries.length, hasMore: true } });
      await w.page.waitForFunction(() => (globalThis as unknown as { __sent: { type: string }[] }).__sent.some((m) => m.type === 'loadMore'));
      const rest = record.addPage({ ...bundle, entry: entries.slice(10) });
      await w.post({ type: 'append', items: rest, counts: record.countList(), header: record.header(), loaded: record.loaded, total: entries.length, hasMore: false });
      await w.page.waitForSelector('.timeline-footer.done');
      assert.equal(await w.page.locator('.tl-item').count(), firstItems.length + rest.length);
      const dates = await w.page.locator('.tl-item .tl-date').evaluateAll((els) => els.map((e) => (e as unknown as { title: string }).title));
      const times = dates.map((d) => Date.parse(d)).filter(Number.isFinite);
      assert.deepEqual(times, [...times].sort((a, b) => b - a), 'newest first');
      assert.equal((await w.sent()).filter((m) => m.type === 'loadMore').length, 1, 'one request per page');
      await w.page.locator('button.chip', { hasText: 'Observation' }).click();
      assert.equal(await w.page.locator('.tl-item[data-type="Observation"]').count(), 0, 'a type can be hidden');
    } finally {
      await w.close();
    }
  });
});
