import { esc, titleAttr } from '../../../core/render/escape';
import type { NdjsonColumn, NdjsonRow } from '../../../core/webviewProtocol/ndjsonViewer';
import { el } from './dom';

/** Browsers stop laying out elements some millions of pixels tall: past this, scrolling is scaled. */
const MAX_SCROLL_PX = 8_000_000;
const OVERSCAN = 10;
const BLOCK = 100;

export interface VirtualGridSource {
  /** asks for rows `[from, from + count)`; they arrive through `setRows` */
  request(from: number, count: number): void;
  open(row: number): void;
  /** the rows on screen after a render */
  shown(from: number, to: number): void;
  changed(): void;
}

/**
 * A grid over any number of rows, of which only those on screen are in the DOM and in memory
 * (a few blocks are kept). Rows are asked for by block as they scroll into view. Past a few
 * hundred thousand rows the scrollbar is scaled: its position maps to a row.
 * Keyboard: arrows, Page Up/Down, Home/End move the selection; Enter opens it.
 */
export class VirtualGrid {
  readonly element = el('div', { class: 'vgrid-scroll', tabindex: '-1' });
  private readonly sizer = el('div', { class: 'vgrid-sizer' });
  private readonly table = el('table', { class: 'grid vgrid', role: 'grid' });
  private readonly colgroup = el('colgroup');
  private readonly thead = el('thead');
  private readonly tbody = el('tbody');
  private columns: NdjsonColumn[] = [];
  private count = 0;
  private rowHeight = 24;
  private readonly cache = new Map<number, NdjsonRow>();
  private readonly asked = new Set<number>();
  private frame = 0;
  private first = 0;
  selected: number | undefined;

  constructor(private readonly source: VirtualGridSource, label: string) {
    this.table.setAttribute('aria-label', label);
    this.table.append(this.colgroup, this.thead, this.tbody);
    this.element.append(this.sizer, this.table);
    this.element.addEventListener('scroll', () => this.schedule());
    new ResizeObserver(() => this.schedule()).observe(this.element);
    this.element.addEventListener('click', (e) => {
      const tr = (e.target as Element).closest<HTMLElement>('tr.row');
      if (!tr) return;
      const row = Number(tr.dataset.row);
      this.select(row, true);
      this.source.open(row);
    });
    this.element.addEventListener('keydown', (e) => this.onKey(e));
  }

  get rowCount(): number {
    return this.count;
  }

  /** New list or columns: forget every row. */
  reset(columns: NdjsonColumn[], count: number): void {
    this.columns = columns;
    this.cache.clear();
    this.asked.clear();
    this.selected = undefined;
    const total = columns.reduce((a, c) => a + c.weight, 0) || 1;
    this.colgroup.replaceChildren(...columns.map((c) => {
      const col = el('col');
      col.style.width = `${(100 * c.weight) / total}%`;
      return col;
    }));
    this.thead.replaceChildren(el('tr', { role: 'row' }, ...columns.map((c) => el('th', { role: 'columnheader', scope: 'col', title: c.label, text: c.label }))));
    this.setCount(count);
    this.element.scrollTop = 0;
  }

  /** More rows became available (the index or a filter moved on). */
  setCount(count: number): void {
    this.count = count;
    this.table.setAttribute('aria-rowcount', String(count + 1));
    this.sizer.style.height = `${Math.min(MAX_SCROLL_PX, count * this.rowHeight + this.headerHeight())}px`;
    this.schedule();
  }

  setRows(rows: NdjsonRow[]): void {
    for (const r of rows) {
      this.cache.set(r.row, r);
      this.asked.delete(Math.floor(r.row / BLOCK));
    }
    // keep what is near the screen, drop the rest
    if (this.cache.size > 20 * BLOCK) {
      for (const k of this.cache.keys()) if (Math.abs(k - this.first) > 10 * BLOCK) this.cache.delete(k);
    }
    this.schedule();
  }

  rowData(row: number): NdjsonRow | undefined {
    return this.cache.get(row);
  }

  private headerHeight(): number {
    return this.thead.getBoundingClientRect().height || this.rowHeight;
  }

  private visibleRows(): number {
    return Math.max(1, Math.floor((this.element.clientHeight - this.headerHeight()) / this.rowHeight));
  }

  /** The first row for a scroll position: direct when the list fits, proportional when it is scaled. */
  private rowAtScroll(): number {
    const max = this.element.scrollHeight - this.element.clientHeight;
    const real = this.count * this.rowHeight + this.headerHeight();
    if (real <= MAX_SCROLL_PX || max <= 0) return Math.floor(this.element.scrollTop / this.rowHeight);
    return Math.round((this.element.scrollTop / max) * Math.max(0, this.count - this.visibleRows()));
  }

  private scrollToRow(row: number): void {
    const max = this.element.scrollHeight - this.element.clientHeight;
    const real = this.count * this.rowHeight + this.headerHeight();
    if (real <= MAX_SCROLL_PX || max <= 0) this.element.scrollTop = row * this.rowHeight;
    else this.element.scrollTop = (row / Math.max(1, this.count - this.visibleRows())) * max;
  }

  private schedule(): void {
    if (this.frame) return;
    this.frame = requestAnimationFrame(() => {
      this.frame = 0;
      this.render();
    });
  }

  render(): void {
    const n = this.visibleRows();
    // scrolled to the bottom: the last rows fill the screen, the last one whole
    const atEnd = this.element.scrollTop > 0 && this.element.scrollTop >= this.element.scrollHeight - this.element.clientHeight - 1;
    const first = Math.max(0, atEnd ? this.count - n : Math.min(this.rowAtScroll(), Math.max(0, this.count - n)));
    this.first = first;
    const from = Math.max(0, first - OVERSCAN);
    const to = Math.min(this.count, first + n + OVERSCAN);
    // ask for the blocks on screen that have not arrived
    for (let b = Math.floor(from / BLOCK); b * BLOCK < to; b++) {
      const start = b * BLOCK;
      let missing = false;
      for (let r = Math.max(start, from); r < Math.min(to, start + BLOCK); r++) if (!this.cache.has(r)) { missing = true; break; }
      if (missing && !this.asked.has(b)) {
        this.asked.add(b);
        this.source.request(start, Math.min(BLOCK, this.count - start));
      }
    }
    const hadFocus = this.element.contains(document.activeElement) && document.activeElement !== this.element;
    const html: string[] = [];
    for (let r = first; r < Math.min(this.count, first + n + 1); r++) html.push(this.rowHtml(r));
    this.tbody.innerHTML = html.join('');
    // the table stays in view: it moves with the scroll position, the sizer makes the scroll height
    this.table.style.transform = `translateY(${this.element.scrollTop}px)`;
    if (hadFocus && this.selected !== undefined) this.rowElement(this.selected)?.focus({ preventScroll: true });
    if (!this.tbody.querySelector('tr[tabindex="0"]')) this.tbody.querySelector('tr.row')?.setAttribute('tabindex', '0');
    const loaded = this.cache.has(first) && (this.count === 0 || this.cache.has(Math.min(this.count, first + n) - 1));
    if (loaded) this.source.shown(first, Math.min(this.count, first + n));
    this.measure();
    this.source.changed();
  }

  private measure(): void {
    const tr = this.tbody.querySelector<HTMLElement>('tr.row');
    const h = tr?.getBoundingClientRect().height ?? 0;
    if (h > 0 && Math.abs(h - this.rowHeight) > 0.5) {
      this.rowHeight = h;
      this.setCount(this.count);
    }
  }

  private rowHtml(r: number): string {
    const data = this.cache.get(r);
    const selected = r === this.selected;
    const attrs = `class="row${data?.bad ? ' bad' : ''}${selected ? ' selected' : ''}" role="row" data-row="${r}" aria-rowindex="${r + 2}" aria-selected="${selected}" tabindex="${selected ? 0 : -1}"`;
    if (!data) return `<tr ${attrs}><td role="gridcell" class="loading" colspan="${this.columns.length}">…</td></tr>`;
    if (data.bad) {
      return `<tr ${attrs}><td role="gridcell">${esc(data.line)}</td><td role="gridcell" class="bad-line" colspan="${Math.max(1, this.columns.length - 1)}"${titleAttr(data.bad)}>`
        + `<span class="codicon codicon-warning" aria-hidden="true"></span> ${esc(data.bad)}</td></tr>`;
    }
    const cells = data.cells.map((c, i) => `<td role="gridcell"${titleAttr(c.h ?? (c.t.length > 40 ? c.t : undefined))}${i === 1 && data.type ? ' class="other-type"' : ''}>${esc(c.t)}</td>`);
    return `<tr ${attrs}>${cells.join('')}</tr>`;
  }

  private rowElement(row: number): HTMLElement | null {
    return this.tbody.querySelector<HTMLElement>(`tr.row[data-row="${row}"]`);
  }

  /** Selects a row, scrolling it into view when asked. */
  select(row: number, focus = false, reveal = false): void {
    if (this.count === 0) return;
    this.selected = Math.max(0, Math.min(this.count - 1, row));
    const n = this.visibleRows();
    if (reveal && (this.selected < this.first || this.selected >= this.first + n)) {
      this.scrollToRow(Math.max(0, this.selected - Math.floor(n / 2)));
    }
    this.render();
    if (focus) this.rowElement(this.selected)?.focus({ preventScroll: true });
  }

  focusSelection(): void {
    this.select(this.selected ?? this.first, true, true);
  }

  private onKey(e: KeyboardEvent): void {
    if ((e.target as Element).closest('button, input')) return;
    const p = this.selected ?? this.first - 1;
    const page = Math.max(1, this.visibleRows() - 1);
    let next: number;
    switch (e.key) {
      case 'ArrowDown': next = p + 1; break;
      case 'ArrowUp': next = p - 1; break;
      case 'PageDown': next = p + page; break;
      case 'PageUp': next = p - page; break;
      case 'Home': next = 0; break;
      case 'End': next = this.count - 1; break;
      case 'Enter': case ' ':
        if (this.selected !== undefined) {
          e.preventDefault();
          this.source.open(this.selected);
        }
        return;
      default: return;
    }
    e.preventDefault();
    this.select(next, true, true);
  }
}
