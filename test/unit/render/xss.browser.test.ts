import * as assert from 'node:assert/strict';
import type { Browser } from 'playwright-core';
import { bundleView } from '../../../src/core/render/bundleView';
import { detailView } from '../../../src/core/render/detail';
import { PatientRecord } from '../../../src/core/render/patientRecord';
import type { Bundle } from '../../../src/core/fhir/types';
import { buildClients, launchChromium, openWebview, Server, startTrapServer, startWebviewServer, WebviewPage } from './browser/harness';
import { poisonBundle, stringPayloads } from './browser/payloads';
import { synthea } from './fixtures';

/**
 * CSP reports Chromium makes while DOMPurify parses a narrative into its inert document: inline
 * handlers, <style> and <base> there are checked (and refused) although nothing would run.
 */
const PARSE_TIME_REPORTS = [/^(script-src-attr|style-src-attr|style-src-elem) inline$/, /^base-uri /];

/** What a payload that ran or loaded would have left behind; none of it may be there. */
async function assertNothingRan(w: WebviewPage, server: Server, trap: Server, blockedByCsp: RegExp[] = []): Promise<void> {
  type G = { document: { images: ArrayLike<{ complete: boolean }> }; requestAnimationFrame(f: () => void): void };
  // let every image settle (an onerror payload fires when its image fails) and a frame or two pass
  await w.page.waitForFunction(() => Array.from((globalThis as unknown as G).document.images).every((i) => i.complete));
  await w.page.evaluate(() => new Promise<void>((r) => (globalThis as unknown as G).requestAnimationFrame(() => (globalThis as unknown as G).requestAnimationFrame(r))));
  assert.deepEqual(w.pwned, [], 'no payload ran');
  assert.notEqual(await w.page.title(), 'pwned');
  assert.ok(w.page.url().startsWith(`${server.origin}/page/`), `still on the page: ${w.page.url()}`);
  assert.deepEqual(trap.hits, [], 'nothing was fetched from the trap server');
  const violations = await w.violations();
  const blocked = (url: string) => blockedByCsp.some((re) => re.test(url)) && violations.some((v) => v.endsWith(` ${url}`));
  const offPage = w.requests.filter((u) => !u.startsWith(`${server.origin}/`) && !blocked(u));
  assert.deepEqual(offPage, [], 'nothing was requested off the webview\'s own source (but what the CSP blocked)');
  const unexpected = violations.filter((v) => !PARSE_TIME_REPORTS.some((re) => re.test(v)) && !blockedByCsp.some((re) => re.test(v.split(' ')[1] ?? '')));
  assert.deepEqual(unexpected, [], 'the CSP had to block no fetch and no script');
  const dom = await w.page.evaluate(() => {
    type El = { tagName: string; attributes: ArrayLike<{ name: string; value: string }> };
    const d = (globalThis as unknown as { document: { querySelectorAll(s: string): ArrayLike<El> } }).document;
    const all = Array.from(d.querySelectorAll('*'));
    return {
      handlers: all.flatMap((e) => Array.from(e.attributes).filter((a) => /^on/i.test(a.name)).map((a) => `${e.tagName} ${a.name}`)),
      scriptUrls: all.flatMap((e) => Array.from(e.attributes).filter((a) => /^\s*(javascript|vbscript|data:text)/i.test(a.value) && /^(href|src|action|formaction|data)$/i.test(a.name)).map((a) => `${e.tagName} ${a.name}=${a.value}`)),
      forbidden: Array.from(d.querySelectorAll('#app script, iframe:not(.connect-frame), object, embed, form, #app style, #app link, #app meta, base, svg, math, input:not(.filter)')).map((e) => e.tagName),
      apps: d.querySelectorAll('#app').length,
    };
  });
  assert.deepEqual(dom.handlers, [], 'no event handler attribute anywhere');
  assert.deepEqual(dom.scriptUrls, [], 'no script URL anywhere');
  assert.deepEqual(dom.forbidden, [], 'no forbidden element');
  assert.equal(dom.apps, 1, 'no id from data clobbers the page');
}

describe('webviews in Chromium: payloads in every field stay inert', function () {
  this.timeout(60_000);
  let browser: Browser;
  let server: Server;
  let trap: Server;
  let poisoned: Bundle;

  before(async () => {
    server = await startWebviewServer(await buildClients());
    trap = await startTrapServer();
    browser = await launchChromium();
    const source = synthea('r4');
    poisoned = poisonBundle({ ...source, entry: source.entry!.filter((_, i) => i % 3 === 0) }, trap.origin);
  });

  after(async () => {
    await browser?.close();
    await server?.close();
    await trap?.close();
  });

  afterEach(() => { trap.hits.length = 0; });

  it('bundle viewer: every row, every detail pane, references, filter and keyboard', async () => {
    const w = await openWebview(browser, server, 'bundle');
    try {
      await w.post({ type: 'bundle', view: bundleView(poisoned, { viewId: 'x', title: stringPayloads(trap.origin)[1], links: { next: true }, notice: stringPayloads(trap.origin)[0] }) });
      await w.page.waitForSelector('tr.row');
      assert.ok((await w.page.locator('td').allTextContents()).some((t) => t.includes('<script>')), 'payloads show as text');
      for (const [key, e] of poisoned.entry!.entries()) {
        await w.post({ type: 'detail', detail: detailView(e.resource!, { key, canGoBack: true, fromServer: true }).view });
        await w.page.hover('.narrative p');
      }
      await w.page.waitForSelector('.narrative >> text=Safe narrative text');
      assert.equal(await w.page.getAttribute('.narrative a[href="https://example.org/ok"]', 'rel'), 'noopener noreferrer');
      for (const link of await w.page.locator('.fields-section a.ref').all()) await link.click();
      await w.page.click('details.raw summary');
      await w.page.locator('tr.row').first().click();
      await w.page.keyboard.press('ArrowDown');
      await w.page.keyboard.press('Enter');
      await w.page.fill('input.filter', stringPayloads(trap.origin)[0]);
      await w.page.keyboard.press('Enter');
      const sent = await w.sent();
      assert.ok(sent.some((m) => m.type === 'openReference'), 'reference links ask the host');
      assert.ok(sent.filter((m) => m.type === 'openDetail').length >= 2, 'click and Enter open entries');
      await assertNothingRan(w, server, trap);
    } finally {
      await w.close();
    }
  });

  it('patient record: header, counts, timeline and details', async () => {
    const record = new PatientRecord();
    const items = record.addPage(poisoned);
    const w = await openWebview(browser, server, 'patient');
    try {
      await w.post({ type: 'record', view: { viewId: 'r', title: stringPayloads(trap.origin)[12], header: record.header(), counts: record.countList(), items, loaded: record.loaded, hasMore: false } });
      await w.page.waitForSelector('.tl-item');
      for (const item of items.slice(0, 15)) await w.post({ type: 'detail', detail: detailView(record.resource(item.key)!, { key: item.key }).view });
      await w.page.locator('.tl-item').first().click();
      await w.page.locator('button.chip').first().click();
      await assertNothingRan(w, server, trap);
    } finally {
      await w.close();
    }
  });

  it('resource panel', async () => {
    const w = await openWebview(browser, server, 'resource');
    try {
      await w.post({ type: 'detail', detail: detailView(poisoned.entry![0].resource!).view });
      await w.post({ type: 'error', message: stringPayloads(trap.origin)[0] });
      await w.page.waitForSelector('.narrative');
      await assertNothingRan(w, server, trap);
    } finally {
      await w.close();
    }
  });

  it('health system search and Connect page: names, addresses, logos; the frame stays on the environment', async () => {
    const payloads = stringPayloads(trap.origin);
    const systems = payloads.map((p, i) => ({ id: p, name: p, address: p, status: p, apiVersion: p, logoUrl: i % 2 ? `${trap.origin}/logo-${i}.png` : p }));
    const search = await openWebview(browser, server, 'healthSystems');
    try {
      await search.post({ type: 'results', seq: 1, query: payloads[0], items: systems });
      await search.page.waitForSelector('.hs-item');
      await search.page.locator('button.hs-connect').first().click();
      assert.ok((await search.sent()).some((m) => m.type === 'connectUser' && m.systemId === payloads[0]));
      // a logo from elsewhere is what the host filters out; if one got through, the CSP blocks it
      await assertNothingRan(search, server, trap, [new RegExp(`^${trap.origin}/logo-`)]);
    } finally {
      await search.close();
    }
    const connect = await openWebview(browser, server, 'connect', { query: { frame: server.origin, img: server.origin } });
    try {
      await connect.post({ type: 'connect', view: { user: { oneupUserId: payloads[1], appUserId: payloads[0] }, environment: payloads[3], frameUrl: `${server.origin}/frame`, isSandbox: true } });
      await connect.post({ type: 'systems', systems });
      await connect.post({ type: 'awaiting', systemName: payloads[1] });
      for (const url of [`${trap.origin}/navigate`, `javascript:__pwned('navigate')`, `data:text/html,<script>__pwned(1)</script>`]) await connect.post({ type: 'navigate', url });
      assert.ok(await connect.page.locator('.frame-pane').isHidden(), 'no sign-in page was shown for those addresses');
      await connect.post({ type: 'navigate', url: `${server.origin}/frame` });
      await connect.page.frameLocator('iframe.connect-frame').locator('h1').waitFor();
      assert.equal(await connect.page.getAttribute('iframe.connect-frame', 'src'), `${server.origin}/frame`);
      await assertNothingRan(connect, server, trap, [new RegExp(`^${trap.origin}/logo-`)]);
    } finally {
      await connect.close();
    }
  });

  it('refuses host messages from a framed page or outside the protocol', async () => {
    const w = await openWebview(browser, server, 'resource');
    try {
      await w.page.evaluate(() => {
        const g = globalThis as unknown as { postMessage(m: unknown, o: string): void; dispatchEvent(e: unknown): void; MessageEvent: new (t: string, i: unknown) => unknown; location: { origin: string } };
        const detail = { resourceType: 'Patient', title: 'from elsewhere', fieldsHtml: '', json: '{}', canGoBack: false, fromServer: false, isPatient: false };
        g.dispatchEvent(new g.MessageEvent('message', { data: { type: 'detail', detail }, origin: 'http://evil.example', source: null }));
        g.postMessage({ type: 'detail', detail: { ...detail, fieldsHtml: 5 } }, g.location.origin);
        g.postMessage({ type: 'eval', code: '__pwned(1)' }, g.location.origin);
      });
      await w.post({ type: 'error', message: 'a real host message' });
      await w.page.waitForSelector('.banner.error >> text=a real host message');
      assert.equal(await w.page.locator('.detail-title').count(), 0, 'no detail was shown');
      assert.deepEqual(w.pwned, []);
    } finally {
      await w.close();
    }
  });
});
