import './lib/boot';
import * as l10n from '@vscode/l10n';
import type { RestoreRequest } from '../../core/webviewProtocol/restore';
import { parseRestoreUpdate } from '../../core/webviewProtocol/restore';
import { el, iconButton, onAction, StatusArea } from './lib/dom';
import { connectHost, onHostMessage } from './lib/host';

// What a panel shows while it is brought back after a reload, and instead of a blank page when
// its source is gone (file deleted, sandbox stopped, environment changed): why, Retry and Close.
const host = connectHost<RestoreRequest, Record<string, never>>();
const status = new StatusArea();
const icon = el('span', { class: 'codicon codicon-history restore-icon', 'aria-hidden': 'true' });
const title = el('h1', { class: 'restore-title' });
const message = el('p', { class: 'restore-message', role: 'status', 'aria-live': 'polite' });
const retry = iconButton('refresh', l10n.t('Retry'), 'retry', { text: true, primary: true });
const fix = iconButton('play', '', 'fix', { text: true });
const close = iconButton('close', l10n.t('Close'), 'close', { text: true });
const actions = el('div', { class: 'actions restore-actions' }, retry, fix, close);
const page = el('main', { class: 'restore-page' }, icon, el('div', { class: 'restore-body' }, title, message, actions));
document.getElementById('app')?.append(status.element, page);
actions.hidden = true;

onAction(page, (action, target) => {
  if (action === 'retry') host.post({ type: 'retry' });
  else if (action === 'close') host.post({ type: 'close' });
  else if (action === 'fix' && (target.dataset.fix === 'startSandbox' || target.dataset.fix === 'selectEnvironment')) host.post({ type: 'fix', id: target.dataset.fix });
});

onHostMessage(parseRestoreUpdate, (u) => {
  title.textContent = u.title;
  document.title = u.title;
  message.textContent = u.message;
  if (u.type === 'restoring') {
    status.busy(true, u.message);
    icon.className = 'codicon codicon-history restore-icon';
    actions.hidden = true;
    return;
  }
  status.busy(false);
  icon.className = 'codicon codicon-warning restore-icon';
  actions.hidden = false;
  retry.hidden = !u.retry;
  fix.hidden = !u.fix;
  // the fix (start the sandbox, select the environment) is what helps: it is the primary action then
  for (const [button, primary] of [[fix, !!u.fix], [retry, !u.fix]] as const) {
    button.classList.toggle('primary', primary);
    button.classList.toggle('secondary', !primary);
  }
  if (u.fix) {
    fix.dataset.fix = u.fix.id;
    fix.title = u.fix.label;
    fix.setAttribute('aria-label', u.fix.label);
    fix.querySelector('.label')!.textContent = u.fix.label;
    fix.querySelector('.codicon')!.className = `codicon codicon-${u.fix.id === 'startSandbox' ? 'play' : 'server-environment'}`;
  }
  (u.fix ? fix : u.retry ? retry : close).focus();
});

host.post({ type: 'ready' });
