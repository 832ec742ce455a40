import './lib/boot';
import * as l10n from '@vscode/l10n';
import type { HealthSystemSearchRequest } from '../../core/webviewProtocol/healthSystemSearch';
import { parseHealthSystemSearchUpdate } from '../../core/webviewProtocol/healthSystemSearch';
import { debounce, el, StatusArea } from './lib/dom';
import { connectHost, onHostMessage } from './lib/host';
import { SystemList } from './lib/systemList';

interface State {
  query: string;
}

const host = connectHost<HealthSystemSearchRequest, State>();
let seq = 0;

const input = el('input', { class: 'filter search', type: 'search', placeholder: l10n.t('Search health systems, hospitals, clinics…'), 'aria-label': l10n.t('Search health systems'), spellcheck: 'false' });
const summary = el('span', { class: 'count', 'aria-live': 'polite' });
const status = new StatusArea();
const results = new SystemList(l10n.t('Connect user…'), (systemId) => host.post({ type: 'connectUser', systemId }), l10n.t('No health system matches.'));
document.getElementById('app')?.append(
  el('header', { class: 'toolbar main-toolbar' }, el('span', { class: 'codicon codicon-search', 'aria-hidden': 'true' }), input, summary),
  status.element,
  el('main', { class: 'results' }, results.element));

function search(): void {
  const query = input.value.trim();
  host.saveState({ query: input.value });
  seq++;
  status.busy(true);
  host.post({ type: 'search', seq, query });
}

// one request per pause in typing; answers to older searches are dropped on arrival
input.addEventListener('input', debounce(search, 300));
input.addEventListener('keydown', (e) => {
  if (e.key === 'Enter') search();
  else if (e.key === 'ArrowDown') {
    e.preventDefault();
    results.element.querySelector<HTMLButtonElement>('button.hs-connect')?.focus();
  }
});
results.element.addEventListener('keydown', (e) => {
  const buttons = [...results.element.querySelectorAll<HTMLButtonElement>('button.hs-connect')];
  const i = buttons.indexOf(document.activeElement as HTMLButtonElement);
  if (i < 0) return;
  if (e.key === 'ArrowDown' && i < buttons.length - 1) { e.preventDefault(); buttons[i + 1].focus(); }
  if (e.key === 'ArrowUp') { e.preventDefault(); (i === 0 ? input : buttons[i - 1]).focus(); }
});

onHostMessage(parseHealthSystemSearchUpdate, (u) => {
  if (u.type === 'setQuery') {
    input.value = u.query;
    search();
    return;
  }
  if (u.seq !== seq && u.seq !== -1) return;
  status.busy(false);
  if (u.type === 'error') {
    status.error(u.message);
    return;
  }
  status.error(undefined);
  results.set(u.items);
  const n = u.items.length;
  summary.textContent = u.query
    ? (n === 1 ? l10n.t('1 result for “{0}”', u.query) : l10n.t('{0} results for “{1}”', n, u.query))
    : (n === 1 ? l10n.t('1 result') : l10n.t('{0} results', n));
});

input.value = host.state().query ?? '';
host.post({ type: 'ready' });
search();
input.focus();
