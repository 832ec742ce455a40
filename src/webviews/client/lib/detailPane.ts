import * as l10n from '@vscode/l10n';
import type { AttachmentView, DetailRequest, DetailView } from '../../../core/webviewProtocol/common';
import { el, iconButton, onAction } from './dom';
import { narrativeHadContent, sanitizeAppHtml, sanitizeNarrative, showsSomething } from './sanitize';

const KIND_ICONS: Record<string, string> = { PDF: 'file-pdf', HTML: 'file-code', XML: 'file-code', CDA: 'file-code', JSON: 'json', image: 'file-media', video: 'file-media', text: 'file-text' };

/**
 * The resource detail: narrative (sanitized), every field (host-escaped, re-sanitized), and the
 * raw JSON folded away. References are links the host resolves by index.
 */
export class DetailPane {
  readonly element = el('aside', { class: 'detail', 'aria-label': l10n.t('Resource detail') });
  private readonly title = el('h2', { class: 'detail-title' });
  private readonly subtitle = el('div', { class: 'detail-sub' });
  private readonly body = el('div', { class: 'detail-body', tabindex: '0' });
  private readonly back = iconButton('arrow-left', l10n.t('Back'), 'back');
  private readonly record = iconButton('history', l10n.t('Open Patient Record'), 'openPatientRecord', { text: true });
  private current: DetailView | undefined;

  constructor(private readonly post: (m: DetailRequest) => void, private readonly onClose: () => void, closable = true) {
    const toolbar = el('div', { class: 'toolbar detail-toolbar' },
      this.back,
      el('div', { class: 'spacer' }),
      this.record,
      iconButton('json', l10n.t('Open JSON'), 'openJson', { text: true }),
      closable ? iconButton('close', l10n.t('Close (Escape)'), 'close') : undefined);
    this.element.append(toolbar, this.body);
    this.element.hidden = true;
    onAction(this.element, (action, target) => {
      if (action === 'back') this.post({ type: 'back' });
      else if (action === 'openJson') this.post({ type: 'openJson', target: 'detail' });
      else if (action === 'openPatientRecord') this.post({ type: 'openPatientRecord' });
      else if (action === 'close') this.close();
      else if (action === 'ref') this.post({ type: 'openReference', index: Number(target.dataset.ref) });
      else if (action === 'openAttachment' || action === 'saveAttachment') this.post({ type: 'openAttachment', index: Number(target.dataset.index), save: action === 'saveAttachment' });
      else if (action === 'showRaw') this.showRaw();
    });
    this.element.addEventListener('keydown', (e) => {
      if (e.key === 'Escape' && closable) {
        e.preventDefault();
        e.stopPropagation();
        this.close();
      }
    });
  }

  get isOpen(): boolean {
    return !this.element.hidden;
  }

  get key(): number | undefined {
    return this.isOpen ? this.current?.key : undefined;
  }

  show(d: DetailView, focus = true): void {
    this.current = d;
    this.back.hidden = !d.canGoBack;
    this.record.hidden = !d.isPatient;
    this.title.textContent = d.title;
    this.subtitle.textContent = d.subtitle ?? '';
    const parts: Node[] = [this.title, this.subtitle];
    if (d.attachments?.length) parts.push(attachmentsSection(d.attachments));
    if (d.narrative) {
      const clean = sanitizeNarrative(d.narrative);
      if (showsSomething(clean)) {
        const narrative = el('section', { class: 'narrative', 'aria-label': l10n.t('Narrative') });
        narrative.append(clean);
        parts.push(narrative);
      } else if (narrativeHadContent(d.narrative)) {
        // everything in it was unsafe: say so rather than show nothing, and point at the raw JSON
        parts.push(el('section', { class: 'narrative-hidden', role: 'note', 'aria-label': l10n.t('Narrative') },
          el('span', { class: 'codicon codicon-shield', 'aria-hidden': 'true' }),
          el('div', {},
            el('strong', { text: l10n.t('Narrative hidden: unsafe content') }),
            el('p', { text: l10n.t('Everything in this resource\'s narrative (text.div) was removed as unsafe. The raw JSON keeps it as the server sent it.') }),
            iconButton('json', l10n.t('Show Raw JSON'), 'showRaw', { text: true }))));
      }
    }
    const fields = el('section', { class: 'fields-section', 'aria-label': l10n.t('Fields') });
    fields.append(sanitizeAppHtml(d.fieldsHtml));
    for (const a of fields.querySelectorAll<HTMLElement>('a[data-ref]')) a.dataset.action = 'ref';
    const raw = el('details', { class: 'raw' }, el('summary', { text: l10n.t('Raw JSON') }), el('pre', {}, el('code', { text: d.json })));
    parts.push(fields, raw);
    this.body.replaceChildren(...parts);
    this.body.scrollTop = 0;
    this.element.hidden = false;
    if (focus) this.body.focus({ preventScroll: true });
  }

  /** Unfolds the raw JSON and moves to it. */
  private showRaw(): void {
    const raw = this.body.querySelector<HTMLDetailsElement>('details.raw');
    if (!raw) return;
    raw.open = true;
    raw.scrollIntoView({ block: 'start' });
    raw.querySelector<HTMLElement>('summary')?.focus();
  }

  close(): void {
    if (!this.isOpen) return;
    this.element.hidden = true;
    this.current = undefined;
    this.post({ type: 'closeDetail' });
    this.onClose();
  }
}

/** The resource's attachments, each with Open and Save buttons (the host reads and opens them). */
function attachmentsSection(list: readonly AttachmentView[]): HTMLElement {
  const items = list.map((a) => {
    const open = iconButton('go-to-file', l10n.t('Open {0}', a.title), 'openAttachment', { text: true });
    open.querySelector('.label')!.textContent = l10n.t('Open');
    const save = iconButton('save-as', l10n.t('Save {0} As…', a.title), 'saveAttachment', { text: true });
    save.querySelector('.label')!.textContent = l10n.t('Save As…');
    for (const b of [open, save]) {
      b.dataset.index = String(a.index);
      b.disabled = !a.available;
    }
    return el('li', { class: 'attachment', title: a.where },
      el('span', { class: `codicon codicon-${KIND_ICONS[a.kind] ?? 'file'}`, 'aria-hidden': 'true' }),
      el('div', { class: 'attachment-main' }, el('span', { class: 'attachment-title', text: a.title }), el('span', { class: 'attachment-details', text: a.available ? a.details : l10n.t('{0} · no data or address', a.details) })),
      open, save);
  });
  return el('section', { class: 'attachments', 'aria-label': l10n.t('Attachments') },
    el('h3', { class: 'attachments-head', text: list.length === 1 ? l10n.t('Attachment') : l10n.t('Attachments ({0})', list.length) }),
    el('ul', { class: 'attachment-list' }, ...items));
}
