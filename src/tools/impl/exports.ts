import * as path from 'node:path';
import * as vscode from 'vscode';
import type * as BulkExport from '../../core/bulkExport';
import { listExports } from '../../core/bulkExport/listing';
import { CancelledError, InputError } from '../../core/errors';
import { isResourceType } from '../../core/fhir/resourceTypes';
import { ToolNames } from '../../core/tools/catalog';
import { errorForModel } from '../../core/tools/errors';
import { exportDetail, exportsAnswer, type ExportView } from '../../core/tools/exportAnswers';
import { loadLazy } from '../../host/lazy';
import { settings } from '../../host/settings';
import type { ToolRun } from '../context';
import { userOf } from './common';

type Engine = Pick<typeof BulkExport, 'startBulkExport'>;
const INSTANT = /^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2}))?$/;

/** Trusted workspace folders on disk: exports are health data and are written only there. */
function workspaceFolders(): vscode.WorkspaceFolder[] {
  const onDisk = (vscode.workspace.workspaceFolders ?? []).filter((f) => f.uri.scheme === 'file');
  if (!onDisk.length) throw new InputError('A bulk export is written into the workspace, and no folder is open: the user has to open one first (File → Open Folder…).');
  if (!vscode.workspace.isTrusted) throw new InputError('A bulk export is written into the workspace, which needs a trusted workspace: the user has to trust this folder first.');
  return onDisk;
}

/**
 * Starts a bulk export in the background (progress in a cancellable notification and in the
 * Exports view, as from the command) and waits up to `waitSeconds` for it: a small one is
 * reported complete, a long one as running with the id to follow it by.
 */
export async function startExport(r: ToolRun): Promise<string> {
  const folders = workspaceFolders();
  const wanted = r.input.string('workspaceFolder', { max: 500 });
  const ws = wanted ? folders.find((f) => f.name === wanted || f.uri.fsPath === wanted) : folders[0];
  if (!ws) throw new InputError(`"${wanted}" is not a folder of this workspace; its folders are ${folders.map((f) => `“${f.name}”`).join(', ')}.`);
  const version = r.input.version(r.environment.fhirVersion);
  const types = r.input.stringList('types', { max: 100 });
  const unknown = (types ?? []).filter((t) => !isResourceType(version, t));
  if (unknown.length) throw new InputError(`Not FHIR ${version.toUpperCase()} resource types: ${unknown.join(', ')}.`);
  const since = r.input.string('since', { max: 40, pattern: INSTANT, what: 'a FHIR instant such as 2024-01-31T00:00:00Z, or a date' });
  if (since && Number.isNaN(Date.parse(since))) throw new InputError(`"since" is not a real date: ${since}.`);
  const user = await userOf(r, false);
  const scopeName = r.input.oneOf('scope', ['app', 'user'], user ? 'user' : 'app');
  if (scopeName === 'user' && !user) throw new InputError(`"scope": "user" needs "oneupUserId" or "appUserId" (${ToolNames.listUsers} lists them).`);
  const scope: BulkExport.ExportScope = scopeName === 'app' ? { kind: 'app' } : { kind: 'user', oneupUserId: user!.oneupUserId };
  const waitSeconds = r.input.integer('waitSeconds', { min: 0, max: 120, default: 20 });

  const engine = loadLazy<Partial<Engine>>('api');
  if (!engine.startBulkExport) throw new Error('The bulk export engine is missing from the api bundle.');
  const lease = r.s.clients.acquire();
  const job = r.state.exports.start(r.environment.name);
  const view = job.view;
  let folder: string | undefined;
  // for the answer to the model (English); the user's notification says it in the display language
  const label = scope.kind === 'app' ? 'all users' : `user ${user?.appUserId ?? scope.oneupUserId}`;
  const done = Promise.resolve(vscode.window.withProgress({
    location: vscode.ProgressLocation.Notification, cancellable: true,
    title: scope.kind === 'app'
      ? vscode.l10n.t('Bulk export (all users, {0}) started from chat', version)
      : vscode.l10n.t('Bulk export (user {0}, {1}) started from chat', user?.appUserId ?? scope.oneupUserId, version),
  }, async (progress, token) => {
    const controller = new AbortController();
    const sub = token.onCancellationRequested(() => controller.abort());
    try {
      const result = await engine.startBulkExport!(ws.uri.fsPath, { version, scope, types, since }, {
        transport: lease.client.transport,
        tokensFor: (id) => lease.client.tokenManager({ oneupUserId: id }),
        signal: controller.signal,
        logger: r.s.logger,
        requestTimeoutSeconds: settings.requestTimeoutSeconds(),
        parallel: settings.exportParallelDownloads(),
        onProgress: (p) => {
          if (!folder) {
            folder = p.folder;
            view.folder = folder;
            view.id = path.basename(folder);
            r.exportActivity.add(folder);
          }
          view.state = 'running';
          view.progress = { phase: p.phase, filesDone: p.filesDone, filesTotal: p.filesTotal, bytes: p.bytes, message: p.message };
          progress.report({ message: p.filesTotal ? vscode.l10n.t({ message: '{0} {1}/{2} files', args: [phaseWord(p.phase), p.filesDone, p.filesTotal], comment: ['{0}: the phase (kick-off, waiting, downloading, verifying, done)'] }) : phaseWord(p.phase) });
        },
      });
      view.summary = result.summary;
      view.state = result.summary.complete && !result.summary.errors.length ? 'complete' : 'problems';
      r.s.logger.info(`[tools] bulk export ${view.id}: ${view.state}, ${result.summary.resources} resources`);
    } catch (e) {
      view.state = controller.signal.aborted ? 'cancelled' : 'failed';
      view.error = r.s.logger.masker.mask(errorForModel(e, 'the bulk export'));
      throw e;
    } finally {
      sub.dispose();
      if (folder) r.exportActivity.delete(folder);
      lease.release();
    }
  }));
  // the export goes on after this call answers: its failure is reported through the status tool
  done.catch(() => undefined);
  const finished = await waitFor(done, waitSeconds * 1000, r.signal);
  // refused before anything was written (e.g. the server refused the kick-off): answer the error itself
  if (finished === 'failed' && !folder) return view.error ?? 'Error: the bulk export failed.';
  if (finished === 'waiting') {
    return [
      `Started bulk export ${view.id} of ${label} (FHIR ${version.toUpperCase()}${types?.length ? `, ${types.join(',')}` : ', every type'}${since ? `, since ${since}` : ''}) from “${r.environment.name}” into the workspace folder “${ws.name}”. It is still running${view.progress ? ` (${view.progress.phase}${view.progress.filesTotal ? `, ${view.progress.filesDone}/${view.progress.filesTotal} files` : ''})` : ''}.`,
      `Call ${ToolNames.exportStatus} with {"exportId":"${view.id}"} to follow it; the user sees its progress in a notification and in the Exports view, and can cancel it there.`,
    ].join('\n');
  }
  return `${finished === 'done' ? 'Started and finished.' : 'Started, then stopped.'}\n${exportDetail(view, r.maxChars)}`;
}

/** The export phase as the chat export's notification names it. */
function phaseWord(phase: BulkExport.ExportPhase): string {
  switch (phase) {
    case 'kick-off': return vscode.l10n.t({ message: 'kick-off', comment: ['a phase of a bulk export, shown in its progress notification'] });
    case 'waiting': return vscode.l10n.t({ message: 'waiting', comment: ['a phase of a bulk export, shown in its progress notification'] });
    case 'downloading': return vscode.l10n.t({ message: 'downloading', comment: ['a phase of a bulk export, shown in its progress notification'] });
    case 'verifying': return vscode.l10n.t({ message: 'verifying', comment: ['a phase of a bulk export, shown in its progress notification'] });
    case 'done': return vscode.l10n.t({ message: 'done', comment: ['a phase of a bulk export, shown in its progress notification'] });
  }
}

async function waitFor(done: Promise<unknown>, ms: number, signal: AbortSignal): Promise<'done' | 'failed' | 'waiting'> {
  let timer: NodeJS.Timeout | undefined;
  let onAbort: (() => void) | undefined;
  try {
    return await Promise.race([
      done.then(() => 'done' as const, () => 'failed' as const),
      new Promise<'waiting'>((resolve) => { timer = setTimeout(() => resolve('waiting'), ms); }),
      new Promise<'waiting'>((resolve) => { onAbort = () => resolve('waiting'); signal.addEventListener('abort', onAbort, { once: true }); }),
    ]);
  } finally {
    clearTimeout(timer);
    if (onAbort) signal.removeEventListener('abort', onAbort);
  }
}

/** The exports of the workspace (on disk) and those tools started in this window, or one of them in detail. */
export async function exportStatus(r: ToolRun): Promise<string> {
  const id = r.input.string('exportId', { max: 300 });
  const limit = r.input.integer('limit', { min: 1, max: 50, default: 10 });
  const live = r.state.exports.all();
  const onDisk: ExportView[] = [];
  for (const ws of (vscode.workspace.workspaceFolders ?? []).filter((f) => f.uri.scheme === 'file')) {
    for (const e of await listExports(ws.uri.fsPath)) {
      if (live.some((j) => j.folder === e.folder)) continue;
      onDisk.push({ id: e.name, folder: e.folder, environment: e.environment, state: e.status, summary: e.summary });
    }
  }
  const all = [
    ...live.filter((j) => j.state === 'running' || j.state === 'starting'),
    ...[...live.filter((j) => j.state !== 'running' && j.state !== 'starting' && j.folder), ...onDisk].sort((a, b) => b.id.localeCompare(a.id)),
  ];
  if (!id) return exportsAnswer(all, limit, r.maxChars);
  const found = r.state.exports.get(id) ?? all.find((e) => e.id === id || e.folder === id);
  if (!found) throw new InputError(`There is no bulk export "${id}" in this workspace: call ${ToolNames.exportStatus} without "exportId" to list them.`);
  if (r.signal.aborted) throw new CancelledError();
  return exportDetail(found, r.maxChars);
}
