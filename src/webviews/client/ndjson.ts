import './lib/boot';
import * as l10n from '@vscode/l10n';
import type { FilterState, IndexState, NdjsonView, NdjsonViewerRequest } from '../../core/webviewProtocol/ndjsonViewer';
import { parseNdjsonViewerUpdate } from '../../core/webviewProtocol/ndjsonViewer';
import { DetailPane } from './lib/detailPane';
import { debounce, el, iconButton, onAction, StatusArea } from './lib/dom';
import { connectHost, onHostMessage } from './lib/host';
import { VirtualGrid } from './lib/virtualGrid';

interface State {
  viewId: string;
  filter: string;
  selected?: number;
}

const host = connectHost<NdjsonViewerRequest, State>();
let view: NdjsonView | undefined;
let seq = 0;

const title = el('h1', { class: 'title' });
const meta = el('div', { class: 'meta', 'aria-live': 'polite' });
const progress = el('div', { class: 'index-progress', role: 'progressbar', 'aria-label': l10n.t('Indexing'), 'aria-valuemin': '0', 'aria-valuemax': '100' }, el('div', { class: 'index-bar' }));
const filter = el('input', { class: 'filter fhirpath', type: 'search', placeholder: l10n.t('FHIRPath filter, e.g. {0}', 'code.coding.code = \'8867-4\''), 'aria-label': l10n.t('FHIRPath filter (Enter to run)'), spellcheck: 'false' });
const filterError = el('div', { class: 'input-error', role: 'alert', id: 'filter-error' });
const filterStatus = el('span', { class: 'count', 'aria-live': 'polite' });
const cancel = iconButton('debug-stop', l10n.t('Stop filtering'), 'cancelFilter');
const column = el('input', { class: 'filter column-input', type: 'text', placeholder: l10n.t('Add a FHIRPath column'), 'aria-label': l10n.t('Add a FHIRPath column (Enter to add)'), spellcheck: 'false' });
const columnError = el('div', { class: 'input-error', role: 'alert' });
const goTo = el('input', { class: 'filter line-input', type: 'number', min: '1', placeholder: l10n.t('Line'), 'aria-label': l10n.t('Go to line (Enter)') });
const nextBad = iconButton('warning', l10n.t('Next bad line'), 'nextBad', { text: true });
const removeColumns = el('div', { class: 'chips', role: 'group', 'aria-label': l10n.t('FHIRPath columns') });
const status = new StatusArea();

const grid = new VirtualGrid({
  request: (from, count) => {
    if (view) host.post({ type: 'rows', viewId: view.viewId, seq: ++seq, from, count });
  },
  open: (row) => {
    if (view) host.post({ type: 'openDetail', viewId: view.viewId, row });
  },
  shown: (from, to) => sendShown(from, to),
  changed: () => saveState(),
}, l10n.t('Rows'));
const detail = new DetailPane((m) => host.post(m), () => {
  split.classList.remove('with-detail');
  grid.focusSelection();
});
const split = el('main', { class: 'split' }, grid.element, detail.element);
const toolbar = el('header', { class: 'toolbar main-toolbar' },
  el('div', { class: 'title-block' }, title, meta),
  el('div', { class: 'filter-box fhirpath-box' }, el('span', { class: 'codicon codicon-filter', 'aria-hidden': 'true' }), filter, cancel, filterStatus),
  el('div', { class: 'filter-box' }, el('span', { class: 'codicon codicon-add', 'aria-hidden': 'true' }), column),
  el('div', { class: 'filter-box' }, goTo, nextBad));
document.getElementById('app')?.append(toolbar, progress, filterError, columnError, removeColumns, status.element, split);
filter.setAttribute('aria-describedby', 'filter-error');
cancel.hidden = true;
filterError.hidden = true;
columnError.hidden = true;
nextBad.hidden = true;

let lastShown = '';
const sendShown = debounce((from: number, to: number) => {
  if (!view) return;
  const key = `${view.viewId}:${from}:${to}`;
  if (key === lastShown) return;
  lastShown = key;
  host.post({ type: 'shown', viewId: view.viewId, from, to });
}, 80);

const saveState = debounce(() => {
  if (view) host.saveState({ viewId: view.viewId, filter: filter.value, selected: grid.selected });
}, 100);

onAction(document.body, (action, target) => {
  if (action === 'cancelFilter') host.post({ type: 'cancelFilter' });
  else if (action === 'nextBad') host.post({ type: 'nextBad', after: grid.selected === undefined ? 0 : grid.selected + 1 });
  else if (action === 'removeColumn') host.post({ type: 'removeColumn', expression: target.dataset.expression ?? '' });
});

filter.addEventListener('keydown', (e) => {
  if (e.key === 'Enter') {
    e.preventDefault();
    host.post({ type: 'filter', expression: filter.value.trim() });
  } else if (e.key === 'Escape' && filter.value) {
    e.preventDefault();
    e.stopPropagation();
    filter.value = '';
    host.post({ type: 'filter', expression: '' });
  }
});
// clearing the box (its × button) clears the filter
filter.addEventListener('search', () => {
  if (!filter.value && view?.filter) host.post({ type: 'filter', expression: '' });
});
column.addEventListener('keydown', (e) => {
  if (e.key === 'Enter' && column.value.trim()) {
    e.preventDefault();
    host.post({ type: 'addColumn', expression: column.value.trim() });
  }
});
goTo.addEventListener('keydown', (e) => {
  const line = Number(goTo.value);
  if (e.key === 'Enter' && Number.isSafeInteger(line) && line >= 1) {
    e.preventDefault();
    host.post({ type: 'goToLine', line });
  }
});
document.addEventListener('keydown', (e) => {
  if (e.key === 'Escape' && detail.isOpen) {
    e.preventDefault();
    detail.close();
  } else if ((e.ctrlKey || e.metaKey) && e.key.toLowerCase() === 'g') {
    e.preventDefault();
    goTo.focus();
    goTo.select();
  }
});

function fmt(n: number): string {
  return n.toLocaleString('en-US');
}

function showIndex(index: IndexState, rowCount: number): void {
  const pct = index.bytes ? Math.floor((100 * index.bytesDone) / index.bytes) : 100;
  progress.hidden = index.done;
  progress.setAttribute('aria-valuenow', String(pct));
  (progress.firstElementChild as HTMLElement).style.width = `${pct}%`;
  const parts = [index.done
    ? (index.rows === 1 ? l10n.t('1 row') : l10n.t('{0} rows', fmt(index.rows)))
    : l10n.t('Indexing {0}% · {1} rows so far', pct, fmt(index.rows))];
  if (index.summary) parts.push(index.summary);
  if (index.badCount) parts.push(index.badCount === 1 ? l10n.t('1 bad line') : l10n.t('{0} bad lines', fmt(index.badCount)));
  if (index.error) parts.push(l10n.t('index stopped: {0}', index.error));
  meta.textContent = parts.join(' · ');
  nextBad.hidden = !index.badCount || !!view?.filter;
  if (!view?.filter) grid.setCount(rowCount);
}

function showFilter(f: FilterState | undefined, rowCount: number): void {
  filterError.hidden = !f?.error;
  filterError.textContent = f?.error ? `${f.error}` : '';
  filter.classList.toggle('invalid', !!f?.error);
  filter.setAttribute('aria-invalid', String(!!f?.error));
  cancel.hidden = !f?.running;
  if (!f || f.error) {
    filterStatus.textContent = '';
    return;
  }
  const pct = f.bytes ? Math.floor((100 * f.bytesDone) / f.bytes) : 100;
  const state = f.running ? l10n.t('filtering {0}%…', pct) : f.cancelled ? l10n.t('stopped at {0}%', pct) : l10n.t('done');
  const matched = f.matched === 1 ? l10n.t('1 match') : l10n.t('{0} matches', fmt(f.matched));
  const parts = [matched, state];
  if (f.evalErrors) parts.push(l10n.t('{0} failed ({1})', fmt(f.evalErrors), f.firstEvalError ?? ''));
  filterStatus.textContent = parts.join(' · ');
  grid.setCount(rowCount);
}

function showColumns(v: NdjsonView): void {
  removeColumns.replaceChildren(...v.columns.filter((c) => c.expression).map((c) => el('button', {
    class: 'chip on', type: 'button', 'data-action': 'removeColumn', 'data-expression': c.expression, title: l10n.t('Remove the column {0}', c.expression ?? ''), text: `${c.expression} ×`,
  })));
  removeColumns.hidden = !removeColumns.childElementCount;
}

function show(v: NdjsonView): void {
  const saved = host.state();
  view = v;
  title.textContent = v.title;
  title.title = v.fileName;
  document.title = v.title;
  if (document.activeElement !== filter) filter.value = v.filter?.expression ?? (saved.viewId === v.viewId ? saved.filter ?? '' : filter.value);
  grid.reset(v.columns, v.rowCount);
  showColumns(v);
  if (v.columns.some((c) => c.expression === column.value.trim())) column.value = '';
  showIndex(v.index, v.rowCount);
  showFilter(v.filter, v.rowCount);
  if (saved.viewId === v.viewId && saved.selected !== undefined) grid.select(saved.selected, false, true);
}

onHostMessage(parseNdjsonViewerUpdate, (u) => {
  switch (u.type) {
    case 'view':
      show(u.view);
      break;
    case 'rows':
      if (u.viewId === view?.viewId) grid.setRows(u.rows);
      break;
    case 'index':
      if (u.viewId === view?.viewId) {
        view.index = u.index;
        showIndex(u.index, u.rowCount);
      }
      break;
    case 'filter':
      if (u.viewId === view?.viewId) {
        view.filter = u.filter;
        showFilter(u.filter, u.rowCount);
      }
      break;
    case 'reveal':
      // the host waits to hear that the row is on screen, even if it already was
      lastShown = '';
      if (u.viewId === view?.viewId) grid.select(u.row, true, true);
      break;
    case 'columnError':
      columnError.hidden = false;
      columnError.textContent = l10n.t('Column {0}: {1}', u.expression, u.message);
      column.classList.add('invalid');
      break;
    case 'detail':
      split.classList.add('with-detail');
      detail.show(u.detail);
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
column.addEventListener('input', () => {
  columnError.hidden = true;
  column.classList.remove('invalid');
});

host.post({ type: 'ready' });
