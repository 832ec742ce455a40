import './lib/boot';
import * as l10n from '@vscode/l10n';
import { newDataText } from '../../core/render/newData';
import type { ConnectRequest, ConnectView } from '../../core/webviewProtocol/connect';
import { parseConnectUpdate } from '../../core/webviewProtocol/connect';
import { debounce, el, iconButton, onAction, StatusArea } from './lib/dom';
import { connectHost, onHostMessage } from './lib/host';
import { SystemList } from './lib/systemList';

interface State {
  filter: string;
}

const host = connectHost<ConnectRequest, State>();
let view: ConnectView | undefined;

const who = el('div', { class: 'title-block connect-who' });
const status = new StatusArea();
const awaiting = el('div', { class: 'banner info' });
const countsLine = el('div', { class: 'counts-line', 'aria-live': 'polite' });
const frame = el('iframe', {
  class: 'connect-frame',
  title: l10n.t('Health system sign-in'),
  // the login page runs its own scripts and forms; it may not navigate this webview
  sandbox: 'allow-scripts allow-forms allow-same-origin allow-popups',
  referrerpolicy: 'no-referrer',
});
const closeFrame = iconButton('close', l10n.t('Close the sign-in page'), 'closeFrame');
const framePane = el('section', { class: 'frame-pane', 'aria-label': l10n.t('Health system sign-in') },
  el('header', { class: 'toolbar frame-toolbar' }, el('span', { class: 'meta', text: l10n.t('Sign-in (simulated by the local sandbox)') }), el('div', { class: 'spacer' }), closeFrame),
  frame);
// one list of health systems, one search box: the environment's own Connect page opens in the browser
const search = el('input', { class: 'filter search', type: 'search', placeholder: l10n.t('Search by name, city or EHR'), 'aria-label': l10n.t('Search health systems'), spellcheck: 'false' });
const shown = el('span', { class: 'count', 'aria-live': 'polite' });
const systems = new SystemList(l10n.t('Connect…'), (systemId) => host.post({ type: 'connectSystem', systemId }), l10n.t('No health system matches.'));
const hint = el('p', { class: 'hint' });
const list = el('section', { class: 'systems', 'aria-label': l10n.t('Health systems') },
  el('div', { class: 'search-row' }, el('span', { class: 'codicon codicon-search', 'aria-hidden': 'true' }), search, shown), hint, systems.element);
const main = el('main', { class: 'connect-split' }, list, framePane);
const toolbar = el('header', { class: 'toolbar main-toolbar connect-toolbar' }, who, el('div', { class: 'spacer' }),
  el('div', { class: 'actions' },
    iconButton('refresh', l10n.t('Reload'), 'reload', { text: true }),
    iconButton('link-external', l10n.t('Open in Browser'), 'openInBrowser', { text: true }),
    iconButton('sync', l10n.t('Check for New Data'), 'checkForData', { text: true, primary: true })));
document.getElementById('app')?.append(toolbar, status.element, awaiting, countsLine, main);
awaiting.hidden = true;
showFrame(false);

onAction(document.body, (action) => {
  if (action === 'reload') host.post({ type: 'reload' });
  else if (action === 'openInBrowser') host.post({ type: 'openInBrowser' });
  else if (action === 'checkForData') host.post({ type: 'checkForData' });
  else if (action === 'closeFrame') {
    frame.src = 'about:blank';
    showFrame(false);
  }
});

const saved = host.state();
search.value = saved.filter ?? '';
search.addEventListener('input', debounce(() => {
  applySearch();
  host.saveState({ filter: search.value });
}, 100));

function applySearch(): void {
  const n = systems.filter(search.value);
  shown.textContent = search.value.trim() ? l10n.t('{0} of {1}', n.shown, n.all) : `${n.all}`;
}

function showFrame(on: boolean): void {
  framePane.hidden = !on;
  main.classList.toggle('with-frame', on);
}

const browserDark = window.matchMedia('(prefers-color-scheme: dark)');

/**
 * The framed page follows the workbench's theme where it can. The frame asks for the theme's
 * `color-scheme` (the CSS spec passes it to the page's `prefers-color-scheme`; Chromium does not
 * yet, so a page sees the browser's preference). The frame only ever shows the local sandbox's
 * sign-in pages, which follow `prefers-color-scheme`: under a dark theme in a browser that
 * prefers light they would show light, so their colours are inverted (hues kept) instead.
 */
function followTheme(): void {
  const dark = document.body.classList.contains('vscode-dark') || (document.body.classList.contains('vscode-high-contrast') && !document.body.classList.contains('vscode-high-contrast-light'));
  frame.style.colorScheme = dark ? 'dark' : 'light';
  frame.classList.toggle('inverted', dark && !browserDark.matches && view?.isSandbox === true);
}
followTheme();
new MutationObserver(followTheme).observe(document.body, { attributes: true, attributeFilter: ['class'] });
browserDark.addEventListener('change', followTheme);

/** The frame only ever shows pages of the environment the host named (checked here again). */
function setFrame(url: string): void {
  if (!view) return;
  try {
    const target = new URL(url);
    if (target.origin !== new URL(view.frameUrl).origin || !/^https?:$/.test(target.protocol)) return;
    frame.src = target.href;
    showFrame(true);
  } catch {
    // not a URL: ignore
  }
}

function showView(v: ConnectView): void {
  view = v;
  who.replaceChildren(
    el('span', { class: 'codicon codicon-account', 'aria-hidden': 'true' }),
    el('span', { class: 'user', text: v.user.appUserId, title: l10n.t('{0} (oneup_user_id {1})', v.user.appUserId, v.user.oneupUserId) }),
    el('span', { class: 'meta env', text: v.environment }));
  if (v.isSandbox) who.append(el('span', { class: 'badge', text: l10n.t('sandbox') }));
  hint.textContent = v.isSandbox
    ? l10n.t('The local sandbox’s sign-in pages open beside this list: connect and authorize inside this panel, then choose “{0}”.', l10n.t('Check for New Data'))
    : l10n.t('Health system sign-in pages refuse to be framed, so “{0}” opens them in your browser. Come back and choose “{1}” when you are done.', l10n.t('Connect…'), l10n.t('Check for New Data'));
  frame.src = 'about:blank';
  showFrame(false);
  followTheme();
}

onHostMessage(parseConnectUpdate, (u) => {
  switch (u.type) {
    case 'connect': showView(u.view); break;
    case 'systems':
      systems.set(u.systems);
      applySearch();
      break;
    case 'navigate': setFrame(u.url); break;
    case 'awaiting':
      awaiting.hidden = false;
      awaiting.textContent = l10n.t('Finish signing in to {0} in your browser, then choose “{1}”.', u.systemName, l10n.t('Check for New Data'));
      break;
    case 'counts': {
      awaiting.hidden = true;
      countsLine.textContent = newDataText(u.added, u.changes ?? []);
      countsLine.title = Object.entries(u.counts).sort((a, b) => b[1] - a[1]).map(([t, n]) => `${t} ${n}`).join(' · ') || l10n.t('This user has no resources.');
      break;
    }
    case 'busy': status.busy(u.busy, u.message); break;
    case 'error':
      status.busy(false);
      status.error(u.message);
      break;
  }
});

host.post({ type: 'ready' });
