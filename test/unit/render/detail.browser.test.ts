import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Browser } from 'playwright-core';
import type { Bundle, Resource } from '../../../src/core/fhir/types';
import { bundleView } from '../../../src/core/render/bundleView';
import { decodeText } from '../../../src/core/render/attachments';
import { describeResource, detailView } from '../../../src/core/render/detail';
import { PatientRecord } from '../../../src/core/render/patientRecord';
import { indexEntries } from '../../../src/core/render/references';
import { assertReadable } from './browser/contrast';
import { buildClients, launchChromium, openWebview, Server, startTrapServer, startWebviewServer, WebviewPage } from './browser/harness';
import { THEMES } from './browser/themes';
import { ROOT } from './fixtures';
import { readBundle } from './labelFixtures';

const OUT = path.join(ROOT, 'test-results');

type Doc = { document: { activeElement: { tagName: string; textContent: string } | null; querySelector(s: string): { open?: boolean } | null } };

function describeIn(bundle: Bundle): (reference: string) => string | undefined {
  const entries = indexEntries(bundle);
  return (reference) => {
    const key = entries.get(reference);
    const r = key === undefined ? undefined : bundle.entry![key].resource;
    return r ? describeResource(r) : undefined;
  };
}

async function showDetail(w: WebviewPage, resource: Resource): Promise<void> {
  await w.post({ type: 'detail', detail: detailView(resource, { fromServer: true }).view });
  await w.page.waitForSelector('.detail-title');
}

describe('detail pane in Chromium: narratives that sanitizing empties, attachments', function () {
  this.timeout(60_000);
  let browser: Browser;
  let server: Server;
  let trap: Server;
  const dstu2 = readBundle('test/fixtures/dstu2/production-like.json');
  const report = dstu2.entry!.map((e) => e.resource!).find((r) => r.resourceType === 'DiagnosticReport')!;

  before(async () => {
    fs.mkdirSync(OUT, { recursive: true });
    server = await startWebviewServer(await buildClients());
    trap = await startTrapServer();
    browser = await launchChromium();
  });

  after(async () => {
    await browser?.close();
    await server?.close();
    await trap?.close();
  });

  it('says "narrative hidden: unsafe content" when sanitizing removes everything, and the raw JSON is one keypress away', async () => {
    const w = await openWebview(browser, server, 'resource');
    try {
      const evil = `<div xmlns="http://www.w3.org/1999/xhtml"><script>window.__pwned('script')</script><img src="${trap.origin}/x.png" onerror="window.__pwned('img')"><iframe src="${trap.origin}/f"></iframe><style>body{display:none}</style></div>`;
      await showDetail(w, { resourceType: 'Observation', id: 'o1', status: 'final', code: { text: 'Heart rate' }, text: { status: 'generated', div: evil } });
      const notice = w.page.locator('.narrative-hidden');
      await notice.waitFor();
      assert.match(await notice.textContent() ?? '', /Narrative hidden: unsafe content/);
      assert.equal(await w.page.locator('section.narrative').count(), 0, 'no empty narrative box');
      await w.page.locator('.narrative-hidden button').focus();
      await w.page.keyboard.press('Enter');
      await w.page.waitForFunction(() => (globalThis as unknown as Doc).document.querySelector('details.raw')?.open === true);
      const focused = await w.page.evaluate(() => (globalThis as unknown as Doc).document.activeElement?.textContent);
      assert.equal(focused, 'Raw JSON', 'the raw JSON has the focus');
      assert.match(await w.page.locator('details.raw code').textContent() ?? '', /window\.__pwned\('script'\)/, 'the raw JSON keeps the narrative as sent');
      assert.deepEqual(w.pwned, []);
      assert.deepEqual(trap.hits, []);
    } finally {
      await w.close();
    }
  });

  it('shows a safe narrative as before, and says nothing about an empty one', async () => {
    const w = await openWebview(browser, server, 'resource');
    try {
      await showDetail(w, { resourceType: 'Observation', id: 'o2', text: { status: 'generated', div: '<div xmlns="http://www.w3.org/1999/xhtml"><p><b>Heart rate</b>: 88 /min</p><script>1</script></div>' } });
      assert.equal(await w.page.locator('section.narrative').textContent(), 'Heart rate: 88 /min');
      assert.equal(await w.page.locator('.narrative-hidden').count(), 0);
      await showDetail(w, { resourceType: 'Observation', id: 'o3', text: { status: 'empty', div: '<div xmlns="http://www.w3.org/1999/xhtml"> <p></p> </div>' } });
      assert.equal(await w.page.locator('.narrative-hidden').count(), 0);
      assert.equal(await w.page.locator('section.narrative').count(), 0);
    } finally {
      await w.close();
    }
  });

  it('lists a report\'s attachments with Open and Save As… buttons the keyboard reaches', async () => {
    const w = await openWebview(browser, server, 'resource');
    try {
      await showDetail(w, report);
      const items = w.page.locator('li.attachment');
      assert.equal(await items.count(), 3);
      assert.deepEqual(await w.page.locator('.attachment-title').allTextContents(), ['XR Chest 2 Views', 'XR Chest 2 Views.pdf', 'PDF attachment']);
      assert.match(await items.nth(1).locator('.attachment-details').textContent() ?? '', /^application\/pdf · \d+ B · created 2019-01-20 20:02$/);
      await items.nth(0).getByRole('button', { name: 'Open XR Chest 2 Views' }).click();
      assert.deepEqual((await w.sent()).pop(), { type: 'openAttachment', index: 0, save: false });
      await items.nth(1).getByRole('button', { name: /^Save XR Chest 2 Views\.pdf As/ }).focus();
      await w.page.keyboard.press('Enter');
      assert.deepEqual((await w.sent()).pop(), { type: 'openAttachment', index: 1, save: true });
      await w.page.keyboard.press('Tab');
      assert.match(await w.page.evaluate(() => (globalThis as unknown as Doc).document.activeElement?.textContent ?? ''), /Open/, 'Tab goes on to the next attachment');
    } finally {
      await w.close();
    }
  });

  it('an HTML attachment shows sanitized in its own page: its text, no script, no remote image, no javascript: link', async () => {
    const w = await openWebview(browser, server, 'attachment');
    try {
      const form = (report as unknown as { presentedForm: { data: string; contentType: string }[] }).presentedForm[0];
      const html = decodeText(Buffer.from(form.data, 'base64'), form.contentType).replace('https://example.invalid', trap.origin);
      await w.post({ type: 'attachment', title: 'XR Chest 2 Views', details: 'text/html · 1 KB', html });
      await w.page.waitForSelector('article.attachment-doc h1');
      assert.equal(await w.page.locator('article.attachment-doc h1').textContent(), 'XR Chest 2 Views');
      assert.match(await w.page.locator('article.attachment-doc').textContent() ?? '', /Impression: No acute cardiopulmonary process\./);
      assert.equal(await w.page.locator('article.attachment-doc img[src]').count(), 0);
      assert.equal(await w.page.locator('a[href^="javascript"]').count(), 0);
      await w.page.getByRole('button', { name: 'Save As…' }).click();
      assert.deepEqual((await w.sent()).pop(), { type: 'save' });
      assert.deepEqual(w.pwned, []);
      assert.deepEqual(trap.hits, []);
      await w.post({ type: 'attachment', title: 'x', details: '', html: `<script>window.__pwned(1)</script><iframe src="${trap.origin}"></iframe>` });
      await w.page.locator('.notice', { hasText: 'Attachment hidden: unsafe content' }).waitFor();
    } finally {
      await w.close();
    }
  });

  for (const [name, theme] of Object.entries(THEMES)) {
    it(`${name}: DSTU2 production-like data in the bundle viewer (report with attachments) and the patient record is readable`, async () => {
      const w = await openWebview(browser, server, 'bundle', { theme, viewport: { width: 1180, height: 700 } });
      try {
        await w.post({ type: 'bundle', view: bundleView(dstu2, { viewId: 'd2', title: 'Rivera, Alexis T — DSTU2 $everything', links: {}, page: 1 }) });
        await w.page.fill('input.filter', 'XR Chest');
        const row = w.page.locator('section.group[data-type="DiagnosticReport"] tr.row').first();
        await row.click();
        const key = Number(await row.getAttribute('data-key'));
        await w.post({ type: 'detail', detail: detailView(dstu2.entry![key].resource!, { key, fromServer: true, describeReference: describeIn(dstu2) }).view });
        await w.page.waitForSelector('li.attachment');
        await w.page.evaluate(() => (globalThis as unknown as { document: { fonts: { ready: Promise<unknown> } } }).document.fonts.ready);
        await w.page.screenshot({ path: path.join(OUT, `dstu2-bundle-viewer-${name}.png`) });
        await assertReadable(w, ['.attachments-head', '.attachment-title', '.attachment-details', 'li.attachment .button.secondary .label']);
      } finally {
        await w.close();
      }
      const record = new PatientRecord();
      const items = record.addPage(dstu2);
      const p = await openWebview(browser, server, 'patient', { theme, viewport: { width: 1180, height: 700 } });
      try {
        await p.post({ type: 'record', view: { viewId: 'd2', title: 'Record', header: record.header(new Date('2020-06-01')), counts: record.countList(), items, loaded: record.loaded, total: record.total, hasMore: false } });
        const enc = p.page.locator('.tl-item', { hasText: 'Emergency' }).first();
        assert.doesNotMatch(await p.page.locator('.timeline').textContent() ?? '', /Patient Name/, 'no narrative on the timeline');
        await enc.click();
        const key = Number(await enc.getAttribute('data-key'));
        await p.post({ type: 'detail', detail: detailView(record.resource(key)!, { key, fromServer: true, describeReference: describeIn(dstu2) }).view });
        await p.page.waitForSelector('.detail-title');
        await p.page.evaluate(() => (globalThis as unknown as { document: { fonts: { ready: Promise<unknown> } } }).document.fonts.ready);
        await p.page.screenshot({ path: path.join(OUT, `dstu2-patient-record-${name}.png`) });
        await assertReadable(p, ['.tl-item:not(.selected) .tl-title', '.tl-detail', '.detail-title']);
      } finally {
        await p.close();
      }
      const h = await openWebview(browser, server, 'resource', { theme });
      try {
        await showDetail(h, { resourceType: 'Observation', id: 'o1', code: { text: 'Heart rate' }, text: { status: 'generated', div: '<div><script>1</script></div>' } });
        await assertReadable(h, ['.narrative-hidden strong', '.narrative-hidden p']);
      } finally {
        await h.close();
      }
    });
  }
});
