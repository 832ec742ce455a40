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

const who = el('div', { class: 'title-block' });
const status = new StatusArea();
const awaiting = el('div', { class: 'banner info' });
const countsLine = el('div', { class: 'counts-line', 'aria-live': 'polite' });
const frame = el('iframe', {
  class: 'connect-frame',
  title: '1upHealth Connect',
  // the Connect page runs its own scripts and forms; it may not navigate this webview
  sandbox: 'allow-scripts allow-forms allow-same-origin allow-popups',
  referrerpolicy: 'no-referrer',
});
const filter = el('input', { class: 'filter', type: 'search', placeholder: 'Filter health systems', 'aria-label': 'Filter health systems', spellcheck: 'false' });
const systems = new SystemList('Connect…', (systemId) => host.post({ type: 'connectSystem', systemId }), 'No health systems.');
const hint = el('p', { class: 'hint' });
const side = el('aside', { class: 'systems' }, el('h2', { text: 'Health systems' }), filter, hint, systems.element);
const toolbar = el('header', { class: 'toolbar main-toolbar' }, who, el('div', { class: 'spacer' }),
  iconButton('refresh', 'Reload', 'reload', { text: true }),
  iconButton('link-external', 'Open in Browser', 'openInBrowser', { text: true }),
  iconButton('sync', 'Check for New Data', 'checkForData', { text: true, primary: true }));
document.getElementById('app')?.append(toolbar, status.element, awaiting, countsLine, el('main', { class: 'connect-split' }, frame, side));
awaiting.hidden = true;

onAction(document.body, (action) => {
  if (action === 'reload') host.post({ type: 'reload' });
  else if (action === 'openInBrowser') host.post({ type: 'openInBrowser' });
  else if (action === 'checkForData') host.post({ type: 'checkForData' });
});

const saved = host.state();
filter.value = saved.filter ?? '';
filter.addEventListener('input', debounce(() => {
  systems.filter(filter.value);
  host.saveState({ filter: filter.value });
}, 100));

/** The frame only ever shows pages of the environment the host named (checked here again). */
function setFrame(url: string): void {
  if (!view) return;
  try {
    const target = new URL(url);
    if (target.origin !== new URL(view.frameUrl).origin || !/^https?:$/.test(target.protocol)) return;
    frame.src = target.href;
  } catch {
    // not a URL: ignore
  }
}

function showView(v: ConnectView): void {
  view = v;
  who.replaceChildren(
    el('span', { class: 'codicon codicon-account', 'aria-hidden': 'true' }),
    el('span', { class: 'user', text: v.user.appUserId, title: `1up user ${v.user.oneupUserId}` }),
    el('span', { class: 'meta', text: ` · ${v.environment}` }));
  if (v.isSandbox) who.append(el('span', { class: 'badge', text: 'sandbox' }));
  hint.textContent = v.isSandbox
    ? 'The local sandbox lets its login pages show here: connect and authorize inside this panel.'
    : 'Health system login pages refuse to be framed, so “Connect…” opens them in your browser. Come back and choose “Check for New Data” when you are done.';
  frame.src = 'about:blank';
  setFrame(v.frameUrl);
}

onHostMessage(parseConnectUpdate, (u) => {
  switch (u.type) {
    case 'connect': showView(u.view); break;
    case 'systems':
      systems.set(u.systems);
      systems.filter(filter.value);
      break;
    case 'navigate': setFrame(u.url); break;
    case 'awaiting':
      awaiting.hidden = false;
      awaiting.textContent = `Finish signing in to ${u.systemName} in your browser, then choose “Check for New Data”.`;
      break;
    case 'counts': {
      awaiting.hidden = true;
      const parts = Object.entries(u.counts).sort((a, b) => b[1] - a[1]).map(([t, n]) => `${t} ${n}`);
      const change = u.added > 0 ? `${u.added} new resources. ` : 'No new resources yet. ';
      countsLine.textContent = change + (parts.length ? parts.join(' · ') : 'This user has no resources.');
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
