import * as vscode from 'vscode';
import { Views, ViewTypes } from '../constants';
import type { Environment } from '../core/environments';
import { InputError } from '../core/errors';
import { isOnOrigin, originOf } from '../core/render/urls';
import { countChanges } from '../core/render/newData';
import type { HealthSystemSummary } from '../core/webviewProtocol/common';
import type { ConnectRequest, ConnectUpdate } from '../core/webviewProtocol/connect';
import { parseConnectRequest } from '../core/webviewProtocol/connect';
import { loadLazy } from '../host/lazy';
import type { Services } from '../host/services';
import type * as Render from '../lazy/render';
import type { AppUser, ConnectInfo, WebviewDeps } from './deps';
import { PanelHost } from './panelHost';
import { restoreUser } from './restore/descriptor';

const SYSTEM_ID = /^[A-Za-z0-9._-]{1,100}$/;

/**
 * The environment's Connect page for one user, framed as the reference intends, beside the list
 * of health systems. A real health system's login refuses framing, so "Connect…" opens it in
 * the browser and "Check for New Data" re-reads the user's counts afterwards; against the local
 * sandbox the login page is framable and the whole flow stays in the panel.
 */
export class ConnectPanel extends PanelHost<ConnectRequest, ConnectUpdate> {
  private info: ConnectInfo | undefined;
  private origin: string | undefined;
  private systems: HealthSystemSummary[] | undefined;
  private counts: Record<string, number> | undefined;
  private awaiting: string | undefined;
  private loading: Promise<void> | undefined;
  private pendingSystem: { id: string; name?: string } | undefined;
  /** the system whose login was opened last: remembered as connected once the user's data grows */
  private connecting: { id: string; name?: string } | undefined;
  /** a sandbox login page to show in the frame once the (reloading) webview is ready */
  private pendingNavigation: string | undefined;
  /** the Connect page addresses, already minted (by the restore after a reload) */
  private prefetched: ConnectInfo | undefined;

  constructor(s: Services, private readonly deps: WebviewDeps, readonly user: AppUser, private readonly environment: Environment,
    restored?: { panel: vscode.WebviewPanel; info: ConnectInfo }) {
    super(s, {
      viewType: ViewTypes.connect, title: vscode.l10n.t('Connect: {0}', user.appUserId), script: 'connect', styles: ['record.css'], allowForms: true,
      panel: restored?.panel, restore: { kind: 'connect', env: environment.name, user: restoreUser(user)! },
    }, parseConnectRequest);
    this.prefetched = restored?.info;
    void this.guard(() => this.load());
  }

  /** Starts connecting one system as soon as the page is loaded (from the health system search). */
  async connectSystem(systemId: string, name?: string): Promise<void> {
    this.pendingSystem = { id: systemId, name };
    await this.loading;
    if (this.pendingSystem && this.info) {
      const pending = this.pendingSystem;
      this.pendingSystem = undefined;
      await this.guard(() => this.openSystem(pending.id, pending.name));
    }
  }

  private load(): Promise<void> {
    this.loading ??= this.fetchInfo().finally(() => { this.loading = undefined; });
    return this.loading;
  }

  private async fetchInfo(): Promise<void> {
    this.post({ type: 'busy', busy: true, message: vscode.l10n.t('Getting a token for the Connect page…') });
    try {
      const prefetched = this.prefetched;
      this.prefetched = undefined;
      const info = prefetched ?? await this.deps.connectInfo(this.user, this.nextSignal());
      const origin = originOf(info.environmentOrigin);
      if (!origin || !isOnOrigin(info.connectPageUrl, origin)) {
        throw new InputError(vscode.l10n.t('The Connect page address is not on {0}\'s API origin; it will not be shown.', this.environment.name));
      }
      this.info = info;
      if (origin !== this.origin) {
        this.origin = origin;
        // the CSP names the environment's origin for the frame and logos: a new page (it says ready again)
        this.setOrigins({ frameOrigins: [origin], imageOrigins: [origin] });
      } else {
        this.postView();
      }
      // background loads live as long as the panel; the next action must not cancel them
      if (!this.systems) void this.guard(() => this.fetchSystems(this.lifetimeSignal));
      if (!this.counts) void this.fetchCounts(this.lifetimeSignal, true).catch((e) => this.log.warn(`connect: could not read the user's counts: ${String(e)}`));
    } finally {
      this.post({ type: 'busy', busy: false });
    }
  }

  private async fetchSystems(signal: AbortSignal): Promise<void> {
    const systems = await this.deps.listHealthSystems(signal);
    this.systems = loadLazy<typeof Render>('render').withShowableLogos(systems, this.origin);
    this.post({ type: 'systems', systems: this.systems });
  }

  private async fetchCounts(signal: AbortSignal, baseline: boolean): Promise<void> {
    const counts = await this.deps.refreshUserData(this.user, signal);
    // per type: the counts are totals (shared Organizations and Practitioners included), so only
    // the difference of each type says what is new
    const { added, changes } = baseline || !this.counts ? { added: 0, changes: [] } : countChanges(this.counts, counts);
    this.counts = counts;
    if (!baseline) {
      this.awaiting = undefined;
      this.post({ type: 'counts', counts, added, changes });
      // new records after a login are the only sign that a connect succeeded (its redirect
      // goes to the app, not to VS Code): only then does the user's "Connected systems" list it
      if (added > 0 && this.connecting) await this.rememberConnected(this.connecting, signal);
    }
  }

  private async rememberConnected(system: { id: string; name?: string }, signal: AbortSignal): Promise<void> {
    this.connecting = undefined;
    let name = system.name ?? this.systemName(system.id);
    if (!name) {
      try {
        // the page's list may be a search (or not loaded yet): look the system up in the full list
        name = (await this.deps.listHealthSystems(signal)).find((x) => x.id === system.id)?.name;
      } catch (e) {
        this.log.warn(`connect: could not read the name of health system ${system.id}: ${String(e)}`);
      }
    }
    await this.s.memory.addSystem(this.environment.name, this.user.oneupUserId, { id: system.id, name: name ?? vscode.l10n.t('Health system {0}', system.id) });
    this.s.refresh.fire(Views.users);
  }

  /** The name of a system in the list, when the list is loaded and has it. */
  private systemName(id: string): string | undefined {
    return this.systems?.find((x) => x.id === id)?.name;
  }

  private postView(): void {
    if (!this.info) return;
    this.post({
      type: 'connect',
      view: { user: { oneupUserId: this.user.oneupUserId, appUserId: this.user.appUserId }, environment: this.environment.name, frameUrl: this.info.connectPageUrl, isSandbox: this.info.isSandbox },
    });
  }

  protected onReady(): void {
    this.postView();
    if (this.pendingNavigation) this.post({ type: 'navigate', url: this.pendingNavigation });
    this.pendingNavigation = undefined;
    if (this.systems) this.post({ type: 'systems', systems: this.systems });
    if (this.awaiting) this.post({ type: 'awaiting', systemName: this.awaiting });
    if (this.loading) this.post({ type: 'busy', busy: true, message: vscode.l10n.t('Getting a token for the Connect page…') });
  }

  protected showError(message: string): void {
    this.post({ type: 'busy', busy: false });
    this.post({ type: 'error', message });
  }

  protected async onMessage(m: ConnectRequest): Promise<void> {
    switch (m.type) {
      case 'reload': return this.load();
      case 'openInBrowser':
        if (this.info && this.origin && isOnOrigin(this.info.connectPageUrl, this.origin)) await this.deps.openInBrowser(this.info.connectPageUrl);
        return;
      case 'connectSystem': {
        const name = this.systemName(m.systemId);
        if (name === undefined) throw new InputError(vscode.l10n.t('That health system is not in the list.'));
        return this.openSystem(m.systemId, name);
      }
      case 'checkForData': {
        this.post({ type: 'busy', busy: true, message: vscode.l10n.t('Reading the user\'s resources…') });
        try {
          await this.fetchCounts(this.nextSignal(), false);
        } finally {
          this.post({ type: 'busy', busy: false });
        }
        return;
      }
    }
  }

  /** Opens one system's login: in the frame for the sandbox, else in the browser; only on the environment's origin. */
  private async openSystem(systemId: string, systemName?: string): Promise<void> {
    if (!this.info || !this.origin) throw new InputError(vscode.l10n.t('The Connect page is still loading.'));
    if (!SYSTEM_ID.test(systemId)) throw new InputError(vscode.l10n.t('"{0}" is not a health system id.', systemId));
    const known = systemName ?? this.systemName(systemId);
    const name = known ?? systemId;
    const url = await this.info.systemConnectUrl(systemId);
    if (!isOnOrigin(url, this.origin)) throw new InputError(vscode.l10n.t('The address to connect {0} is not on {1}\'s API origin.', name, this.environment.name));
    if (this.info.isSandbox) {
      this.connecting = { id: systemId, name: known };
      if (!this.post({ type: 'navigate', url })) this.pendingNavigation = url;
      return;
    }
    const opened = await this.deps.openInBrowser(url);
    if (!opened) return;
    this.connecting = { id: systemId, name: known };
    this.awaiting = name;
    this.post({ type: 'awaiting', systemName: name });
  }
}
