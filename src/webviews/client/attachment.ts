import './lib/boot';
import * as l10n from '@vscode/l10n';
import type { AttachmentRequest } from '../../core/webviewProtocol/attachment';
import { parseAttachmentUpdate } from '../../core/webviewProtocol/attachment';
import { el, iconButton, onAction, StatusArea } from './lib/dom';
import { connectHost, onHostMessage } from './lib/host';
import { narrativeHadContent, sanitizeNarrative, showsSomething } from './lib/sanitize';

// An HTML attachment (a report's presentedForm, a document): sanitized with the narrative policy
// (no script, style, form, frame or remote image), shown under the page's strict CSP.
const host = connectHost<AttachmentRequest, Record<string, never>>();
const status = new StatusArea();
const title = el('h1', { class: 'attachment-doc-title' });
const details = el('div', { class: 'attachment-doc-details' });
const body = el('article', { class: 'narrative attachment-doc', tabindex: '0', 'aria-label': l10n.t('Attachment') });
const toolbar = el('div', { class: 'toolbar' }, el('div', { class: 'attachment-doc-head' }, title, details), el('div', { class: 'spacer' }), iconButton('save-as', l10n.t('Save As…'), 'save', { text: true }));
const page = el('main', { class: 'attachment-page' }, toolbar, status.element, body);
document.getElementById('app')?.append(page);
onAction(page, (action) => { if (action === 'save') host.post({ type: 'save' }); });

onHostMessage(parseAttachmentUpdate, (u) => {
  if (u.type === 'error') {
    status.error(u.message);
    return;
  }
  status.error(undefined);
  document.title = u.title;
  title.textContent = u.title;
  details.textContent = u.details;
  const clean = sanitizeNarrative(u.html);
  if (showsSomething(clean)) body.replaceChildren(clean);
  else body.replaceChildren(el('p', { class: 'notice', text: narrativeHadContent(u.html) ? l10n.t('Attachment hidden: unsafe content. Save it to look at it with another program.') : l10n.t('This attachment is empty.') }));
  body.focus({ preventScroll: true });
});

host.post({ type: 'ready' });
