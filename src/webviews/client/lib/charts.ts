// Charts drawn as SVG from data: no library, no inline styles (the CSP allows none), colours
// from the theme through CSS classes. Each chart is a figure with a title and a description for
// screen readers, and its numbers as a table beside it.
import * as l10n from '@vscode/l10n';
import { esc } from '../../../core/render/escape';
import type { CountBar } from '../../../core/webviewProtocol/exportSummary';

export interface ChartOptions {
  id: string;
  title: string;
  /** what one bar counts, e.g. "resources" (translated) */
  unit: string;
  /** value → text (bytes as MB…) */
  format?: (n: number) => string;
  /** header of the label column in the data table */
  labelHeader: string;
  empty: string;
}

const fmt = (n: number) => n.toLocaleString('en-US');

/** A sentence for screen readers: how many bars, the largest ones. */
function describe(bars: readonly CountBar[], o: ChartOptions): string {
  const f = o.format ?? fmt;
  const total = bars.reduce((a, b) => a + b.value, 0);
  const top = [...bars].sort((a, b) => b.value - a.value).slice(0, 3).map((b) => `${b.label}: ${f(b.value)}`).join('; ');
  return bars.length === 1
    ? l10n.t('1 bar, {0} {1} in all. Largest: {2}.', f(total), o.unit, top)
    : l10n.t('{0} bars, {1} {2} in all. Largest: {3}.', bars.length, f(total), o.unit, top);
}

function table(bars: readonly CountBar[], o: ChartOptions): string {
  const f = o.format ?? fmt;
  const rows = bars.map((b) => `<tr><th scope="row">${esc(b.label)}</th><td>${esc(f(b.value))}</td>${bars.some((x) => x.note) ? `<td>${esc(b.note ?? '')}</td>` : ''}</tr>`).join('');
  const noteHead = bars.some((x) => x.note) ? `<th scope="col">${esc(l10n.t('Note'))}</th>` : '';
  return `<details class="chart-data"><summary>${esc(l10n.t('Data table'))}</summary><table class="data"><thead><tr><th scope="col">${esc(o.labelHeader)}</th><th scope="col">${esc(o.unit)}</th>${noteHead}</tr></thead><tbody>${rows}</tbody></table></details>`;
}

function figure(svg: string, bars: readonly CountBar[], o: ChartOptions): string {
  if (!bars.length || bars.every((b) => b.value === 0)) {
    return `<figure class="chart" id="${esc(o.id)}"><figcaption><h2>${esc(o.title)}</h2></figcaption><p class="empty-state">${esc(o.empty)}</p></figure>`;
  }
  return `<figure class="chart" id="${esc(o.id)}"><figcaption><h2 id="${esc(o.id)}-title">${esc(o.title)}</h2><p class="chart-desc" id="${esc(o.id)}-desc">${esc(describe(bars, o))}</p></figcaption>${svg}${table(bars, o)}</figure>`;
}

function truncate(s: string, n: number): string {
  return s.length > n ? `${s.slice(0, n - 1)}…` : s;
}

/** Horizontal bars, one per row, largest scale first: types, files, bins. */
export function barChart(bars: readonly CountBar[], o: ChartOptions): string {
  const f = o.format ?? fmt;
  const max = Math.max(1, ...bars.map((b) => b.value));
  const row = 22;
  const width = 640;
  const labelW = 190;
  const valueW = 110;
  const barW = width - labelW - valueW;
  const height = bars.length * row + 4;
  const items = bars.map((b, i) => {
    const y = i * row + 2;
    const w = b.value > 0 ? Math.max(2, Math.round((b.value / max) * barW)) : 0;
    const tone = b.tone ? ` tone-${esc(b.tone)}` : '';
    return `<g class="bar-row"><title>${esc(`${b.label}: ${f(b.value)}${b.note ? ` (${b.note})` : ''}`)}</title>`
      + `<text class="label" x="${labelW - 8}" y="${y + 15}" text-anchor="end">${esc(truncate(b.label, 28))}</text>`
      + `<rect class="bar${tone}" x="${labelW}" y="${y + 3}" width="${w}" height="${row - 6}" rx="2"></rect>`
      + `<text class="value" x="${labelW + w + 6}" y="${y + 15}">${esc(f(b.value))}</text></g>`;
  }).join('');
  const svg = `<svg class="chart-svg" viewBox="0 0 ${width} ${height}" role="img" aria-labelledby="${esc(o.id)}-title ${esc(o.id)}-desc" preserveAspectRatio="xMinYMin meet">`
    + `<line class="axis" x1="${labelW}" y1="0" x2="${labelW}" y2="${height}"></line>${items}</svg>`;
  return figure(svg, bars, o);
}

/** Vertical columns along an axis: a timeline (years or months), a distribution. */
export function columnChart(bars: readonly CountBar[], o: ChartOptions): string {
  const f = o.format ?? fmt;
  const max = Math.max(1, ...bars.map((b) => b.value));
  const width = 640;
  const height = 220;
  const left = 56;
  const bottom = 34;
  const plotH = height - bottom - 10;
  const step = (width - left - 8) / Math.max(1, bars.length);
  const every = Math.max(1, Math.ceil(bars.length / 12));
  const ticks = [0, 0.5, 1].map((t) => {
    const y = 10 + plotH - t * plotH;
    return `<line class="grid-line" x1="${left}" y1="${y}" x2="${width - 8}" y2="${y}"></line><text class="tick" x="${left - 6}" y="${y + 4}" text-anchor="end">${esc(f(Math.round(t * max)))}</text>`;
  }).join('');
  const cols = bars.map((b, i) => {
    const h = b.value > 0 ? Math.max(1, (b.value / max) * plotH) : 0;
    const x = left + i * step + step * 0.1;
    const tone = b.tone ? ` tone-${esc(b.tone)}` : '';
    const label = i % every === 0 ? `<text class="tick" x="${x + step * 0.4}" y="${height - bottom + 16}" text-anchor="middle">${esc(truncate(b.label, 10))}</text>` : '';
    return `<g><title>${esc(`${b.label}: ${f(b.value)}`)}</title><rect class="bar${tone}" x="${x.toFixed(1)}" y="${(10 + plotH - h).toFixed(1)}" width="${Math.max(1, step * 0.8).toFixed(1)}" height="${h.toFixed(1)}"></rect>${label}</g>`;
  }).join('');
  const svg = `<svg class="chart-svg" viewBox="0 0 ${width} ${height}" role="img" aria-labelledby="${esc(o.id)}-title ${esc(o.id)}-desc" preserveAspectRatio="xMinYMin meet">`
    + `${ticks}<line class="axis" x1="${left}" y1="${10 + plotH}" x2="${width - 8}" y2="${10 + plotH}"></line>${cols}</svg>`;
  return figure(svg, bars, o);
}
