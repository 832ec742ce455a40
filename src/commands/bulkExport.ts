import * as vscode from 'vscode';
import { Commands } from '../constants';
import type { OneUpClient } from '../core/api';
import type * as BulkExport from '../core/bulkExport';
import type { ExportProgress, ExportResult, ExportScope } from '../core/bulkExport';
import { resolveExportFolder } from '../core/bulkExport/folder';
import { listExports } from '../core/bulkExport/listing';
import { describeLevel } from '../core/bulkExport/request';
import { summaryMessage } from './exportMessages';
import { type ExportOptions, resolveLevel, resolveOptions } from './exportOptions';
import type { FhirVersion } from '../core/environments';
import { CancelledError, InputError } from '../core/errors';
import { isResourceType } from '../core/fhir/resourceTypes';
import { type Command, withCancellableProgress } from '../host/commands';
import { loadLazy } from '../host/lazy';
import type { Services } from '../host/services';
import { settings } from '../host/settings';
import { ask, pickUser, resolveVersion, typePickItems } from './args';

/** The engine's two entry points, from the lazily loaded api bundle. */
export type BulkExportEngine = Pick<typeof BulkExport, 'startBulkExport' | 'resumeBulkExport'>;

/** What an export needs of the API client. */
type ExportClient = Pick<OneUpClient, 'transport' | 'tokenManager' | 'users'>;

/** What the export commands need from the host. */
export interface ExportDeps {
  /**
   * The API client of the active environment, held until `release()`: an export runs to its end
   * on the client it started with, even when a setting or the environment changes meanwhile.
   */
  client(): { client: ExportClient; release(): void };
  engine(): BulkExportEngine;
}

/** The usual wiring: the active client, and the engine from dist/lazy/api.js. */
export function defaultExportDeps(s: Services): ExportDeps {
  return {
    client: () => s.clients.acquire(),
    engine: () => {
      const engine = loadLazy<Partial<BulkExportEngine>>('api');
      if (!engine.startBulkExport || !engine.resumeBulkExport) throw new Error(vscode.l10n.t('The bulk export engine is missing from the api bundle.'));
      return engine as BulkExportEngine;
    },
  };
}

/** Arguments of "Bulk Export…"; a user tree node (`{kind:'user', oneupUserId}`) works too. */
export interface BulkExportArgs {
  /** Whose credentials: the app's (every user) or one user's token. */
  scope?: 'app' | { oneupUserId: string };
  /** Which `$export`: `system` (1up's), `patient` (`Patient/$export`) or `group` (`Group/{groupId}/$export`). */
  level?: 'system' | 'patient' | 'group';
  groupId?: string;
  version?: FhirVersion;
  types?: string[];
  since?: string;
  /** `_typeFilter` entries, e.g. `Observation?category=laboratory`. */
  typeFilters?: string[];
  /** `_outputFormat` (an NDJSON type). */
  outputFormat?: string;
  /** The workspace folder (a path) to export into. */
  folder?: string;
}

const INSTANT = /^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2}))?$/;

/** Where the commands say which exports are running (the Exports view's `running`). */
export interface ExportActivity {
  add(folder: string): void;
  delete(folder: string): void;
}

export function bulkExportCommands(s: Services, deps: ExportDeps = defaultExportDeps(s), activity?: ExportActivity): Command[] {
  const start: Command<BulkExportArgs & { kind?: string; oneupUserId?: string }> = {
    id: Commands.bulkExport,
    async run(args = {}) {
      const workspace = await workspaceFolder(args.folder);
      return runOnLease(s, deps, activity, async (client) => {
        const scope = await resolveScope(args, client);
        const version = await resolveVersion(s, args.version);
        const level = await resolveLevel(args, args.types === undefined);
        const types = await resolveTypes(version, args.types);
        const since = await resolveSince(args.since, args.types !== undefined);
        // prompted: a last look at the request, where _typeFilter and _outputFormat can be added
        const options: ExportOptions = await resolveOptions(version, args, args.types === undefined, {
          bulkDataUrl: client.transport.environment.bulkDataUrl, level, types, since,
        });
        return {
          title: exportTitle(scope, level, version),
          run: (engine, o) => engine.startBulkExport(workspace, { version, scope, level, types, since, ...options }, o),
        };
      });
    },
  };
  const resume: Command<{ folder?: string; entry?: { folder: string } }> = {
    id: Commands.resumeBulkExport,
    async run(args = {}) {
      const roots = trustedFolders();
      const folder = await exportFolderOf(roots, args.folder ?? args.entry?.folder ?? await pickInterrupted(roots));
      return runOnLease(s, deps, activity, async () => ({ title: vscode.l10n.t('Resuming bulk export'), run: (engine, o) => engine.resumeBulkExport(folder, o) }));
    },
  };
  return [start, resume];
}

type RunOptions = Pick<BulkExport.EngineOptions, 'signal' | 'onProgress' | 'logger' | 'requestTimeoutSeconds' | 'parallel'>;

/** One export: what to run, once its arguments are settled (with the client it runs on). */
interface ExportRun {
  title: string;
  run(engine: BulkExportEngine, o: BulkExport.EngineOptions): Promise<ExportResult>;
}

/**
 * Runs one export on a leased client, released however the export ends (the prompts in `prepare`
 * included), with the user's tokens from that client; announces the result and answers its folder.
 */
async function runOnLease(s: Services, deps: ExportDeps, activity: ExportActivity | undefined, prepare: (client: ExportClient) => Promise<ExportRun>): Promise<string> {
  const lease = deps.client();
  try {
    const { client } = lease;
    const { title, run } = await prepare(client);
    const result = await exportWithProgress(s, activity, title, (o) => run(deps.engine(), {
      ...o, transport: client.transport, tokensFor: (id) => client.tokenManager({ oneupUserId: id }),
    }));
    announce(s, result);
    return result.folder;
  } finally {
    lease.release();
  }
}

/** The progress notification's title: whose data, which level, which FHIR version. */
function exportTitle(scope: ExportScope, level: BulkExport.ExportLevel, version: FhirVersion): string {
  if (level.kind === 'system') {
    return scope.kind === 'app'
      ? vscode.l10n.t({ message: 'Bulk export (all users, {0})', args: [version], comment: ['{0}: a FHIR version such as r4'] })
      : vscode.l10n.t({ message: 'Bulk export (user {0}, {1})', args: [scope.oneupUserId, version], comment: ['{0}: a oneup_user_id; {1}: a FHIR version such as r4'] });
  }
  return scope.kind === 'app'
    ? vscode.l10n.t({ message: 'Bulk export (all users, {0}, {1})', args: [describeLevel(level), version], comment: ['{0}: the level (all patients, Group/<id>); {1}: a FHIR version such as r4'] })
    : vscode.l10n.t({ message: 'Bulk export (user {0}, {1}, {2})', args: [scope.oneupUserId, describeLevel(level), version], comment: ['{0}: a oneup_user_id; {1}: the level (all patients, Group/<id>); {2}: a FHIR version such as r4'] });
}

/** Runs an export under a cancellable notification that shows phase, files, MB and MB/s. */
function exportWithProgress(s: Services, activity: ExportActivity | undefined, title: string, work: (o: RunOptions) => Promise<ExportResult>): Promise<ExportResult> {
  return withCancellableProgress(title, async (signal, progress) => {
    let shown = 0;
    let folder: string | undefined;
    try {
      return await work({
        signal,
        logger: s.logger,
        requestTimeoutSeconds: settings.requestTimeoutSeconds(),
        parallel: settings.exportParallelDownloads(),
        onProgress: (p) => {
          if (!folder) activity?.add((folder = p.folder));
          const done = p.filesTotal ? (p.filesDone / p.filesTotal) * 100 : 0;
          progress.report({ message: describeProgress(p), increment: Math.max(0, done - shown) });
          shown = Math.max(shown, done);
        },
      });
    } finally {
      if (folder) activity?.delete(folder);
    }
  });
}

export function describeProgress(p: ExportProgress): string {
  const mb = (n: number) => (n / 1048576).toFixed(n < 10 * 1048576 ? 1 : 0);
  switch (p.phase) {
    case 'kick-off': return vscode.l10n.t('asking the server to start…');
    case 'waiting': return p.message
      ? vscode.l10n.t({ message: 'the server is preparing the files ({0})…', args: [p.message], comment: ['{0}: the server\'s own progress text, or when it is checked next'] })
      : vscode.l10n.t('the server is preparing the files…');
    case 'downloading': return vscode.l10n.t({ message: '{0}/{1} files, {2} MB at {3} MB/s', args: [p.filesDone, p.filesTotal, mb(p.bytes), mb(p.bytesPerSecond)], comment: ['{0}: files done; {1}: files in all'] });
    case 'verifying': return vscode.l10n.t({ message: '{0}/{1} files, checking…', args: [p.filesDone, p.filesTotal], comment: ['{0}: files done; {1}: files in all'] });
    case 'done': return vscode.l10n.t({ message: '{0}/{1} files, {2} MB', args: [p.filesDone, p.filesTotal, mb(p.bytes)], comment: ['{0}: files done; {1}: files in all'] });
  }
}

/** Says how the export went; a failure to show it is logged (the export itself is done). */
function announce(s: Services, r: ExportResult): void {
  showResult(s, r).catch((e: unknown) => s.logger.error(`[export] could not show the result of ${r.folder}: ${e instanceof Error ? e.message : String(e)}`));
}

async function showResult(s: Services, r: ExportResult): Promise<void> {
  const m = summaryMessage(r.summary);
  s.logger.info(`[export] ${r.folder}: ${m.log}`);
  const showSummary = vscode.l10n.t('Show Summary');
  const openFolder = vscode.l10n.t('Open Folder');
  const pick = m.warning
    ? await vscode.window.showWarningMessage(m.text, showSummary, openFolder)
    : await vscode.window.showInformationMessage(m.text, openFolder, showSummary);
  if (pick === openFolder) await vscode.commands.executeCommand('revealInExplorer', vscode.Uri.file(r.folder));
  if (pick === showSummary) await vscode.window.showTextDocument(vscode.Uri.joinPath(vscode.Uri.file(r.folder), 'summary.json'));
}

/** The workspace folders on disk, when the workspace is trusted (exports are health data). */
function trustedFolders(): vscode.WorkspaceFolder[] {
  const onDisk = (vscode.workspace.workspaceFolders ?? []).filter((f) => f.uri.scheme === 'file');
  if (!onDisk.length) throw new InputError(vscode.l10n.t('Bulk export writes into the workspace: open a folder on disk first (File → Open Folder…).'));
  if (!vscode.workspace.isTrusted) throw new InputError(vscode.l10n.t('Bulk export writes into the workspace, which needs a trusted workspace: trust this folder first.'));
  return onDisk;
}

/** A workspace folder on disk to export into. */
async function workspaceFolder(wanted: string | undefined): Promise<string> {
  const onDisk = trustedFolders();
  if (wanted) {
    const match = onDisk.find((f) => f.uri.fsPath === wanted);
    if (!match) throw new InputError(vscode.l10n.t('{0} is not a folder of this workspace.', wanted));
    return match.uri.fsPath;
  }
  if (onDisk.length === 1) return onDisk[0].uri.fsPath;
  const pick = await vscode.window.showWorkspaceFolderPick({ placeHolder: vscode.l10n.t('Export into which workspace folder?') });
  if (!pick) throw new CancelledError();
  return pick.uri.fsPath;
}

async function resolveScope(args: BulkExportArgs & { kind?: string; oneupUserId?: string }, client: Pick<OneUpClient, 'users'>): Promise<ExportScope> {
  if (args.kind === 'user' && args.oneupUserId) return { kind: 'user', oneupUserId: args.oneupUserId };
  if (args.scope === 'app') return { kind: 'app' };
  if (args.scope && typeof args.scope === 'object' && args.scope.oneupUserId) return { kind: 'user', oneupUserId: args.scope.oneupUserId };
  if (args.scope !== undefined) throw new InputError(vscode.l10n.t('scope must be "app" or { oneupUserId }.'));
  const pick = await vscode.window.showQuickPick([
    { label: `$(organization) ${vscode.l10n.t('All users of the app')}`, detail: vscode.l10n.t('App-wide export (x-oneup-user-id: client)'), id: 'app' },
    { label: `$(account) ${vscode.l10n.t('One user…')}`, detail: vscode.l10n.t('That user\'s data, with their access token'), id: 'user' },
  ], { title: vscode.l10n.t('Bulk Export: whose data?') });
  if (!pick) throw new CancelledError();
  if (pick.id === 'app') return { kind: 'app' };
  const users = await client.users.listUsers();
  if (!users.length) throw new InputError(vscode.l10n.t('This app has no users yet.'));
  return { kind: 'user', oneupUserId: (await pickUser(users, vscode.l10n.t('Bulk Export: which user?'))).oneupUserId };
}

async function resolveTypes(version: FhirVersion, types: unknown): Promise<string[] | undefined> {
  if (types !== undefined) {
    if (!Array.isArray(types) || types.some((t) => typeof t !== 'string')) throw new InputError(vscode.l10n.t('types must be a list of resource type names.'));
    const unknown = (types as string[]).filter((t) => !isResourceType(version, t));
    if (unknown.length) throw new InputError(vscode.l10n.t({ message: 'Not FHIR {0} resource types: {1}.', args: [version, unknown.join(', ')], comment: ['{0}: a FHIR version such as r4; {1}: a list of names'] }));
    return types.length ? (types as string[]) : undefined;
  }
  const picks = await vscode.window.showQuickPick(typePickItems(version), { title: vscode.l10n.t('Bulk Export: resource types'), placeHolder: vscode.l10n.t('Pick types, or none for every type'), canPickMany: true });
  if (!picks) throw new CancelledError();
  return picks.length ? picks.map((p) => p.label) : undefined;
}

async function resolveSince(since: string | undefined, fromArgs: boolean): Promise<string | undefined> {
  const valid = (v: string) => (!v || (INSTANT.test(v) && !Number.isNaN(Date.parse(v))) ? undefined : vscode.l10n.t('A FHIR instant such as 2024-01-31T00:00:00Z (or a date), or empty'));
  if (since !== undefined || fromArgs) {
    if (since && valid(since)) throw new InputError(vscode.l10n.t({ message: 'since: {0}.', args: [valid(since)!], comment: ['since: the argument\'s name; {0}: what it must be'] }));
    return since || undefined;
  }
  return (await ask({ title: vscode.l10n.t('Bulk Export: changed since (optional)'), prompt: vscode.l10n.t('Only resources changed since this instant (_since); empty exports everything'), placeHolder: '2024-01-31T00:00:00Z', validateInput: valid })) || undefined;
}

/** The export folder to resume, as its real path: one of these workspace folders' (see resolveExportFolder). */
async function exportFolderOf(roots: readonly vscode.WorkspaceFolder[], folder: unknown): Promise<string> {
  if (typeof folder !== 'string' || !folder) throw new InputError(vscode.l10n.t('folder must be the path of an export folder.'));
  return resolveExportFolder(folder, roots.map((r) => r.uri.fsPath));
}

async function pickInterrupted(roots: readonly vscode.WorkspaceFolder[]): Promise<string> {
  const entries = (await Promise.all(roots.map((f) => listExports(f.uri.fsPath)))).flat().filter((e) => e.status !== 'complete');
  if (!entries.length) throw new InputError(vscode.l10n.t('There is no interrupted bulk export in this workspace.'));
  const pick = await vscode.window.showQuickPick(entries.map((e) => ({
    label: e.name, folder: e.folder,
    description: e.status === 'interrupted'
      ? vscode.l10n.t({ message: '{0} · interrupted', args: [e.environment], comment: ['{0}: an environment'] })
      : vscode.l10n.t({ message: '{0} · finished with problems', args: [e.environment], comment: ['{0}: an environment'] }),
  })), { title: vscode.l10n.t('Resume which bulk export?') });
  if (!pick) throw new CancelledError();
  return pick.folder;
}
