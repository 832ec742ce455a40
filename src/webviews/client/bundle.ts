import './lib/boot';
import * as l10n from '@vscode/l10n';
import type { BundleView, BundleViewerRequest, PageRelation } from '../../core/webviewProtocol/bundleViewer';
import { parseBundleViewerUpdate } from '../../core/webviewProtocol/bundleViewer';
import { DetailPane } from './lib/detailPane';
import { debounce, el, iconButton, onAction, StatusArea } from './lib/dom';
import { GroupedGrid } from './lib/grid';
import { connectHost, onHostMessage } from './lib/host';

interface State {
  viewId: string;
  filter: string;
  scrollTop: number;
  selectedKey?: number;
  collapsed: string[];
}

const host = connectHost<BundleViewerRequest, State>();
let viewId = '';
let serverType: string | undefined;

const title = el('h1', { class: 'title' });
const meta = el('div', { class: 'meta' });
const pageLabel = el('span', { class: 'page-label' });
const pager: Record<PageRelation, HTMLButtonElement> = {
  first: iconButton('arrow-circle-left', l10n.t('First page'), 'page:first'),
  previous: iconButton('chevron-left', l10n.t('Previous page'), 'page:previous'),
  next: iconButton('chevron-right', l10n.t('Next page'), 'page:next'),
  last: iconButton('arrow-circle-right', l10n.t('Last page'), 'page:last'),
};
// what the text filter covers ("Filter this page", "Filter these results"…), from the host
let textScope = l10n.t('Filter this page');
const filter = el('input', { class: 'filter', type: 'search', placeholder: textScope, 'aria-label': textScope, spellcheck: 'false' });
const count = el('span', { class: 'count', 'aria-live': 'polite' });
// the filter only sees what is loaded: this searches the server for the same text (_content)
const searchServer = iconButton('search', l10n.t('Search the server'), 'searchServer', { text: true });
searchServer.hidden = true;
// FHIRPath mode: the box takes an expression the host evaluates (Enter), instead of text to find
const fhirpathMode = el('button', { class: 'button secondary fhirpath-toggle', type: 'button', 'aria-pressed': 'false', title: l10n.t('Filter with a FHIRPath expression'), 'data-action': 'fhirpathMode', text: 'FHIRPath' });
const fhirpathError = el('div', { class: 'banner error fhirpath-error', role: 'alert', id: 'fhirpath-error' });
let fhirpath = false;
const notice = el('div', { class: 'banner info' });
const status = new StatusArea();

const grid = new GroupedGrid({
  open: (key) => host.post({ type: 'openDetail', key }),
  changed: () => saveState(),
});
const detail = new DetailPane((m) => host.post(m), () => {
  split.classList.remove('with-detail');
  grid.focusSelection();
});
const split = el('main', { class: 'split' }, grid.element, detail.element);

const toolbar = el('header', { class: 'toolbar main-toolbar' },
  el('div', { class: 'title-block' }, title, meta),
  el('div', { class: 'pager', role: 'group', 'aria-label': l10n.t('Pages') }, pager.first, pager.previous, pageLabel, pager.next, pager.last),
  el('div', { class: 'filter-box' }, el('span', { class: 'codicon codicon-filter', 'aria-hidden': 'true' }), filter, fhirpathMode, count, searchServer),
  el('div', { class: 'actions' },
    iconButton('json', l10n.t('Open JSON'), 'openJson', { text: true }),
    iconButton('save', l10n.t('Save Bundle…'), 'saveBundle', { text: true }),
    iconButton('copy', l10n.t('Copy as NDJSON'), 'copyNdjson', { text: true })));

document.getElementById('app')?.append(toolbar, status.element, fhirpathError, notice, split);
notice.hidden = true;
fhirpathError.hidden = true;

function setFhirpathMode(on: boolean): void {
  fhirpath = on;
  fhirpathMode.setAttribute('aria-pressed', String(on));
  fhirpathMode.classList.toggle('primary', on);
  fhirpathMode.classList.toggle('secondary', !on);
  filter.placeholder = on ? l10n.t('FHIRPath, e.g. {0} (Enter)', 'status = \'final\'') : textScope;
  filter.setAttribute('aria-label', on ? l10n.t('FHIRPath filter (Enter to run)') : textScope);
  fhirpathError.hidden = true;
  grid.setKeyFilter(undefined);
  grid.setFilter(on ? '' : filter.value);
  updateCount();
}

onAction(toolbar, (action) => {
  if (action.startsWith('page:')) host.post({ type: 'page', rel: action.slice(5) as PageRelation });
  else if (action === 'openJson') host.post({ type: 'openJson', target: 'bundle' });
  else if (action === 'saveBundle') host.post({ type: 'saveBundle' });
  else if (action === 'copyNdjson') host.post({ type: 'copyNdjson' });
  else if (action === 'searchServer' && filter.value.trim()) host.post({ type: 'searchServer', text: filter.value.trim() });
  else if (action === 'fhirpathMode') setFhirpathMode(!fhirpath);
});

const applyFilter = debounce(() => {
  if (fhirpath) return;
  grid.setFilter(filter.value);
  updateCount();
}, 120);
filter.addEventListener('input', applyFilter);
filter.addEventListener('keydown', (e) => {
  if (fhirpath && e.key === 'Enter') {
    e.preventDefault();
    if (filter.value.trim()) host.post({ type: 'fhirpathFilter', expression: filter.value.trim() });
    else setFhirpathMode(true);
    return;
  }
  if (e.key === 'ArrowDown' || e.key === 'Enter') {
    e.preventDefault();
    grid.setFilter(filter.value);
    grid.focusSelection();
  } else if (e.key === 'Escape' && filter.value) {
    e.preventDefault();
    e.stopPropagation();
    filter.value = '';
    grid.setFilter('');
    updateCount();
  }
});
document.addEventListener('keydown', (e) => {
  if (e.key === 'Escape' && detail.isOpen) {
    e.preventDefault();
    detail.close();
  }
});

function updateCount(): void {
  const { shown, all } = grid.counts;
  const text = filter.value.trim();
  count.textContent = text ? l10n.t('{0} of {1}', shown, all) : '';
  searchServer.hidden = !text || !serverType || fhirpath;
  if (serverType && text) {
    const label = l10n.t('Search all {0} for “{1}”', serverType, text.length > 30 ? `${text.slice(0, 30)}…` : text);
    searchServer.title = l10n.t('{0} on the server (_content), not only this page', label);
    searchServer.setAttribute('aria-label', searchServer.title);
    const span = searchServer.querySelector('.label');
    if (span) span.textContent = label;
  }
}

function showFhirpathResult(r: { expression: string; keys?: number[]; error?: string; failed?: number }): void {
  if (!fhirpath || r.expression !== filter.value.trim()) return;
  fhirpathError.hidden = !r.error && !r.failed;
  fhirpathError.textContent = r.error ?? (r.failed ? (r.failed === 1 ? l10n.t('The expression failed on 1 resource (left out).') : l10n.t('The expression failed on {0} resources (left out).', r.failed)) : '');
  filter.setAttribute('aria-invalid', String(!!r.error));
  if (r.keys) grid.setKeyFilter(new Set(r.keys));
  updateCount();
}

// nothing to save before the first view arrives (and saving then would lose what was saved before)
const saveState = debounce(() => {
  if (!viewId) return;
  host.saveState({ viewId, filter: filter.value, scrollTop: grid.element.scrollTop, selectedKey: grid.selectedKey, collapsed: grid.collapsedTypes });
}, 100);

function show(view: BundleView): void {
  const saved = host.state();
  const same = saved.viewId === view.viewId;
  viewId = view.viewId;
  title.textContent = view.title;
  const total = view.total !== undefined ? l10n.t('{0} total', view.total.toLocaleString())
    : view.entries === 1 ? l10n.t('1 entry') : l10n.t('{0} entries', view.entries.toLocaleString());
  meta.textContent = [view.types.join(', ') || l10n.t('no resources'), total, view.bundleType].filter(Boolean).join(' · ');
  meta.title = view.types.join(', ');
  for (const rel of Object.keys(pager) as PageRelation[]) pager[rel].disabled = !view.links[rel];
  const paged = Object.values(view.links).some(Boolean) || (view.page ?? 1) > 1;
  pageLabel.textContent = !view.page ? '' : view.pages ? l10n.t('Page {0} of {1}', view.page, view.pages) : l10n.t('Page {0}', view.page);
  (pageLabel.parentElement as HTMLElement).hidden = !paged;
  notice.hidden = !view.notice;
  notice.textContent = view.notice ?? '';
  serverType = view.serverSearchType;
  textScope = view.filterScope ?? l10n.t('Filter this page');
  if (!fhirpath) {
    filter.placeholder = textScope;
    filter.setAttribute('aria-label', textScope);
  }
  filter.title = serverType
    ? l10n.t('{0}: it filters the {1} entries shown here, not the server (the search button beside it asks the server)', filter.placeholder, view.entries.toLocaleString())
    : l10n.t('{0}: it filters the {1} entries shown here, not the server', filter.placeholder, view.entries.toLocaleString());
  filter.value = same ? saved.filter ?? '' : '';
  grid.setGroups(view.groups, same ? saved : {});
  updateCount();
  saveState();
}

onHostMessage(parseBundleViewerUpdate, (u) => {
  switch (u.type) {
    case 'bundle':
      show(u.view);
      if (fhirpath) setFhirpathMode(true);
      break;
    case 'fhirpathResult':
      showFhirpathResult(u);
      break;
    case 'detail':
      split.classList.add('with-detail');
      detail.show(u.detail);
      if (u.detail.key !== undefined) grid.select(u.detail.key, { reveal: true });
      break;
    case 'busy':
      status.busy(u.busy, u.message);
      break;
    case 'error':
      status.busy(false);
      status.error(u.message);
      break;
  }
});

host.post({ type: 'ready' });
