import * as vscode from 'vscode';
import { ViewTypes } from '../constants';
import type { Environment } from '../core/environments';
import { isCancellation } from '../core/errors';
import { originOf } from '../core/render/urls';
import type { HealthSystemSummary } from '../core/webviewProtocol/common';
import type { HealthSystemSearchRequest, HealthSystemSearchUpdate } from '../core/webviewProtocol/healthSystemSearch';
import { parseHealthSystemSearchRequest } from '../core/webviewProtocol/healthSystemSearch';
import { describeError } from '../host/commands';
import { loadLazy } from '../host/lazy';
import type { Services } from '../host/services';
import type * as Render from '../lazy/render';
import type { WebviewDeps } from './deps';
import { PanelHost } from './panelHost';

export interface HealthSystemSearchHooks {
  /** Asks which user, then opens the Connect flow for that system. */
  connectUser(system: HealthSystemSummary): Promise<void>;
}

/**
 * Searches health systems as the user types (the webview debounces; each search aborts the one
 * before). An empty query lists every supported system.
 */
export class HealthSystemSearchPanel extends PanelHost<HealthSystemSearchRequest, HealthSystemSearchUpdate> {
  private results = new Map<string, HealthSystemSummary>();
  private all: HealthSystemSummary[] | undefined;
  private readonly origin: string | undefined;

  constructor(s: Services, private readonly deps: WebviewDeps, private readonly hooks: HealthSystemSearchHooks, readonly environment: Environment, private initialQuery?: string,
    restored?: { panel: vscode.WebviewPanel; all: HealthSystemSummary[] }) {
    const origin = originOf(environment.apiUrl);
    super(s, {
      viewType: ViewTypes.healthSystemSearch, title: vscode.l10n.t('Health Systems'), script: 'healthSystems', styles: ['record.css'], imageOrigins: origin ? [origin] : [],
      panel: restored?.panel, restore: { kind: 'healthSystems', env: environment.name },
    }, parseHealthSystemSearchRequest);
    this.origin = origin;
    this.all = restored?.all;
  }

  /** Searches for `query` (the panel was asked again with a query). */
  setQuery(query: string): void {
    this.initialQuery = query.slice(0, 200);
    this.post({ type: 'setQuery', query: this.initialQuery });
  }

  protected onReady(): void {
    // without a query to start from, the webview searches for its own saved one
    if (this.initialQuery !== undefined) this.post({ type: 'setQuery', query: this.initialQuery.slice(0, 200) });
    this.initialQuery = undefined;
  }

  protected showError(message: string): void {
    this.post({ type: 'error', seq: -1, message });
  }

  protected async onMessage(m: HealthSystemSearchRequest): Promise<void> {
    if (m.type === 'search') return this.search(m.seq, m.query);
    if (m.type === 'connectUser') {
      const system = this.results.get(m.systemId);
      if (system) await this.hooks.connectUser(system);
    }
  }

  private async search(seq: number, query: string): Promise<void> {
    const signal = this.nextSignal();
    try {
      const active = this.s.environments.active();
      if (active?.name !== this.environment.name) throw new Error(vscode.l10n.t('This search belongs to "{0}": select that environment again, or open the search anew.', this.environment.name));
      const q = query.trim();
      let found: HealthSystemSummary[];
      if (q) found = await this.deps.searchProviders(q, signal);
      else found = this.all ??= await this.deps.listHealthSystems(signal);
      const items = loadLazy<typeof Render>('render').withShowableLogos(found, this.origin);
      this.results = new Map(items.map((s) => [s.id, s]));
      this.post({ type: 'results', seq, query: q, items });
    } catch (e) {
      if (isCancellation(e) || signal.aborted) return;
      this.log.error(e instanceof Error ? e : new Error(String(e)));
      this.post({ type: 'error', seq, message: describeError(e, this.s.logger.masker) });
    }
  }
}
