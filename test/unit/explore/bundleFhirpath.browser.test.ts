import * as assert from 'node:assert/strict';
import type { Browser } from 'playwright-core';
import { compileFhirPath, FhirPathError, filterVerdict } from '../../../src/core/explore/fhirpath';
import { bundleView } from '../../../src/core/render/bundleView';
import { buildClients, launchChromium, openWebview, type Server, startWebviewServer } from '../render/browser/harness';
import { synthea } from '../render/fixtures';

describe('bundle viewer in Chromium: FHIRPath filter mode', function () {
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

  it('sends the expression on Enter, keeps only the matching entries, and shows a syntax error inline', async () => {
    const bundle = synthea('r4');
    const w = await openWebview(browser, server, 'bundle');
    try {
      await w.post({ type: 'bundle', view: bundleView(bundle, { viewId: 'fp', title: 'fp' }) });
      await w.page.waitForSelector('tr.row');
      await w.page.click('button[data-action="fhirpathMode"]');
      assert.equal(await w.page.getAttribute('button[data-action="fhirpathMode"]', 'aria-pressed'), 'true');
      const expression = "resourceType = 'Immunization' and status = 'completed'";
      await w.page.fill('input.filter', expression);
      await w.page.press('input.filter', 'Enter');
      await w.page.waitForFunction((x) => (globalThis as unknown as { __sent: { type: string; expression?: string }[] }).__sent.some((m) => m.type === 'fhirpathFilter' && m.expression === x), expression);
      // what the host answers: fhirpath.js over the page's entries
      const evaluate = compileFhirPath(expression, 'r4');
      const keys = (bundle.entry ?? []).flatMap((e, i) => (filterVerdict(evaluate(structuredClone(e.resource!))) === true ? [i] : []));
      assert.ok(keys.length > 0);
      await w.post({ type: 'fhirpathResult', expression, keys });
      await w.page.waitForFunction((n) => (globalThis as unknown as { document: { querySelectorAll(s: string): { length: number } } }).document.querySelectorAll('tr.row').length === n, keys.length);
      const shown = (await w.page.locator('tr.row').evaluateAll((rows) => rows.map((r) => Number((r as unknown as { dataset: { key: string } }).dataset.key)))).sort((a, b) => a - b);
      assert.deepEqual(shown, keys);
      assert.equal(await w.page.locator('section.group:not([hidden])').count(), 1, 'only the Immunization table');
      // a syntax error
      const bad = 'status = ';
      let message = '';
      try {
        compileFhirPath(bad, 'r4');
      } catch (e) {
        assert.ok(e instanceof FhirPathError);
        message = e.message;
      }
      await w.page.fill('input.filter', bad);
      await w.page.press('input.filter', 'Enter');
      await w.post({ type: 'fhirpathResult', expression: bad.trim(), error: message });
      await w.page.locator('#fhirpath-error', { hasText: /Syntax error at column/ }).waitFor();
      // leaving FHIRPath mode shows every entry again
      await w.page.click('button[data-action="fhirpathMode"]');
      await w.page.fill('input.filter', '');
      await w.page.waitForFunction((n) => (globalThis as unknown as { document: { querySelectorAll(s: string): { length: number } } }).document.querySelectorAll('section.group:not([hidden])').length > n, 1);
      assert.ok(await w.page.locator('#fhirpath-error').isHidden());
      assert.deepEqual(await w.violations(), []);
    } finally {
      await w.close();
    }
  });
});
