import { readFile } from 'node:fs/promises';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { ExportScope } from '../core/bulkExport';
import { STATE_FILE } from '../core/bulkExport/folder';
import { serverWords } from '../core/bulkExport/summary';
import { type ExportEntry, type ExportFileEntry, listExportFiles, listExports } from '../core/bulkExport/listing';
import { BaseTreeProvider, type CommonNode } from './baseProvider';

/** Export folders being written right now (so the view says "running", not "interrupted"). */
export class RunningExports {
  private readonly folders = new Set<string>();
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChange = this.changed.event;

  has(folder: string): boolean {
    return this.folders.has(folder);
  }

  add(folder: string): void {
    if (this.folders.has(folder)) return;
    this.folders.add(folder);
    this.changed.fire();
  }

  delete(folder: string): void {
    if (this.folders.delete(folder)) this.changed.fire();
  }

  dispose(): void {
    this.changed.dispose();
  }
}

export type ExportNode =
  /** `scope`: whose data (from summary.json, or the state file of an unfinished export); `user`: that user's app_user_id when known */
  | { kind: 'export'; entry: ExportEntry; running: boolean; workspaceName?: string; scope?: ExportScope; user?: string }
  /** `uri` and `version` let "Open in 1upHealth Viewer" take the node as its argument. */
  | { kind: 'exportFile'; file: ExportFileEntry; entry: ExportEntry; uri: vscode.Uri; version?: string };

/**
 * Past bulk exports of the workspace folders (`.1uphealth/exports/<env>/<timestamp>/`), newest
 * first, each expanding to its files. NDJSON and JSON files open in the editor. Context values:
 * `export.complete` / `export.problems` / `export.interrupted` (resume) / `export.running`, and
 * `exportFile.data` / `.deleted` / `.error` / `.manifest` / `.summary` / `.partial`.
 * Reloads itself when an export starts, finishes or is deleted.
 */
export class ExportsTree extends BaseTreeProvider<ExportNode> {
  private timer: NodeJS.Timeout | undefined;
  /** Hand this to the export commands so running exports show as such. */
  readonly running = this._register(new RunningExports());

  /** `nameOf`: a user's app_user_id in an environment, when known (the export names whose data it holds). */
  constructor(private readonly nameOf: (environment: string, oneupUserId: string) => string | undefined = () => undefined) {
    super();
    this._register(this.running.onDidChange(() => this.refresh()));
    const watcher = this._register(vscode.workspace.createFileSystemWatcher('**/.1uphealth/exports/*/*/{summary.json,.export-state.json}'));
    const soon = () => {
      // a running export rewrites its state file after every file: one reload per burst is enough
      clearTimeout(this.timer);
      this.timer = setTimeout(() => this.refresh(), 500);
    };
    this._register(watcher.onDidCreate(soon));
    this._register(watcher.onDidChange(soon));
    this._register(watcher.onDidDelete(soon));
    this._register(vscode.workspace.onDidChangeWorkspaceFolders(() => this.refresh()));
    this._register({ dispose: () => clearTimeout(this.timer) });
  }

  protected async loadChildren(node: ExportNode | undefined): Promise<(ExportNode | CommonNode)[]> {
    if (node?.kind === 'exportFile') return [];
    if (node?.kind === 'export') {
      const version = node.entry.summary?.fhirVersion;
      return (await listExportFiles(node.entry.folder)).map((file): ExportNode => ({ kind: 'exportFile', file, entry: node.entry, uri: vscode.Uri.file(file.path), version }));
    }
    const roots = (vscode.workspace.workspaceFolders ?? []).filter((f) => f.uri.scheme === 'file');
    const nodes: ExportNode[] = [];
    for (const root of roots) {
      for (const entry of await listExports(root.uri.fsPath)) {
        const scope = entry.summary?.scope ?? await scopeOfUnfinished(entry.folder);
        const user = scope?.kind === 'user' ? this.nameOf(entry.summary?.environment ?? entry.environment.replace(/_/g, ' '), scope.oneupUserId) : undefined;
        nodes.push({ kind: 'export', entry, running: this.running.has(entry.folder), workspaceName: roots.length > 1 ? root.name : undefined, scope, ...(user ? { user } : {}) });
      }
    }
    // several workspace folders: still newest first overall
    return nodes.sort((a, b) => (a.kind === 'export' && b.kind === 'export' ? b.entry.name.localeCompare(a.entry.name) : 0));
  }

  protected itemFor(node: ExportNode): vscode.TreeItem {
    return node.kind === 'export' ? exportItem(node) : fileItem(node.file, node.entry);
  }
}

function exportItem(node: Extract<ExportNode, { kind: 'export' }>): vscode.TreeItem {
  const { entry } = node;
  const status = node.running ? 'running' : entry.status;
  const item = new vscode.TreeItem(readableTimestamp(entry.name), vscode.TreeItemCollapsibleState.Collapsed);
  item.id = `export/${entry.folder}`;
  item.resourceUri = vscode.Uri.file(entry.folder);
  const sum = entry.summary;
  const environment = sum?.environment ?? entry.environment.replace(/_/g, ' ');
  const scope = scopeText(node);
  const parts = [environment, scope];
  if (node.workspaceName) parts.unshift(node.workspaceName);
  if (sum && !node.running) parts.push(sum.files.length === 1 ? vscode.l10n.t('1 file') : vscode.l10n.t('{0} files', sum.files.length), megabytes(sum.bytes));
  if (status === 'interrupted') parts.push(vscode.l10n.t({ message: 'interrupted', comment: ['an export\'s state in the Exports view: it stopped before the end and can be resumed'] }));
  if (status === 'running') parts.push(vscode.l10n.t({ message: 'running', comment: ['an export\'s state in the Exports view: it is downloading now'] }));
  if (status === 'problems') {
    const n = sum?.errors.length ?? 0;
    parts.push(n === 1 ? vscode.l10n.t('1 problem') : vscode.l10n.t('{0} problems', n));
  }
  item.description = parts.join(' · ');
  item.iconPath = new vscode.ThemeIcon({ complete: 'cloud-download', problems: 'warning', interrupted: 'debug-pause', running: 'loading~spin' }[status]);
  item.contextValue = `export.${status}`;
  const tip = new vscode.MarkdownString();
  tip.appendText(entry.folder);
  const whose = node.scope?.kind === 'user'
    ? vscode.l10n.t({ message: '{0}, {1} (oneup_user_id {2})', args: [environment, scope, node.scope.oneupUserId], comment: ['{0}: an environment; {1}: whose data ("user jane"); {2}: an id'] })
    : vscode.l10n.t({ message: '{0}, {1}', args: [environment, scope], comment: ['{0}: an environment; {1}: whose data ("all users (app-wide)")'] });
  tip.appendText(`\n\n${whose}`);
  if (sum && !node.running) {
    tip.appendText(`\n\n${vscode.l10n.t({ message: '{0}: {1} resources in {2} s', args: [sum.fhirVersion.toUpperCase(), sum.resources.toLocaleString(), (sum.durationMs / 1000).toFixed(0)], comment: ['{0}: a FHIR version such as R4; {1}: a number; {2}: seconds'] })}`);
    for (const e of sum.errors.slice(0, 3)) tip.appendText(`\n\n⚠ ${e.message}`);
  } else if (status === 'interrupted') {
    tip.appendMarkdown(`\n\n${vscode.l10n.t('Not finished: run **Resume Bulk Export** to continue it.')}`);
  }
  item.tooltip = tip;
  return item;
}

const FILE_ICONS: Record<ExportFileEntry['kind'], string> = {
  data: 'symbol-file', deleted: 'trash', error: 'error', manifest: 'json', summary: 'json', partial: 'loading',
};

function fileItem(file: ExportFileEntry, entry: ExportEntry): vscode.TreeItem {
  const item = new vscode.TreeItem(file.name, vscode.TreeItemCollapsibleState.None);
  const uri = vscode.Uri.file(file.path);
  const inSummary = entry.summary?.files?.find((f) => f.name === file.name);
  item.id = `exportFile/${file.path}`;
  item.resourceUri = uri;
  item.description = inSummary?.incomplete
    ? vscode.l10n.t({ message: '{0} · incomplete', args: [megabytes(file.bytes)], comment: ['{0}: a file size; the file holds less than the server announced'] })
    : megabytes(file.bytes);
  item.contextValue = `exportFile.${file.kind}`;
  item.iconPath = new vscode.ThemeIcon(inSummary?.incomplete ? 'warning' : FILE_ICONS[file.kind]);
  // NDJSON opens in the any-size viewer (a text editor cannot hold a gigabyte export file)
  if (file.kind === 'data' || file.kind === 'error' || file.kind === 'deleted') item.command = { command: 'oneup.openInViewer', title: vscode.l10n.t('Open in 1upHealth Viewer'), arguments: [uri] };
  else if (file.kind !== 'partial') item.command = { command: 'vscode.open', title: vscode.l10n.t('Open'), arguments: [uri] };
  const tip = new vscode.MarkdownString();
  tip.appendText(path.basename(entry.folder) + path.sep + file.name);
  if (inSummary?.warning) tip.appendText(`\n\n⚠ ${inSummary.warning}`);
  if (file.kind === 'deleted') tip.appendText(`\n\n${vscode.l10n.t({ message: 'Resources the server deleted since the export\'s _since ({0}).', args: [inSummary?.resources ?? 0], comment: ['{0}: how many'] })}`);
  if (file.kind === 'error') {
    const reports = (entry.summary?.errors ?? []).filter((e) => e.file === file.name && e.source === 'server');
    tip.appendText(`\n\n${vscode.l10n.t('The server\'s own error reports, kept as it sent them:')}`);
    for (const r of reports.slice(0, 5)) tip.appendText(`\n\n• ${serverWords(r.message)}`);
  }
  item.tooltip = tip;
  return item;
}

/** Whose data an export holds, in a few words. */
function scopeText(node: Extract<ExportNode, { kind: 'export' }>): string {
  if (!node.scope) return vscode.l10n.t('scope unknown');
  if (node.scope.kind === 'app') return vscode.l10n.t('all users (app-wide)');
  return vscode.l10n.t({ message: 'user {0}', args: [node.user ?? node.scope.oneupUserId], comment: ['{0}: an app_user_id or oneup_user_id'] });
}

/** The scope an unfinished export was started with, from its state file (absent or unreadable: unknown). */
async function scopeOfUnfinished(folder: string): Promise<ExportScope | undefined> {
  try {
    const scope = (JSON.parse(await readFile(path.join(folder, STATE_FILE), 'utf8')) as { scope?: unknown }).scope as Partial<ExportScope> | undefined;
    if (scope?.kind === 'app') return { kind: 'app' };
    if (scope?.kind === 'user' && typeof (scope as { oneupUserId?: unknown }).oneupUserId === 'string') return { kind: 'user', oneupUserId: (scope as { oneupUserId: string }).oneupUserId };
  } catch {
    // no state file (an older layout) or not JSON: the scope is unknown
  }
  return undefined;
}

function readableTimestamp(name: string): string {
  const m = /^(\d{4}-\d{2}-\d{2})T(\d{2})-(\d{2})-(\d{2})Z(-\d+)?$/.exec(name);
  return m ? `${m[1]} ${m[2]}:${m[3]}:${m[4]} UTC${m[5] ?? ''}` : name;
}

function megabytes(bytes: number): string {
  return bytes < 1048576 ? vscode.l10n.t('{0} KB', Math.max(1, Math.round(bytes / 1024))) : vscode.l10n.t('{0} MB', (bytes / 1048576).toFixed(1));
}
