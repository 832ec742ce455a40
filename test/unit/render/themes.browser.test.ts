import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Browser } from 'playwright-core';
import { bundleView } from '../../../src/core/render/bundleView';
import { describeResource, detailView } from '../../../src/core/render/detail';
import { indexEntries } from '../../../src/core/render/references';
import type { Bundle } from '../../../src/core/fhir/types';
import { PatientRecord } from '../../../src/core/render/patientRecord';
import { buildClients, launchChromium, openWebview, Server, startWebviewServer } from './browser/harness';
import { assertReadable } from './browser/contrast';
import { THEMES } from './browser/themes';
import { ROOT, synthea } from './fixtures';

const OUT = path.join(ROOT, 'test-results');

/** Names references by the Bundle's own resources, as the host does. */
function describeIn(bundle: Bundle): (reference: string) => string | undefined {
  const entries = indexEntries(bundle);
  return (reference) => {
    const key = entries.get(reference);
    const r = key === undefined ? undefined : bundle.entry![key].resource;
    return r ? describeResource(r) : undefined;
  };
}

describe('webviews in the light, dark and high-contrast themes', function () {
  this.timeout(60_000);
  let browser: Browser;
  let server: Server;

  before(async () => {
    fs.mkdirSync(OUT, { recursive: true });
    server = await startWebviewServer(await buildClients());
    browser = await launchChromium();
  });

  after(async () => {
    await browser?.close();
    await server?.close();
  });

  for (const [name, theme] of Object.entries(THEMES)) {
    it(`${name}: bundle viewer with a detail pane is readable`, async () => {
      const bundle = synthea('r4');
      const w = await openWebview(browser, server, 'bundle', { theme, viewport: { width: 1120, height: 680 } });
      try {
        await w.post({ type: 'bundle', view: bundleView(bundle, { viewId: 'r4', title: 'Wm Bergstrom — Synthea R4', links: { next: true, last: true }, page: 1 }) });
        const row = w.page.locator('tr.row', { hasText: 'Emergency room admission' }).first();
        await row.click();
        const key = Number(await row.getAttribute('data-key'));
        assert.deepEqual((await w.sent()).filter((m) => m.type === 'openDetail').pop(), { type: 'openDetail', key }, 'clicking a row asks for its detail');
        await w.post({ type: 'detail', detail: detailView(bundle.entry![key].resource!, { key, fromServer: true, describeReference: describeIn(bundle) }).view });
        await w.page.locator('tr.row.selected').focus();
        await w.page.waitForSelector('.detail-title');
        await w.page.evaluate(() => (globalThis as unknown as { document: { fonts: { ready: Promise<unknown> } } }).document.fonts.ready);
        await w.page.screenshot({ path: path.join(OUT, `bundle-viewer-${name}.png`) });
        await assertReadable(w, ['.title', '.meta', '.page-label', 'table.grid th', 'tr.row:not(.selected) td', 'tr.row.selected td', '.group-head .badge', '.button.secondary .label', '.detail-title', 'dl.fields > dt', 'dl.fields > dd', 'a.ref']);
      } finally {
        await w.close();
      }
    });

    it(`${name}: patient record is readable`, async () => {
      const record = new PatientRecord();
      const bundle = synthea('r4');
      const items = record.addPage({ ...bundle, total: bundle.entry!.length + 40 });
      const w = await openWebview(browser, server, 'patient', { theme, viewport: { width: 1120, height: 620 } });
      try {
        await w.post({ type: 'record', view: { viewId: 'p', title: 'Record', header: record.header(new Date('2020-06-01')), counts: record.countList(), items, loaded: record.loaded, total: record.total, hasMore: false } });
        const item = w.page.locator('.tl-item', { hasText: 'Blood Pressure' }).first();
        await item.click();
        const key = Number(await item.getAttribute('data-key'));
        assert.deepEqual((await w.sent()).filter((m) => m.type === 'openDetail').pop(), { type: 'openDetail', key }, 'clicking an event asks for its detail');
        await w.post({ type: 'detail', detail: detailView(record.resource(key)!, { key, fromServer: true, describeReference: describeIn(bundle) }).view });
        await w.page.waitForSelector('.detail-title');
        await item.focus();
        await w.page.evaluate(() => (globalThis as unknown as { document: { fonts: { ready: Promise<unknown> } } }).document.fonts.ready);
        await w.page.screenshot({ path: path.join(OUT, `patient-record-${name}.png`) });
        await assertReadable(w, ['.ph-name', '.ph-facts', '.ph-ids li', '.chip.on', '.tl-year', '.tl-item:not(.selected) .tl-date', '.tl-item:not(.selected) .tl-title', '.tl-detail', '.tl-status', '.count', '.tl-item.selected .tl-title', '.detail-title', 'dl.fields > dt']);
      } finally {
        await w.close();
      }
    });
  }
});
