import * as assert from 'node:assert/strict';
import type { WebviewPage } from './harness';

// WCAG contrast of what a webview paints, for the light, dark and high-contrast theme tests.

type Rgba = [number, number, number, number];

function parseColor(css: string): Rgba {
  const m = /rgba?\(([^)]+)\)/.exec(css);
  if (!m) return [0, 0, 0, 0];
  const [r, g, b, a = '1'] = m[1].split(',').map((x) => x.trim());
  return [Number(r), Number(g), Number(b), Number(a)];
}

function over(top: Rgba, base: [number, number, number]): [number, number, number] {
  const a = top[3];
  return [0, 1, 2].map((i) => top[i] * a + base[i] * (1 - a)) as [number, number, number];
}

function luminance(c: [number, number, number]): number {
  const [r, g, b] = c.map((v) => {
    const s = v / 255;
    return s <= 0.03928 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4;
  });
  return 0.2126 * r + 0.7152 * g + 0.0722 * b;
}

/** WCAG contrast of an element's text against what is painted behind it (ancestors' backgrounds composited). */
export async function contrast(w: WebviewPage, selector: string): Promise<number> {
  const found = await w.page.locator(selector).first().evaluate((el) => {
    type E = { parentElement: E | null };
    const g = globalThis as unknown as { getComputedStyle(e: E): { color: string; backgroundColor: string } };
    const backgrounds: string[] = [];
    for (let e: E | null = el as unknown as E; e; e = e.parentElement) backgrounds.push(g.getComputedStyle(e).backgroundColor);
    return { color: g.getComputedStyle(el as unknown as E).color, backgrounds };
  });
  let base: [number, number, number] = [255, 255, 255];
  for (const bg of found.backgrounds.reverse()) base = over(parseColor(bg), base);
  const text = over(parseColor(found.color), base);
  const [l1, l2] = [luminance(text), luminance(base)].sort((a, b) => b - a);
  return (l1 + 0.05) / (l2 + 0.05);
}

export async function assertReadable(w: WebviewPage, selectors: string[]): Promise<void> {
  for (const selector of selectors) {
    const ratio = await contrast(w, selector);
    assert.ok(ratio >= 4.5, `${selector}: contrast ${ratio.toFixed(2)}:1 is below 4.5:1`);
  }
}

