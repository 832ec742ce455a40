import * as assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import type { Browser } from 'playwright-core';
import type { WorkerPool } from '../../../src/core/explore/pool';
import { summarizeExport } from '../../../src/core/explore/summary';
import type { ExportSummaryView } from '../../../src/core/webviewProtocol/exportSummary';
import { addProblems, sandboxExport } from '../../explore/generate';
import { ROOT } from '../render/fixtures';
import { buildClients, launchChromium, openWebview, type Server, startWebviewServer } from '../render/browser/harness';
import { THEMES } from '../render/browser/themes';
import { bridge, testPool } from './bridge';

/** Where the pictures of this run go (SHOTS_DIR, else .shots/ in the checkout, which git ignores). */
const SHOTS = process.env.ONEUP_EXPLORE_SHOTS ?? path.join(ROOT, '.shots');

describe('export summary in Chromium: charts in theme colours with text alternatives', function () {
  this.timeout(120_000);
  let browser: Browser;
  let server: Server;
  let pool: WorkerPool;
  let dir: string;
  let view: ExportSummaryView;
  let observations: string;

  before(async () => {
    dir = mkdtempSync(path.join(tmpdir(), 'oneup-summary-view-'));
    const e = await sandboxExport(path.join(dir, '2026-02-03T10-20-30Z'), { patients: 40, maxPerFile: 2_000 });
    await addProblems(e);
    observations = path.join(e.folder, 'Observation.ndjson');
    pool = testPool();
    view = await summarizeExport(e.folder, pool, () => undefined);
    server = await startWebviewServer(await buildClients());
    browser = await launchChromium();
    mkdirSync(SHOTS, { recursive: true });
  });

  after(async () => {
    await browser?.close();
    await server?.close();
    await pool?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  for (const [name, theme] of Object.entries(THEMES)) {
    it(`draws every chart as SVG with a title, a description and its data table (${name})`, async () => {
      const w = await openWebview(browser, server, 'summary', { theme, viewport: { width: 1280, height: 1100 } });
      try {
        await w.post({ type: 'summary', view, scanning: false });
        await w.page.waitForSelector('figure#types svg');
        for (const id of ['types', 'patients', 'timeline', 'files', 'errors', 'deleted']) {
          const fig = w.page.locator(`figure#${id}`);
          assert.equal(await fig.locator('svg[role="img"]').count(), 1, `${id} is an image`);
          const labelled = await fig.locator('svg').getAttribute('aria-labelledby');
          assert.equal(labelled, `${id}-title ${id}-desc`);
          assert.match(await fig.locator('.chart-desc').textContent() ?? '', /in all\. Largest: /);
          assert.ok(await fig.locator('table.data tbody tr').count() > 0, `${id} has its numbers as a table`);
        }
        const typeRows = await w.page.locator('figure#types table.data tbody tr').allTextContents();
        assert.equal(typeRows.length, view.byType.length);
        assert.ok(typeRows.some((t) => t.startsWith('Observation')));
        // bars take the theme's chart colours, deleted entries and error reports theirs
        const vars = theme.vars as Record<string, string>;
        const fill = (sel: string) => w.page.locator(sel).first().evaluate((e) => (globalThis as unknown as { getComputedStyle(x: unknown): { fill: string } }).getComputedStyle(e).fill);
        const rgb = (hex: string) => `rgb(${[1, 3, 5].map((i) => parseInt(hex.slice(i, i + 2), 16)).join(', ')})`;
        assert.equal(await fill('figure#types rect.bar'), rgb(vars['--vscode-charts-blue']));
        assert.equal(await fill('figure#deleted rect.bar'), rgb(vars['--vscode-charts-orange']));
        assert.equal(await fill('figure#errors rect.bar'), rgb(vars['--vscode-charts-red']));
        assert.deepEqual(await w.violations(), [], 'nothing the CSP refused (no inline styles)');
        await w.page.screenshot({ path: path.join(SHOTS, `export-summary-${name}.png`), fullPage: true });
      } finally {
        await w.close();
      }
    });
  }

  it('the NDJSON view of the export\'s Observations (picture)', async () => {
    const w = await openWebview(browser, server, 'ndjson', { theme: THEMES.dark, viewport: { width: 1280, height: 700 } });
    const b = await bridge(w, observations, pool);
    try {
      await b.session.ndjson.indexed;
      await b.session.addColumn('subject.reference');
      await w.page.locator('th', { hasText: 'subject.reference' }).waitFor();
      await w.page.locator('tr.row td', { hasText: /^Patient\// }).first().waitFor();
      await w.page.screenshot({ path: path.join(SHOTS, 'ndjson-viewer-dark.png') });
    } finally {
      await b.stop();
      await w.close();
    }
  });
});
