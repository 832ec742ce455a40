import * as assert from 'node:assert/strict';
import { bundleView } from '../../../src/core/render/bundleView';
import { detailView } from '../../../src/core/render/detail';
import { chromiumSuite, openWebview, Script } from './browser/harness';
import { synthea } from './fixtures';

// A small stand-in for VS Code's l10n bundle of a display language (what vscode.l10n.bundle holds).
const GERMAN: Record<string, string> = {
  'Open JSON': 'JSON öffnen',
  'Save Bundle…': 'Bundle speichern…',
  'Filter this page': 'Diese Seite filtern',
  '{0} of {1}': '{0} von {1}',
  'Raw JSON': 'JSON-Rohdaten',
  'Resource detail': 'Ressourcendetails',
  'Load more': 'Mehr laden',
  'Check for New Data': 'Nach neuen Daten suchen',
  'Search health systems, hospitals, clinics…': 'Gesundheitssysteme, Kliniken, Praxen suchen…',
  'Save As…': 'Speichern unter…',
  'Add a FHIRPath column': 'FHIRPath-Spalte hinzufügen',
  'Read Again': 'Neu einlesen',
  'Close': 'Schließen',
};

/** Per page: something it draws before any host message, as the German bundle says it. */
const FIRST_TEXT: Record<Script, { selector: string; attribute?: string; text: string }> = {
  bundle: { selector: 'button[data-action="openJson"] .label', text: 'JSON öffnen' },
  resource: { selector: 'aside.detail', attribute: 'aria-label', text: 'Ressourcendetails' },
  patient: { selector: 'button[data-action="loadMore"] .label', text: 'Mehr laden' },
  connect: { selector: 'button[data-action="checkForData"] .label', text: 'Nach neuen Daten suchen' },
  healthSystems: { selector: 'input.search', attribute: 'placeholder', text: 'Gesundheitssysteme, Kliniken, Praxen suchen…' },
  attachment: { selector: 'button[data-action="save"] .label', text: 'Speichern unter…' },
  ndjson: { selector: 'input.column-input', attribute: 'placeholder', text: 'FHIRPath-Spalte hinzufügen' },
  summary: { selector: 'button[data-action="rescan"] .label', text: 'Neu einlesen' },
  restore: { selector: 'button[data-action="close"] .label', text: 'Schließen' },
};

const HOSTILE = '</script><script>window.__pwned("l10n-script")</script><!--<img src=x onerror="window.__pwned(\'l10n-img\')">';

describe('webview translations (l10n bundle passed in the page) in Chromium', function () {
  this.timeout(60_000);
  const chrome = chromiumSuite();

  for (const [script, first] of Object.entries(FIRST_TEXT) as [Script, (typeof FIRST_TEXT)[Script]][]) {
    it(`${script}: draws its UI in the bundle's language from the first render, under the strict CSP`, async () => {
      const w = await openWebview(chrome.browser, chrome.server, script, { data: { l10n: GERMAN }, lang: 'de' });
      try {
        const node = w.page.locator(first.selector).first();
        const shown = first.attribute ? await node.getAttribute(first.attribute) : await node.textContent();
        assert.equal(shown, first.text);
        assert.equal(await w.page.getAttribute('html', 'lang'), 'de');
        assert.deepEqual(await w.violations(), [], 'the data block needs no CSP exception');
      } finally {
        await w.close();
      }
    });
  }

  it('bundle viewer: placeholders, counts and the detail pane follow the bundle; English where it has no entry', async () => {
    const bundle = synthea('r4');
    const w = await openWebview(chrome.browser, chrome.server, 'bundle', { data: { l10n: GERMAN }, lang: 'de' });
    try {
      await w.post({ type: 'bundle', view: bundleView(bundle, { viewId: 'de', title: 'Bundle' }) });
      await w.page.locator('tr.row').first().waitFor();
      assert.equal(await w.page.getAttribute('input.filter', 'placeholder'), 'Diese Seite filtern');
      assert.equal(await w.page.textContent('button[data-action="saveBundle"] .label'), 'Bundle speichern…');
      assert.equal(await w.page.textContent('button[data-action="copyNdjson"] .label'), 'Copy as NDJSON', 'a string the bundle lacks stays in English');
      await w.page.fill('input.filter', 'Encounter');
      await w.page.locator('.count', { hasText: ' von ' }).waitFor();
      assert.match(await w.page.textContent('.count') ?? '', /^\d+ von \d+$/);
      await w.post({ type: 'detail', detail: detailView(bundle.entry![0].resource!, { key: 0 }).view });
      await w.page.locator('details.raw summary').waitFor();
      assert.equal(await w.page.textContent('details.raw summary'), 'JSON-Rohdaten');
      assert.deepEqual(await w.violations(), []);
    } finally {
      await w.close();
    }
  });

  it('a hostile string in the bundle cannot end the data block, run, or become markup', async () => {
    const hostile = { ...GERMAN, 'Open JSON': HOSTILE, [HOSTILE]: HOSTILE, 'Save Bundle…': '<img src=x onerror="window.__pwned(\'label\')">' };
    const w = await openWebview(chrome.browser, chrome.server, 'bundle', { data: { l10n: hostile } });
    try {
      assert.equal(await w.page.textContent('button[data-action="openJson"] .label'), HOSTILE, 'shown as the text it is');
      assert.equal(await w.page.locator('button[data-action="saveBundle"] img').count(), 0);
      assert.equal(await w.page.locator('script').count(), 2, 'the data block and the nonce\'d script, nothing injected');
      assert.equal(await w.page.locator('#oneup-page-data').getAttribute('type'), 'application/json');
      await w.page.waitForTimeout(300);
      assert.deepEqual(w.pwned, []);
      assert.deepEqual(await w.violations(), [], 'not even an inline script was attempted');
      assert.ok(w.requests.every((u) => u.startsWith(chrome.server.origin)), 'no request left the webview\'s own source');
    } finally {
      await w.close();
    }
  });

  it('a data block that is not a bundle (wrong types, not JSON) is ignored: the page still renders in English', async () => {
    const w = await openWebview(chrome.browser, chrome.server, 'bundle', { data: { l10n: { 'Open JSON': 42, 'Save Bundle…': { nested: true } } } });
    try {
      assert.equal(await w.page.textContent('button[data-action="openJson"] .label'), 'Open JSON');
      assert.equal(await w.page.textContent('button[data-action="saveBundle"] .label'), 'Save Bundle…');
    } finally {
      await w.close();
    }
  });
});
