import * as path from 'node:path';
import * as vscode from 'vscode';
import { ViewTypes } from '../constants';
import type { FhirVersion } from '../core/environments';
import type { PatientRecordRequest, PatientRecordUpdate, TypeCount } from '../core/webviewProtocol/patientRecord';
import { parsePatientRecordRequest } from '../core/webviewProtocol/patientRecord';
import { loadLazy } from '../host/lazy';
import type { Services } from '../host/services';
import type * as Explore from '../lazy/explore';
import type * as Render from '../lazy/render';
import type { WebviewDeps } from './deps';
import { DetailNavigator } from './detailNavigator';
import { PanelHost } from './panelHost';

/** What a record built from an export holds (for commands and tests). */
export interface ExportRecordSummary {
  patientId: string;
  name?: string;
  resources: number;
  counts: TypeCount[];
  /** timeline items: type, id, time */
  items: { type: string; id?: string; time?: number }[];
  truncated: boolean;
}

/**
 * A patient's record built from an export's files instead of `$everything`: every resource of
 * the patient across the export's data files, shown with the same header, counts and timeline.
 */
export class ExportPatientRecordPanel extends PanelHost<PatientRecordRequest, PatientRecordUpdate> {
  private readonly record: InstanceType<typeof Render.PatientRecord>;
  private readonly detail: DetailNavigator;
  private truncated = false;
  /** the patient's resources as read from the export, as one collection Bundle (for Save…) */
  private bundle: unknown;
  private readonly viewId = `export-record:${Date.now()}`;
  readonly loaded: Promise<ExportRecordSummary>;

  constructor(s: Services, deps: WebviewDeps, readonly folder: string, readonly patientId: string, version: FhirVersion, panel?: vscode.WebviewPanel) {
    super(s, {
      viewType: ViewTypes.patientRecord, title: exportRecordTitle(`Patient/${patientId}`, folder), script: 'patient', styles: ['viewer.css', 'record.css'], panel,
      restore: { kind: 'exportRecord', folder, patientId, version },
    }, parsePatientRecordRequest);
    const render = loadLazy<typeof Render>('render');
    this.record = new render.PatientRecord(patientId);
    this.detail = new DetailNavigator({
      version,
      resource: (key) => this.record.resource(key),
      entries: () => this.record.entries,
      listFromServer: false,
    }, deps, (u) => this.post(u), () => s.environments.active(), s);
    this.loaded = this.load();
    void this.guard(async () => { await this.loaded; });
  }

  private async load(): Promise<ExportRecordSummary> {
    this.post({ type: 'busy', busy: true, message: vscode.l10n.t('Reading the export…') });
    try {
      const x = loadLazy<typeof Explore>('explore');
      const found = await x.collectPatient(this.folder, this.patientId, x.explorePool(), { signal: this.lifetimeSignal });
      const render = loadLazy<typeof Render>('render');
      this.bundle = render.collectionOf(found.resources);
      this.record.addPage(this.bundle as Parameters<typeof this.record.addPage>[0]);
      this.truncated = found.truncated;
      const header = this.record.header();
      if (header) this.panel.title = exportRecordTitle(header.name, this.folder);
      this.onReady();
      return {
        patientId: this.patientId,
        name: header?.name,
        resources: this.record.loaded,
        counts: this.record.countList(),
        items: this.record.items().map((i) => ({ type: i.type, id: this.record.resource(i.key)?.id, time: i.time })),
        truncated: found.truncated,
      };
    } finally {
      this.post({ type: 'busy', busy: false });
    }
  }

  protected onReady(): void {
    this.post({
      type: 'record',
      view: {
        viewId: this.viewId,
        title: this.panel.title,
        header: this.record.header(),
        counts: this.record.countList(),
        items: this.record.items(),
        loaded: this.record.loaded,
        total: this.truncated ? undefined : this.record.loaded,
        hasMore: false,
      },
    });
    this.detail.repost();
  }

  protected showError(message: string): void {
    this.post({ type: 'busy', busy: false });
    this.post({ type: 'error', message });
  }

  protected async onMessage(m: PatientRecordRequest): Promise<void> {
    switch (m.type) {
      case 'openDetail': return this.detail.showEntry(m.key);
      case 'saveRecord': return this.save();
      case 'loadMore': case 'openPatientRecord': case 'ready': return;
      default: return this.detail.handle(m, () => this.nextSignal());
    }
  }

  /** Saves the patient's resources found in the export as one collection Bundle. */
  private async save(): Promise<void> {
    if (!this.bundle) return;
    const name = `record-${this.patientId}-${path.basename(this.folder)}.json`.replace(/[^A-Za-z0-9._-]+/g, '-');
    const target = await vscode.window.showSaveDialog({
      title: vscode.l10n.t('Save the record from the export'),
      defaultUri: vscode.workspace.workspaceFolders?.[0] ? vscode.Uri.joinPath(vscode.workspace.workspaceFolders[0].uri, name) : undefined,
      filters: { JSON: ['json'] },
    });
    if (!target) return;
    await vscode.workspace.fs.writeFile(target, new TextEncoder().encode(JSON.stringify(this.bundle, null, 2) + '\n'));
    const where = vscode.workspace.asRelativePath(target);
    const n = this.record.loaded;
    vscode.window.setStatusBarMessage(`$(check) ${n === 1 ? vscode.l10n.t('Saved 1 resource to {0}', where) : vscode.l10n.t('Saved {0} resources to {1}', n.toLocaleString(), where)}`, 4000);
  }
}

/** "Record: <name> (export <folder name>)". */
function exportRecordTitle(name: string, folder: string): string {
  return vscode.l10n.t('Record: {0} (export {1})', name, path.basename(folder));
}
