// Time to show a 100-entry and a 5,000-entry Bundle: the host's renderer (Bundle → view) plus
// delivery to the webview and its first paint in Chromium, median of several runs on a freshly
// loaded page each. Prints `render N entries ms: X` lines.
import type { Page } from 'playwright-core';
import { bundleView } from '../../src/core/render/bundleView';
import { buildClients, launchChromium, openWebview, startWebviewServer } from '../unit/render/browser/harness';
import { bigBundle } from '../unit/render/fixtures';

const RUNS = 7;

/**
 * Posts the view as VS Code does (serialised to JSON, delivered as a message event) and resolves
 * after the frame that shows the first rows was painted.
 */
function postAndPaint(page: Page, message: unknown): Promise<void> {
  return page.evaluate((json) => new Promise<void>((resolve) => {
    type G = { postMessage(m: unknown, o: string): void; location: { origin: string }; requestAnimationFrame(f: () => void): void; document: { querySelector(s: string): unknown } };
    const g = globalThis as unknown as G;
    g.postMessage(JSON.parse(json), g.location.origin);
    const check = () => (g.document.querySelector('tr.row') ? g.requestAnimationFrame(() => g.requestAnimationFrame(resolve)) : g.requestAnimationFrame(check));
    g.requestAnimationFrame(check);
  }), JSON.stringify(message));
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

async function main(): Promise<void> {
  const server = await startWebviewServer(await buildClients(true));
  const browser = await launchChromium();
  try {
    for (const n of [100, 5_000]) {
      const bundle = bigBundle(n);
      const totals: number[] = [];
      const renderer: number[] = [];
      for (let run = 0; run <= RUNS; run++) {
        const w = await openWebview(browser, server, 'bundle', { viewport: { width: 1280, height: 800 } });
        (globalThis as { gc?: () => void }).gc?.();
        const t0 = performance.now();
        const view = bundleView(bundle, { viewId: `bench-${run}`, title: `${n} entries` });
        const t1 = performance.now();
        await postAndPaint(w.page, { type: 'bundle', view });
        const t2 = performance.now();
        await w.close();
        if (run === 0) continue; // warm-up
        renderer.push(t1 - t0);
        totals.push(t2 - t0);
      }
      console.log(`render ${n} entries ms: ${median(totals).toFixed(1)}`);
      console.error(`  (renderer alone ${median(renderer).toFixed(1)} ms; ${RUNS} runs, median)`);
    }
  } finally {
    await browser.close();
    await server.close();
  }
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
