import * as path from 'node:path';
import * as vscode from 'vscode';
import { ViewTypes } from '../constants';
import type { FhirVersion } from '../core/environments';
import type { NdjsonSession, NdjsonViewerState, SessionRequest } from '../core/explore/session';
import type { FilterState, NdjsonViewerRequest, NdjsonViewerUpdate } from '../core/webviewProtocol/ndjsonViewer';
import { parseNdjsonViewerRequest } from '../core/webviewProtocol/ndjsonViewer';
import { loadLazy } from '../host/lazy';
import type { Services } from '../host/services';
import type * as Explore from '../lazy/explore';
import type { WebviewDeps } from './deps';
import { DetailNavigator } from './detailNavigator';
import { PanelHost } from './panelHost';

export interface NdjsonViewerHooks {
  /** A Patient row's record, built from the files of the folder this file is in. */
  openExportPatient(folder: string, patientId: string, version: FhirVersion): Promise<void>;
}

export type { NdjsonViewerState };

/**
 * An NDJSON file of any size (core/explore/session.ts does the work): first rows at once, an
 * index built by workers while the user reads, rows read as they scroll into view, FHIRPath
 * filters and columns, and the resource detail pane.
 */
export class NdjsonViewerPanel extends PanelHost<NdjsonViewerRequest, NdjsonViewerUpdate> {
  private session: NdjsonSession | undefined;
  private readonly detail: DetailNavigator;
  readonly opened: Promise<NdjsonSession | undefined>;

  constructor(s: Services, deps: WebviewDeps, private readonly hooks: NdjsonViewerHooks, readonly uri: vscode.Uri, version: FhirVersion, private readonly exportFolder: string | undefined, versionKnown: boolean,
    panel?: vscode.WebviewPanel) {
    super(s, {
      viewType: ViewTypes.ndjsonViewer, title: path.basename(uri.fsPath), script: 'ndjson', styles: ['viewer.css', 'ndjson.css'], panel,
      restore: { kind: 'ndjson', path: uri.fsPath, version: versionKnown ? version : undefined },
    }, parseNdjsonViewerRequest);
    this.detail = new DetailNavigator({
      version,
      resource: (key) => this.session?.resource(key),
      entries: () => this.session?.entries() ?? new Map(),
      listFromServer: false,
      file: uri.toString(),
    }, deps, (u) => this.post(u), () => s.environments.active(), s);
    const x = loadLazy<typeof Explore>('explore');
    this.opened = x.NdjsonSession.open({ path: uri.fsPath, title: path.basename(uri.fsPath), pool: x.explorePool(), version, versionKnown, post: (u) => this.post(u) }).then(async (session) => {
      if (this.isDisposed) {
        await session.close();
        return undefined;
      }
      this.session = session;
      session.onNewView = () => this.detail.clear();
      this._register({ dispose: () => void session.close() });
      this.post({ type: 'busy', busy: false });
      this.post({ type: 'view', view: session.view() });
      session.repostReveals();
      return session;
    });
    void this.guard(async () => { await this.opened; });
  }

  protected onReady(): void {
    if (this.session) {
      this.post({ type: 'view', view: this.session.view() });
      this.session.repostReveals();
    } else this.post({ type: 'busy', busy: true, message: vscode.l10n.t('Opening…') });
    this.detail.repost();
  }

  protected showError(message: string): void {
    this.post({ type: 'busy', busy: false });
    this.post({ type: 'error', message });
  }

  private async sessionReady(): Promise<NdjsonSession> {
    const s = this.session ?? await this.opened;
    if (!s) throw new Error(vscode.l10n.t('{0} is closed.', path.basename(this.uri.fsPath)));
    return s;
  }

  protected async onMessage(m: NdjsonViewerRequest): Promise<void> {
    switch (m.type) {
      case 'ready': return;
      case 'openDetail': {
        const s = await this.sessionReady();
        if (!s.isCurrent(m.viewId)) return;
        await s.ensureRow(m.row);
        return this.detail.showEntry(m.row);
      }
      case 'openPatientRecord': {
        const r = this.detail.resource;
        if (r?.resourceType === 'Patient' && typeof r.id === 'string') {
          await this.hooks.openExportPatient(this.exportFolder ?? path.dirname(this.uri.fsPath), r.id, (await this.sessionReady()).version);
        }
        return;
      }
      case 'openReference': case 'openJson': case 'back': case 'closeDetail':
        return this.detail.handle(m, () => this.nextSignal());
      default:
        return (await this.sessionReady()).handle(m as SessionRequest);
    }
  }

  async setFilter(expression: string): Promise<FilterState | undefined> {
    return (await this.sessionReady()).setFilter(expression);
  }

  async addColumn(expression: string): Promise<void> {
    return (await this.sessionReady()).addColumn(expression);
  }

  async goToLine(line: number): Promise<NdjsonViewerState> {
    return (await this.sessionReady()).goToLine(line);
  }

  async state(): Promise<NdjsonViewerState> {
    return (await this.sessionReady()).state();
  }
}
