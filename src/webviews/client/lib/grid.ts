import * as l10n from '@vscode/l10n';
import { rowHtml } from '../../../core/render/html';
import type { GroupView, RowView } from '../../../core/webviewProtocol/bundleViewer';
import { el } from './dom';

const OVERSCAN = 12;

interface Group {
  view: GroupView;
  visible: RowView[];
  collapsed: boolean;
  section: HTMLElement;
  tbody: HTMLTableSectionElement;
  badge: HTMLElement;
  twisty: HTMLButtonElement;
  range: [number, number];
}

export interface GridCallbacks {
  open(key: number): void;
  changed(): void;
}

/**
 * Entries grouped by type, one table per group, with only the rows near the viewport in the DOM
 * (fixed row height; spacer rows stand in for the rest), so a 5,000-entry page stays responsive.
 * Keyboard: arrows, Page Up/Down, Home/End move the selection; Enter opens it.
 */
export class GroupedGrid {
  readonly element = el('div', { class: 'grid-scroll', tabindex: '-1' });
  private groups: Group[] = [];
  private order: { g: number; i: number }[] = [];
  private position = new Map<number, number>();
  private haystacks = new WeakMap<RowView, string>();
  private rowHeight = 24;
  private measured = false;
  private frame = 0;
  private filterText = '';
  private keyFilter: Set<number> | undefined;
  selectedKey: number | undefined;

  constructor(private readonly cb: GridCallbacks) {
    this.element.addEventListener('scroll', () => this.schedule());
    new ResizeObserver(() => this.schedule()).observe(this.element);
    this.element.addEventListener('click', (e) => this.onClick(e));
    this.element.addEventListener('keydown', (e) => this.onKey(e));
  }

  get filter(): string {
    return this.filterText;
  }

  get collapsedTypes(): string[] {
    return this.groups.filter((g) => g.collapsed).map((g) => g.view.type);
  }

  /** Rows shown after filtering, and all rows. */
  get counts(): { shown: number; all: number } {
    return { shown: this.order.length, all: this.groups.reduce((a, g) => a + g.view.rows.length, 0) };
  }

  setGroups(groups: GroupView[], state: { filter?: string; collapsed?: string[]; selectedKey?: number; scrollTop?: number }): void {
    const collapsed = new Set(state.collapsed ?? []);
    this.filterText = (state.filter ?? '').trim().toLowerCase();
    this.selectedKey = state.selectedKey;
    this.groups = groups.map((view) => this.buildGroup(view, collapsed.has(view.type)));
    this.element.replaceChildren(...this.groups.map((g) => g.section), el('p', { class: 'empty-state', hidden: true }));
    this.applyFilter();
    // lay out every group at full height first, or the browser clamps the restored scroll position
    this.element.scrollTop = 0;
    this.render();
    if (state.scrollTop) {
      this.element.scrollTop = state.scrollTop;
      this.render();
    }
  }

  setFilter(text: string): void {
    this.filterText = text.trim().toLowerCase();
    this.applyFilter();
    this.element.scrollTop = 0;
    this.render();
    this.cb.changed();
  }

  /** Keeps only these entries (a FHIRPath filter's matches); undefined shows all again. */
  setKeyFilter(keys: Set<number> | undefined): void {
    this.keyFilter = keys;
    this.applyFilter();
    this.element.scrollTop = 0;
    this.render();
    this.cb.changed();
  }

  select(key: number | undefined, options: { focus?: boolean; reveal?: boolean } = {}): void {
    if (key !== undefined && !this.position.has(key)) return;
    const previous = this.element.querySelector<HTMLElement>('tr.row.selected');
    previous?.classList.remove('selected');
    previous?.setAttribute('aria-selected', 'false');
    previous?.setAttribute('tabindex', '-1');
    this.selectedKey = key;
    if (key !== undefined && options.reveal) this.reveal(key);
    this.render();
    const row = key === undefined ? undefined : this.rowElement(key);
    if (row) {
      row.classList.add('selected');
      row.setAttribute('aria-selected', 'true');
      row.setAttribute('tabindex', '0');
      if (options.focus) row.focus({ preventScroll: true });
    }
    this.cb.changed();
  }

  focusSelection(): void {
    const key = this.selectedKey ?? this.firstKey();
    if (key !== undefined) this.select(key, { focus: true, reveal: true });
  }

  private firstKey(): number | undefined {
    const f = this.order[0];
    return f ? this.groups[f.g].visible[f.i].key : undefined;
  }

  private buildGroup(view: GroupView, collapsed: boolean): Group {
    const twisty = el('button', { class: 'twisty', type: 'button', 'data-type': view.type, 'aria-expanded': String(!collapsed) },
      el('span', { class: `codicon codicon-chevron-${collapsed ? 'right' : 'down'}`, 'aria-hidden': 'true' }), view.type);
    const badge = el('span', { class: 'badge' });
    const total = view.columns.reduce((a, c) => a + c.weight, 0) || 1;
    const colgroup = el('colgroup');
    for (const c of view.columns) {
      const col = el('col');
      col.style.width = `${(100 * c.weight) / total}%`;
      colgroup.append(col);
    }
    const head = el('tr', { role: 'row' }, ...view.columns.map((c) => el('th', { role: 'columnheader', scope: 'col', text: c.label })));
    const tbody = el('tbody');
    const table = el('table', { class: 'grid', role: 'grid', 'aria-label': view.type }, colgroup, el('thead', {}, head), tbody);
    const section = el('section', { class: 'group', 'data-type': view.type }, el('h2', { class: 'group-head' }, twisty, badge), table);
    table.hidden = collapsed;
    return { view, visible: view.rows, collapsed, section, tbody, badge, twisty, range: [-1, -1] };
  }

  private haystack(type: string, row: RowView): string {
    let h = this.haystacks.get(row);
    if (h === undefined) {
      h = `${type} ${row.cells.map((c) => `${c.t} ${c.h ?? ''}`).join(' ')}`.toLowerCase();
      this.haystacks.set(row, h);
    }
    return h;
  }

  private applyFilter(): void {
    const q = this.filterText;
    this.order = [];
    this.position.clear();
    this.groups.forEach((g, gi) => {
      const keys = this.keyFilter;
      g.visible = q || keys ? g.view.rows.filter((r) => (!keys || keys.has(r.key)) && (!q || this.haystack(g.view.type, r).includes(q))) : g.view.rows;
      g.section.hidden = g.visible.length === 0;
      g.badge.textContent = q || keys ? l10n.t('{0} of {1}', g.visible.length, g.view.rows.length) : String(g.view.rows.length);
      g.range = [-1, -1];
      g.tbody.closest('table')?.setAttribute('aria-rowcount', String(g.visible.length + 1));
      if (g.collapsed) return;
      g.visible.forEach((r, i) => {
        this.position.set(r.key, this.order.length);
        this.order.push({ g: gi, i });
      });
    });
    const empty = this.element.querySelector<HTMLElement>('.empty-state');
    if (empty) {
      empty.hidden = this.groups.some((g) => g.visible.length > 0);
      empty.textContent = q ? l10n.t('No entries match “{0}”.', this.filterText) : this.keyFilter ? l10n.t('No entries match the FHIRPath filter.') : l10n.t('This Bundle has no entries.');
    }
  }

  private schedule(): void {
    if (this.frame) return;
    this.frame = requestAnimationFrame(() => {
      this.frame = 0;
      this.render();
      this.cb.changed();
    });
  }

  /** Renders, in each open group, the rows that intersect the viewport (plus some either side). */
  render(): void {
    const hadFocus = this.element.contains(document.activeElement) && document.activeElement !== this.element;
    const box = this.element.getBoundingClientRect();
    const viewTop = this.element.scrollTop;
    const viewBottom = viewTop + (box.height || 600);
    for (const g of this.groups) {
      if (g.collapsed || g.section.hidden) {
        // rows of a folded or filtered-out group leave the DOM (keyboard and screen readers skip them)
        if (g.range[0] !== -2) g.tbody.replaceChildren();
        g.range = [-2, -2];
        continue;
      }
      const top = g.tbody.getBoundingClientRect().top - box.top + viewTop;
      const n = g.visible.length;
      const from = Math.max(0, Math.min(n, Math.floor((viewTop - top) / this.rowHeight) - OVERSCAN));
      const to = Math.max(from, Math.min(n, Math.ceil((viewBottom - top) / this.rowHeight) + OVERSCAN));
      if (g.range[0] === from && g.range[1] === to) continue;
      g.range = [from, to];
      const rows: string[] = [];
      for (let i = from; i < to; i++) rows.push(rowHtml(g.visible[i], g.visible[i].key === this.selectedKey, i));
      const span = g.view.columns.length;
      g.tbody.innerHTML = `<tr class="spacer" aria-hidden="true"><td colspan="${span}"></td></tr>${rows.join('')}<tr class="spacer" aria-hidden="true"><td colspan="${span}"></td></tr>`;
      const [before, after] = [g.tbody.firstElementChild as HTMLElement, g.tbody.lastElementChild as HTMLElement];
      before.style.height = `${from * this.rowHeight}px`;
      after.style.height = `${(n - to) * this.rowHeight}px`;
      before.hidden = from === 0;
      after.hidden = to === n;
      if (!this.measured && to > from) this.measure(g);
    }
    if (!this.element.querySelector('tr.row[tabindex="0"]')) this.element.querySelector('tr.row')?.setAttribute('tabindex', '0');
    // a focused row that scrolled out was replaced: keep the keyboard in the grid
    if (hadFocus && !this.element.contains(document.activeElement)) {
      const row = this.selectedKey === undefined ? null : this.rowElement(this.selectedKey);
      (row ?? this.element).focus({ preventScroll: true });
    }
  }

  /** Takes the real row height (it follows the user's font size) from the first rendered row. */
  private measure(g: Group): void {
    const row = g.tbody.querySelector<HTMLElement>('tr.row');
    const h = row?.getBoundingClientRect().height ?? 0;
    if (h <= 0) return;
    this.measured = true;
    if (Math.abs(h - this.rowHeight) > 0.5) {
      this.rowHeight = h;
      for (const x of this.groups) x.range = [-1, -1];
      this.render();
    }
  }

  private rowElement(key: number): HTMLElement | null {
    return this.element.querySelector<HTMLElement>(`tr.row[data-key="${key}"]`);
  }

  private reveal(key: number): void {
    const p = this.position.get(key);
    if (p === undefined) return;
    const { g, i } = this.order[p];
    const group = this.groups[g];
    const box = this.element.getBoundingClientRect();
    const top = group.tbody.getBoundingClientRect().top - box.top + this.element.scrollTop + i * this.rowHeight;
    const header = group.tbody.parentElement?.querySelector('thead')?.getBoundingClientRect().height ?? this.rowHeight;
    if (top - header < this.element.scrollTop) this.element.scrollTop = top - header;
    else if (top + this.rowHeight > this.element.scrollTop + box.height) this.element.scrollTop = top + this.rowHeight - box.height;
  }

  private onClick(e: MouseEvent): void {
    const target = e.target as Element;
    const twisty = target.closest<HTMLButtonElement>('button.twisty');
    if (twisty) {
      this.toggle(twisty.dataset.type ?? '');
      return;
    }
    const row = target.closest<HTMLElement>('tr.row');
    if (!row) return;
    const key = Number(row.dataset.key);
    this.select(key, { focus: true });
    this.cb.open(key);
  }

  private toggle(type: string): void {
    const g = this.groups.find((x) => x.view.type === type);
    if (!g) return;
    g.collapsed = !g.collapsed;
    g.twisty.setAttribute('aria-expanded', String(!g.collapsed));
    g.twisty.firstElementChild?.setAttribute('class', `codicon codicon-chevron-${g.collapsed ? 'right' : 'down'}`);
    (g.tbody.parentElement as HTMLElement).hidden = g.collapsed;
    this.applyFilter();
    this.render();
    this.cb.changed();
  }

  private onKey(e: KeyboardEvent): void {
    if ((e.target as Element).closest('button, input')) return;
    const p = this.selectedKey === undefined ? -1 : this.position.get(this.selectedKey) ?? -1;
    const page = Math.max(1, Math.floor(this.element.clientHeight / this.rowHeight) - 2);
    let next: number | undefined;
    switch (e.key) {
      case 'ArrowDown': next = p + 1; break;
      case 'ArrowUp': next = p <= 0 ? 0 : p - 1; break;
      case 'PageDown': next = p + page; break;
      case 'PageUp': next = p - page; break;
      case 'Home': next = 0; break;
      case 'End': next = this.order.length - 1; break;
      case 'Enter': case ' ':
        if (this.selectedKey !== undefined) {
          e.preventDefault();
          this.cb.open(this.selectedKey);
        }
        return;
      default: return;
    }
    e.preventDefault();
    if (!this.order.length) return;
    const o = this.order[Math.max(0, Math.min(this.order.length - 1, next))];
    this.select(this.groups[o.g].visible[o.i].key, { focus: true, reveal: true });
  }
}
