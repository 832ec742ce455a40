import type { DetailRequest, DetailView } from '../../../core/webviewProtocol/common';
import { el, iconButton, onAction } from './dom';
import { sanitizeAppHtml, sanitizeNarrative } from './sanitize';

/**
 * The resource detail: narrative (sanitized), every field (host-escaped, re-sanitized), and the
 * raw JSON folded away. References are links the host resolves by index.
 */
export class DetailPane {
  readonly element = el('aside', { class: 'detail', 'aria-label': 'Resource detail' });
  private readonly title = el('h2', { class: 'detail-title' });
  private readonly subtitle = el('div', { class: 'detail-sub' });
  private readonly body = el('div', { class: 'detail-body', tabindex: '0' });
  private readonly back = iconButton('arrow-left', 'Back', 'back');
  private readonly record = iconButton('history', 'Open Patient Record', 'openPatientRecord', { text: true });
  private current: DetailView | undefined;

  constructor(private readonly post: (m: DetailRequest) => void, private readonly onClose: () => void, closable = true) {
    const toolbar = el('div', { class: 'toolbar detail-toolbar' },
      this.back,
      el('div', { class: 'spacer' }),
      this.record,
      iconButton('json', 'Open JSON', 'openJson', { text: true }),
      closable ? iconButton('close', 'Close (Escape)', 'close') : undefined);
    this.element.append(toolbar, this.body);
    this.element.hidden = true;
    onAction(this.element, (action, target) => {
      if (action === 'back') this.post({ type: 'back' });
      else if (action === 'openJson') this.post({ type: 'openJson', target: 'detail' });
      else if (action === 'openPatientRecord') this.post({ type: 'openPatientRecord' });
      else if (action === 'close') this.close();
      else if (action === 'ref') this.post({ type: 'openReference', index: Number(target.dataset.ref) });
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
    if (d.narrative) {
      const narrative = el('section', { class: 'narrative', 'aria-label': 'Narrative' });
      narrative.append(sanitizeNarrative(d.narrative));
      parts.push(narrative);
    }
    const fields = el('section', { class: 'fields-section', 'aria-label': 'Fields' });
    fields.append(sanitizeAppHtml(d.fieldsHtml));
    for (const a of fields.querySelectorAll<HTMLElement>('a[data-ref]')) a.dataset.action = 'ref';
    const raw = el('details', { class: 'raw' }, el('summary', { text: 'Raw JSON' }), el('pre', {}, el('code', { text: d.json })));
    parts.push(fields, raw);
    this.body.replaceChildren(...parts);
    this.body.scrollTop = 0;
    this.element.hidden = false;
    if (focus) this.body.focus({ preventScroll: true });
  }

  close(): void {
    if (!this.isOpen) return;
    this.element.hidden = true;
    this.current = undefined;
    this.post({ type: 'closeDetail' });
    this.onClose();
  }
}
