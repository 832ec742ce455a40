import * as l10n from '@vscode/l10n';
import { healthSystemHtml } from '../../../core/render/html';
import type { HealthSystemSummary } from '../../../core/webviewProtocol/common';
import { el } from './dom';

/** A list of health systems, each with a connect button that reports the system's id. */
export class SystemList {
  readonly element = el('ul', { class: 'hs-list', 'aria-label': l10n.t('Health systems') });
  private systems: HealthSystemSummary[] = [];
  private query = '';

  constructor(private readonly action: string, private readonly onConnect: (systemId: string) => void, private readonly emptyText: string) {
    this.element.addEventListener('click', (e) => {
      const button = (e.target as Element).closest<HTMLButtonElement>('button.hs-connect');
      if (button?.dataset.system) this.onConnect(button.dataset.system);
    });
    // a logo that fails to load (CSP, 404) gives way to the generic icon
    this.element.addEventListener('error', (e) => {
      const img = e.target as HTMLElement;
      if (img.tagName === 'IMG') img.replaceWith(el('span', { class: 'hs-logo codicon codicon-organization', 'aria-hidden': 'true' }));
    }, true);
  }

  set(systems: HealthSystemSummary[]): void {
    this.systems = systems;
    this.render();
  }

  /** Shows the systems whose name, address or id hold every word of `query`; answers how many. */
  filter(query: string): { shown: number; all: number } {
    this.query = query.trim().toLowerCase();
    return this.render();
  }

  private render(): { shown: number; all: number } {
    const words = this.query.split(/\s+/).filter(Boolean);
    const shown = words.length ? this.systems.filter((s) => {
      const hay = `${s.name} ${s.address ?? ''} ${s.id}`.toLowerCase();
      return words.every((w) => hay.includes(w));
    }) : this.systems;
    this.element.innerHTML = shown.slice(0, 500).map((s) => healthSystemHtml(s, this.action)).join('');
    if (!shown.length) this.element.append(el('li', { class: 'empty-state', text: this.emptyText }));
    else if (shown.length > 500) {
      const more = shown.length - 500;
      this.element.append(el('li', { class: 'empty-state', text: more === 1 ? l10n.t('1 more: type to narrow the list.') : l10n.t('{0} more: type to narrow the list.', more) }));
    }
    return { shown: shown.length, all: this.systems.length };
  }
}
