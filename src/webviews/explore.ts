import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { Commands } from '../constants';
import { listExports } from '../core/bulkExport/listing';
import type { FhirVersion } from '../core/environments';
import { isFhirVersion } from '../core/environments';
import { CancelledError, InputError } from '../core/errors';
import type { Command } from '../host/commands';
import { withCancellableProgress } from '../host/commands';
import { loadLazy } from '../host/lazy';
import type { Services } from '../host/services';
import type * as Explore from '../lazy/explore';
import type { WebviewDeps } from './deps';
import { ExportPatientRecordPanel } from './exportPatientRecord';
import { ExportSummaryPanel } from './exportSummary';
import { NdjsonViewerPanel } from './ndjsonViewer';
import { Panels } from './panels';

const explore = () => loadLazy<typeof Explore>('explore');

/** What an Exports view node, a folder URI or an argument object names: an export folder and maybe a type. */
export function exportTarget(args: unknown): { folder?: string; type?: string; patientId?: string } {
  if (args instanceof vscode.Uri) return { folder: args.fsPath };
  if (typeof args !== 'object' || args === null) return {};
  const a = args as { kind?: unknown; entry?: { folder?: unknown }; file?: { name?: unknown; path?: unknown }; folder?: unknown; type?: unknown; patientId?: unknown };
  const folder = typeof a.entry?.folder === 'string' ? a.entry.folder : typeof a.folder === 'string' ? a.folder : undefined;
  let type = typeof a.type === 'string' ? a.type : undefined;
  if (!type && a.kind === 'exportFile' && typeof a.file?.name === 'string') type = /^([A-Za-z][A-Za-z0-9]*)/.exec(a.file.name)?.[1];
  return { folder, type, patientId: typeof a.patientId === 'string' ? a.patientId : undefined };
}

/**
 * The explorer's webviews (NDJSON viewer, export summary, a patient's record from an export)
 * and their commands; one panel per file, folder or patient.
 */
export class ExploreViews implements vscode.Disposable {
  private readonly panels = new Panels();
  private active: NdjsonViewerPanel | undefined;

  constructor(private readonly s: Services, private readonly deps: WebviewDeps) {}

  /**
   * An NDJSON file on disk, any size; `restored` is the webview panel VS Code brought back after a
   * reload (the viewer is built in it, under its key, instead of a new one).
   */
  async openNdjson(uri: vscode.Uri, version?: FhirVersion, restored?: vscode.WebviewPanel): Promise<NdjsonViewerPanel> {
    const folder = await explore().exportFolderOf(uri.fsPath);
    let v = version;
    if (!v && folder) v = (await explore().readExportFolder(folder)).fhirVersion;
    const key = `ndjson:${uri.fsPath}`;
    const create = (panel?: vscode.WebviewPanel) => new NdjsonViewerPanel(this.s, this.deps, {
      openExportPatient: (f, id, ver) => this.openPatient(f, id, ver).then(() => undefined),
    }, uri, v ?? this.s.environments.active()?.fhirVersion ?? 'r4', folder, !!v, panel);
    const panel = restored ? this.panels.adopt(key, create(restored)) : this.panels.get(key, () => create()).panel;
    this.active = panel;
    panel.panel.onDidChangeViewState((e) => { if (e.webviewPanel.active) this.active = panel; });
    panel.panel.onDidDispose(() => { if (this.active === panel) this.active = undefined; });
    return panel;
  }

  async openSummary(folder: string, restored?: vscode.WebviewPanel): Promise<ExportSummaryPanel> {
    const create = (panel?: vscode.WebviewPanel) => new ExportSummaryPanel(this.s, {
      openFile: async (uri) => { await this.openNdjson(uri); },
      copyQuery: async (f) => { await this.copyQuery(f); },
    }, folder, panel);
    const key = `summary:${folder}`;
    return restored ? this.panels.adopt(key, create(restored)) : this.panels.get(key, () => create()).panel;
  }

  async openPatient(folder: string, patientId: string, version?: FhirVersion, restored?: vscode.WebviewPanel): Promise<ExportPatientRecordPanel> {
    const v = version ?? (await explore().readExportFolder(folder)).fhirVersion ?? this.s.environments.active()?.fhirVersion ?? 'r4';
    const create = (panel?: vscode.WebviewPanel) => new ExportPatientRecordPanel(this.s, this.deps, folder, patientId, v, panel);
    const key = `export-record:${folder}:${patientId}`;
    return restored ? this.panels.adopt(key, create(restored)) : this.panels.get(key, () => create()).panel;
  }

  async copyQuery(folder: string, type?: string): Promise<string> {
    const info = await explore().readExportFolder(folder);
    let query: string;
    try {
      query = explore().duckDbQuery(info, type);
    } catch (e) {
      throw new InputError(e instanceof Error ? e.message : String(e));
    }
    await vscode.env.clipboard.writeText(query);
    vscode.window.setStatusBarMessage(`$(check) ${type ? vscode.l10n.t('DuckDB query for {0} copied', type) : vscode.l10n.t('DuckDB query for the whole export copied')}`, 4000);
    return query;
  }

  /** The NDJSON view a command acts on: the one for `args.uri`, else the last active one. */
  private ndjsonPanel(args: unknown): NdjsonViewerPanel {
    const uri = typeof args === 'object' && args !== null ? (args as { uri?: unknown }).uri : undefined;
    const file = uri instanceof vscode.Uri ? uri.fsPath : typeof uri === 'string' ? uri : undefined;
    const panel = file ? this.panels.find<NdjsonViewerPanel>(`ndjson:${file}`) : this.active;
    if (!panel) throw new InputError(vscode.l10n.t('Open an NDJSON file in the 1upHealth viewer first.'));
    return panel;
  }

  private async pickExport(title: string): Promise<string> {
    const roots = (vscode.workspace.workspaceFolders ?? []).filter((f) => f.uri.scheme === 'file');
    const exports = (await Promise.all(roots.map((r) => listExports(r.uri.fsPath)))).flat();
    if (!exports.length) throw new InputError(vscode.l10n.t('This workspace has no bulk exports yet: run "{0}" first.', vscode.l10n.t('1upHealth: Bulk Export…')));
    const pick = await vscode.window.showQuickPick(exports.map((e) => ({ label: e.name, description: `${e.environment} · ${e.status}`, folder: e.folder })), { title, placeHolder: vscode.l10n.t('Export') });
    if (!pick) throw new CancelledError();
    return pick.folder;
  }

  private async folderOf(args: unknown, title: string): Promise<string> {
    const { folder } = exportTarget(args);
    if (!folder) return this.pickExport(title);
    if (!fs.existsSync(folder)) throw new InputError(vscode.l10n.t('The export folder {0} does not exist.', folder));
    return folder;
  }

  private async pickPatient(folder: string): Promise<string> {
    const { patients, more } = await withCancellableProgress(vscode.l10n.t('Reading the export\'s patients…'), (signal) => explore().listPatients(folder, 5_000, signal), vscode.ProgressLocation.Window);
    if (!patients.length) throw new InputError(vscode.l10n.t('{0} has no Patient resources.', path.basename(folder)));
    const pick = await vscode.window.showQuickPick(patients.map((p) => ({
      label: p.name, description: [p.gender, p.birthDate].filter(Boolean).join(', '), detail: `Patient/${p.id}`, id: p.id,
    })), { title: vscode.l10n.t('Open Patient Record from Export'), placeHolder: more ? vscode.l10n.t('The first {0} patients: type to search them', (5_000).toLocaleString()) : vscode.l10n.t('Patient'), matchOnDescription: true, matchOnDetail: true });
    if (!pick) throw new CancelledError();
    return pick.id;
  }

  readonly commands: Command[] = [
    {
      id: Commands.openExportSummary,
      run: async (args) => {
        const panel = await this.openSummary(await this.folderOf(args, vscode.l10n.t('Open Export Summary')));
        return panel.done;
      },
    },
    {
      id: Commands.copyDuckDbQuery,
      run: async (args) => {
        const { type } = exportTarget(args);
        return this.copyQuery(await this.folderOf(args, vscode.l10n.t('Copy Query for DuckDB')), type);
      },
    },
    {
      id: Commands.openExportPatientRecord,
      run: async (args) => {
        const folder = await this.folderOf(args, vscode.l10n.t('Open Patient Record from Export'));
        const { patientId } = exportTarget(args);
        if (patientId !== undefined && !/^[A-Za-z0-9\-.]{1,64}$/.test(patientId)) throw new InputError(vscode.l10n.t('"{0}" is not a FHIR resource id.', patientId));
        const version = typeof args === 'object' && args !== null && isFhirVersion((args as { version?: unknown }).version) ? (args as { version: FhirVersion }).version : undefined;
        const panel = await this.openPatient(folder, patientId ?? await this.pickPatient(folder), version);
        return panel.loaded;
      },
    },
    {
      id: Commands.ndjsonGoToLine,
      run: async (args) => {
        const panel = this.ndjsonPanel(args);
        let line = typeof args === 'object' && args !== null ? (args as { line?: unknown }).line : undefined;
        if (line === 'last') line = Number.MAX_SAFE_INTEGER;
        if (typeof line !== 'number') {
          const text = await vscode.window.showInputBox({ title: vscode.l10n.t('Go to Line'), prompt: vscode.l10n.t('Line number in the file'), validateInput: (v) => (/^\d+$/.test(v.trim()) && Number(v) >= 1 ? undefined : vscode.l10n.t('A line number, 1 or more')) });
          if (text === undefined) throw new CancelledError();
          line = Number(text);
        }
        return panel.goToLine(Math.max(1, Math.floor(line as number)));
      },
    },
    {
      id: Commands.ndjsonFilter,
      run: async (args) => {
        const panel = this.ndjsonPanel(args);
        let expression = typeof args === 'object' && args !== null ? (args as { expression?: unknown }).expression : undefined;
        if (typeof expression !== 'string') {
          expression = await vscode.window.showInputBox({ title: vscode.l10n.t('Filter with FHIRPath'), prompt: vscode.l10n.t('Keeps the resources for which the expression is true (empty: all)'), placeHolder: 'code.coding.code = \'8867-4\'' });
          if (expression === undefined) throw new CancelledError();
        }
        return panel.setFilter(String(expression));
      },
    },
    {
      id: Commands.ndjsonAddColumn,
      run: async (args) => {
        const panel = this.ndjsonPanel(args);
        let expression = typeof args === 'object' && args !== null ? (args as { expression?: unknown }).expression : undefined;
        if (typeof expression !== 'string') {
          expression = await vscode.window.showInputBox({ title: vscode.l10n.t('Add a FHIRPath Column'), placeHolder: 'subject.reference' });
          if (expression === undefined) throw new CancelledError();
        }
        await panel.addColumn(String(expression));
        return panel.state();
      },
    },
  ];

  dispose(): void {
    this.panels.dispose();
  }
}
