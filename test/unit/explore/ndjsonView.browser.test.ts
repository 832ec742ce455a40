import * as assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import type { Browser } from 'playwright-core';
import type { WorkerPool } from '../../../src/core/explore/pool';
import { buildClients, launchChromium, openWebview, type Server, startWebviewServer } from '../render/browser/harness';
import { THEMES } from '../render/browser/themes';
import { bridge, testPool } from './bridge';

type El = { scrollTop: number; scrollHeight: number; clientHeight: number };

describe('NDJSON viewer in Chromium, on real files', function () {
  this.timeout(120_000);
  let browser: Browser;
  let server: Server;
  let pool: WorkerPool;
  let dir: string;
  let big: string;
  let broken: string;
  let medium: string;
  const ROWS = 400_000;

  before(async () => {
    dir = mkdtempSync(path.join(tmpdir(), 'oneup-ndjson-view-'));
    // more rows than a browser can lay out at full height: the grid must scale its scrollbar
    big = path.join(dir, 'Basic.ndjson');
    const lines: string[] = [];
    for (let i = 0; i < ROWS; i++) lines.push(JSON.stringify({ resourceType: 'Basic', id: `b-${i}`, code: { text: `item ${i}` } }));
    writeFileSync(big, lines.join('\n') + '\n');
    medium = path.join(dir, 'Basic-medium.ndjson');
    writeFileSync(medium, lines.slice(0, 20_000).join('\n') + '\n');
    broken = path.join(dir, 'Condition.ndjson');
    const cond = (i: number) => JSON.stringify({ resourceType: 'Condition', id: `c-${i}`, code: { text: `Condition ${i}` }, subject: { reference: 'Patient/p1' } });
    writeFileSync(broken, [cond(1), cond(2), 'not json at all', cond(4), cond(5).slice(0, 40)].join('\n'));
    pool = testPool();
    server = await startWebviewServer(await buildClients());
    browser = await launchChromium();
  });

  after(async () => {
    await browser?.close();
    await server?.close();
    await pool?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('shows the first rows, indexes 400,000 rows in parts, and scrolls to the last row with End', async () => {
    const w = await openWebview(browser, server, 'ndjson', { theme: THEMES.dark });
    const b = await bridge(w, big, pool, { minPartBytes: 1024 * 1024 });
    try {
      await w.page.waitForSelector('tr.row td:nth-child(2)');
      assert.ok(b.session.ndjson.parts.length > 1, 'indexed by more than one worker');
      await b.session.ndjson.indexed;
      await w.page.locator('.meta', { hasText: `${ROWS.toLocaleString('en-US')} rows` }).waitFor();
      assert.ok(await w.page.locator('tr.row').count() < 100, 'only the rows on screen are in the DOM');
      const height = await w.page.locator('.vgrid-scroll').evaluate((e) => (e as unknown as El).scrollHeight);
      assert.ok(height <= 8_100_000, `the scroll height is capped (${height})`);
      await w.page.locator('tr.row').first().click();
      await w.page.keyboard.press('End');
      const last = w.page.locator(`tr.row[data-row="${ROWS - 1}"]`);
      await last.locator('td', { hasText: `b-${ROWS - 1}` }).waitFor();
      assert.equal(await last.getAttribute('aria-selected'), 'true');
      assert.equal((await last.locator('td').first().textContent())?.trim(), String(ROWS), 'the last row is the last line');
      // the session heard which rows are on screen
      await w.page.waitForFunction((n) => (globalThis as unknown as { __sent: { type: string; to?: number }[] }).__sent.some((m) => m.type === 'shown' && m.to === n), ROWS);
      // and back to the top, with a row from the middle on the way: scrolling reads rows by offset
      await w.page.locator('.vgrid-scroll').evaluate((e) => { const x = e as unknown as El; x.scrollTop = (x.scrollHeight - x.clientHeight) / 2; });
      await w.page.locator('tr.row td', { hasText: /^b-(19\d{4}|20\d{4})$/ }).first().waitFor();
      assert.deepEqual(await w.violations(), []);
    } finally {
      await b.stop();
      await w.close();
    }
  });

  it('shows a non-JSON line and a truncated last line as bad lines, with their line numbers and why', async () => {
    const w = await openWebview(browser, server, 'ndjson', { theme: THEMES.light });
    const b = await bridge(w, broken, pool);
    try {
      await b.session.ndjson.indexed;
      await w.page.locator('.meta', { hasText: '2 bad lines' }).waitFor();
      const bad = w.page.locator('tr.row.bad');
      await bad.nth(1).waitFor();
      assert.equal(await w.page.locator('tr.row').count(), 5, 'no line is skipped');
      const texts = await bad.allTextContents();
      assert.match(texts[0], /Line 3 is not valid JSON/);
      assert.match(texts[1], /Line 5 is not valid JSON/);
      await w.page.click('button[data-action="nextBad"]');
      await w.page.waitForSelector('tr.row.bad.selected');
    } finally {
      await b.stop();
      await w.close();
    }
  });

  it('says inline where a FHIRPath filter has a syntax error, and filters with a good one', async () => {
    const w = await openWebview(browser, server, 'ndjson', { theme: THEMES.dark });
    const b = await bridge(w, medium, pool, { minPartBytes: 256 * 1024 });
    try {
      await b.session.ndjson.indexed;
      await w.page.fill('input.fhirpath', "code.text = ");
      await w.page.press('input.fhirpath', 'Enter');
      await w.page.locator('#filter-error', { hasText: /Syntax error at column \d+/ }).waitFor();
      assert.equal(await w.page.getAttribute('input.fhirpath', 'aria-invalid'), 'true');
      await w.page.fill('input.fhirpath', "code.text = 'item 19998' or id = 'b-7'");
      await w.page.press('input.fhirpath', 'Enter');
      await w.page.locator('.count', { hasText: '2 matches · done' }).waitFor();
      assert.ok(await w.page.locator('#filter-error').isHidden());
      // the matches' rows come after the count: the grid asks for them once the filtered view arrives
      await w.page.locator('tr.row td:nth-child(2)', { hasText: /^b-19998$/ }).waitFor();
      const ids = await w.page.locator('tr.row td:nth-child(2)').allTextContents();
      assert.deepEqual(ids.slice(0, 2), ['b-7', 'b-19998']);
      await w.page.fill('input.column-input', 'code.text.upper()');
      await w.page.press('input.column-input', 'Enter');
      await w.page.locator('th', { hasText: 'code.text.upper()' }).waitFor();
      await w.page.locator('tr.row td', { hasText: /^ITEM 7$/ }).waitFor();
    } finally {
      await b.stop();
      await w.close();
    }
  });
});
