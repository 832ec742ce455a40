import './lib/boot';
import * as l10n from '@vscode/l10n';
import { esc } from '../../core/render/escape';
import { patientHeaderHtml, timelineItemHtml } from '../../core/render/html';
import type { PatientHeaderView, PatientRecordRequest, TimelineItem, TypeCount } from '../../core/webviewProtocol/patientRecord';
import { parsePatientRecordUpdate } from '../../core/webviewProtocol/patientRecord';
import { DetailPane } from './lib/detailPane';
import { debounce, el, iconButton, onAction, StatusArea } from './lib/dom';
import { connectHost, onHostMessage } from './lib/host';

interface State {
  viewId: string;
  scrollTop: number;
  selectedKey?: number;
  hiddenTypes: string[];
}

const host = connectHost<PatientRecordRequest, State>();
let viewId = '';
let items: TimelineItem[] = [];
let counts: TypeCount[] = [];
let hasMore = false;
let loading = false;
let selectedKey: number | undefined;
const hidden = new Set<string>();

const header = el('header', { class: 'patient-header' });
const chips = el('div', { class: 'chips', role: 'group', 'aria-label': l10n.t('Resources by type') });
const progress = el('span', { class: 'count' });
const status = new StatusArea();
const list = el('ol', { class: 'timeline', role: 'listbox', 'aria-label': l10n.t('Timeline') });
const more = iconButton('fold-down', l10n.t('Load more'), 'loadMore', { text: true });
const footer = el('div', { class: 'timeline-footer' }, more);
const scroller = el('div', { class: 'timeline-scroll', tabindex: '-1' }, list, footer);
const detail = new DetailPane((m) => host.post(m), () => {
  split.classList.remove('with-detail');
  focusItem(selectedKey);
});
const split = el('main', { class: 'split' }, scroller, detail.element);
const toolbar = el('div', { class: 'toolbar' }, chips, el('div', { class: 'spacer' }), progress,
  el('div', { class: 'actions' },
    iconButton('json', l10n.t('Open $everything as JSON'), 'openJson', { text: true }),
    iconButton('save', l10n.t('Save $everything…'), 'saveRecord', { text: true })));
document.getElementById('app')?.append(header, toolbar, status.element, split);

function requestMore(): void {
  if (!hasMore || loading) return;
  loading = true;
  more.disabled = true;
  host.post({ type: 'loadMore' });
}

// pages load as the end of the timeline comes into view (and keep loading while it stays there)
const observer = new IntersectionObserver((entries) => {
  if (entries.some((e) => e.isIntersecting)) requestMore();
}, { root: scroller, rootMargin: '200px' });
observer.observe(footer);

onAction(document.body, (action, target) => {
  if (action === 'loadMore') requestMore();
  else if (action === 'openJson') host.post({ type: 'openJson', target: 'bundle' });
  else if (action === 'saveRecord') host.post({ type: 'saveRecord' });
  else if (action === 'toggleType') {
    const type = target.dataset.type ?? '';
    if (hidden.has(type)) hidden.delete(type); else hidden.add(type);
    renderChips();
    renderList();
    saveState();
  }
});

list.addEventListener('click', (e) => {
  const item = (e.target as Element).closest<HTMLElement>('.tl-item');
  if (!item) return;
  open(Number(item.dataset.key));
});
list.addEventListener('keydown', (e) => {
  const shown = visibleItems();
  const p = shown.findIndex((i) => i.key === selectedKey);
  let next: number | undefined;
  if (e.key === 'ArrowDown') next = p + 1;
  else if (e.key === 'ArrowUp') next = Math.max(0, p - 1);
  else if (e.key === 'Home') next = 0;
  else if (e.key === 'End') next = shown.length - 1;
  else if ((e.key === 'Enter' || e.key === ' ') && selectedKey !== undefined) {
    e.preventDefault();
    open(selectedKey);
    return;
  } else return;
  e.preventDefault();
  const target = shown[Math.max(0, Math.min(shown.length - 1, next))];
  if (target) select(target.key, true);
});
document.addEventListener('keydown', (e) => {
  if (e.key === 'Escape' && detail.isOpen) {
    e.preventDefault();
    detail.close();
  }
});
scroller.addEventListener('scroll', () => saveState());

/** The end of the timeline is (still) in view after a page arrived: ask for the next one. */
function askIfAtEnd(): void {
  requestAnimationFrame(() => {
    if (footer.getBoundingClientRect().top < scroller.getBoundingClientRect().bottom + 200) requestMore();
  });
}

function open(key: number): void {
  select(key, true);
  host.post({ type: 'openDetail', key });
}

function select(key: number | undefined, focus: boolean): void {
  for (const node of list.querySelectorAll<HTMLElement>('.tl-item.selected')) {
    node.classList.remove('selected');
    node.setAttribute('aria-selected', 'false');
    node.tabIndex = -1;
  }
  selectedKey = key;
  const node = key === undefined ? null : list.querySelector<HTMLElement>(`.tl-item[data-key="${key}"]`);
  if (node) {
    node.classList.add('selected');
    node.setAttribute('aria-selected', 'true');
    node.tabIndex = 0;
    if (focus) {
      node.focus({ preventScroll: true });
      node.scrollIntoView({ block: 'nearest' });
    }
  }
  saveState();
}

function focusItem(key: number | undefined): void {
  if (key !== undefined) select(key, true);
  else list.querySelector<HTMLElement>('.tl-item')?.focus();
}

function visibleItems(): TimelineItem[] {
  return items.filter((i) => !hidden.has(i.type));
}

function byDateDescending(a: TimelineItem, b: TimelineItem): number {
  return (b.time ?? -Infinity) - (a.time ?? -Infinity) || a.key - b.key;
}

function renderHeader(h: PatientHeaderView | undefined): void {
  header.innerHTML = h ? patientHeaderHtml(h) : `<div class="ph-main"><h1 class="ph-name">${esc(l10n.t('Patient record'))}</h1></div>`;
}

/** One chip per type: the server's count (a "+" when it is only what is loaded so far), and what the timeline does with it. */
function renderChips(): void {
  const timelineTypes = new Set(items.map((i) => i.type));
  chips.replaceChildren(...counts.map((c) => {
    const label = `${c.type} ${c.count.toLocaleString()}${c.exact === false ? '+' : ''}`;
    const count = c.count.toLocaleString();
    const total = c.exact === false ? l10n.t('{0} loaded; the server gave no total for {1}', count, c.type)
      : c.loaded !== undefined ? l10n.t('{0} in the record ({1} loaded so far)', count, c.loaded.toLocaleString())
        : l10n.t('{0} in the record', count);
    if (c.note) return el('span', { class: 'chip static', title: l10n.t('{0}. {1}', total, c.note), text: label }, el('span', { class: 'codicon codicon-info chip-note', 'aria-hidden': 'true' }));
    if (!timelineTypes.has(c.type)) return el('span', { class: 'chip static', title: l10n.t('{0}. Not on the timeline yet: none of them is loaded (scroll down to load more).', total), text: label });
    const on = !hidden.has(c.type);
    const hint = on ? l10n.t('{0}. Click to hide {1} on the timeline.', total, c.type) : l10n.t('{0}. Click to show {1} on the timeline.', total, c.type);
    return el('button', { class: `chip${on ? ' on' : ''}`, type: 'button', 'data-action': 'toggleType', 'data-type': c.type, 'aria-pressed': String(on), title: hint, text: label });
  }));
}

function renderList(): void {
  const parts: string[] = [];
  let year = '';
  for (const item of visibleItems()) {
    const y = /^\d{4}$/.test(item.date.t.slice(0, 4)) ? item.date.t.slice(0, 4) : '';
    if (y !== year || !parts.length) {
      year = y;
      parts.push(`<li class="tl-year" role="presentation">${y || esc(l10n.t('Undated'))}</li>`);
    }
    parts.push(timelineItemHtml(item, item.key === selectedKey));
  }
  list.innerHTML = parts.join('') || `<li class="empty-state" role="presentation">${esc(l10n.t('Nothing dated to show yet.'))}</li>`;
  if (!list.querySelector('.tl-item[tabindex="0"]')) list.querySelector('.tl-item')?.setAttribute('tabindex', '0');
}

function renderFooter(loaded: number, total: number | undefined): void {
  progress.textContent = total !== undefined ? l10n.t('{0} of {1} resources loaded', loaded.toLocaleString(), total.toLocaleString())
    : loaded === 1 ? l10n.t('1 resource loaded') : l10n.t('{0} resources loaded', loaded.toLocaleString());
  more.hidden = !hasMore;
  more.disabled = loading;
  footer.classList.toggle('done', !hasMore);
}

// nothing to save before the record arrives (and saving then would lose what was saved before)
const saveState = debounce(() => {
  if (!viewId) return;
  host.saveState({ viewId, scrollTop: scroller.scrollTop, selectedKey, hiddenTypes: [...hidden] });
}, 100);

onHostMessage(parsePatientRecordUpdate, (u) => {
  switch (u.type) {
    case 'record': {
      const saved = host.state();
      const same = saved.viewId === u.view.viewId;
      viewId = u.view.viewId;
      document.title = u.view.title;
      items = [...u.view.items].sort(byDateDescending);
      counts = u.view.counts;
      hasMore = u.view.hasMore;
      loading = false;
      hidden.clear();
      for (const t of same ? saved.hiddenTypes ?? [] : []) hidden.add(t);
      selectedKey = same ? saved.selectedKey : undefined;
      renderHeader(u.view.header);
      renderChips();
      renderList();
      renderFooter(u.view.loaded, u.view.total);
      scroller.scrollTop = same ? saved.scrollTop ?? 0 : 0;
      askIfAtEnd();
      break;
    }
    case 'append':
      items = [...items, ...u.items].sort(byDateDescending);
      counts = u.counts;
      hasMore = u.hasMore;
      loading = false;
      if (u.header) renderHeader(u.header);
      renderChips();
      renderList();
      renderFooter(u.loaded, u.total);
      askIfAtEnd();
      break;
    case 'detail':
      split.classList.add('with-detail');
      detail.show(u.detail);
      break;
    case 'busy':
      status.busy(u.busy, u.message);
      break;
    case 'error':
      loading = false;
      more.disabled = false;
      status.busy(false);
      status.error(u.message);
      break;
  }
});

host.post({ type: 'ready' });
