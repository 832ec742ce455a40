import type { RequestAuth } from '../api';
import { CancelledError, InputError, isCancellation } from '../errors';
import { nullLogger, scoped } from '../log';
import { originOf, type RunContext } from './context';
import { downloadFile } from './download';
import { ExportFolder } from './folder';
import { cancelJob, checkRequest, kickOff, kickoffUrl, waitForManifest } from './kickoff';
import { planFiles } from './manifest';
import { ProgressReporter } from './progress';
import { type ExportState, StateStore } from './state';
import { buildSummary } from './summary';
import type { EngineOptions, ExportRequest, ExportResult, ExportScope, Manifest } from './types';

/**
 * Runs a bulk export into `<workspace>/.1uphealth/exports/<environment>/<timestamp>/`: kick-off
 * (either answer style), status polling, parallel verified downloads, then `manifest.json` and
 * `summary.json`. Resolves with the summary even when some files failed (see `summary.complete`
 * and `summary.errors`); rejects on a failed kick-off, on folder problems, and with
 * CancelledError when `signal` fires (an async export's server job is then deleted).
 */
export async function startBulkExport(workspace: string, request: ExportRequest, o: EngineOptions): Promise<ExportResult> {
  const types = checkRequest(request);
  const auth = authFor(request.scope, o);
  const t = o.transport;
  const folder = await ExportFolder.create(workspace, t.environment.name, (o.now ?? (() => new Date()))());
  const state: ExportState = {
    format: 1, environment: t.environment.name, bulkBase: t.bulkBase(request.version), version: request.version,
    scope: request.scope, types, since: request.since, startedAt: new Date().toISOString(), files: [], activeMs: 0,
  };
  const store = new StateStore(folder, state);
  await store.save();
  try {
    return await run(store, o, auth);
  } catch (e) {
    // refused or cancelled before the server took it on: there is nothing to resume
    if (!state.statusUrl && !state.manifest) await folder.removeAll().catch(() => undefined);
    throw e;
  }
}

/**
 * Continues an interrupted export from its folder: polls on if the manifest never came,
 * skips finished files, resumes part files with Range. Needs the same environment (and, for a
 * user's export, that user's token source).
 */
export async function resumeBulkExport(folder: string, o: EngineOptions): Promise<ExportResult> {
  const store = await StateStore.load(await ExportFolder.open(folder));
  const s = store.state;
  if (s.bulkBase !== o.transport.bulkBase(s.version)) {
    throw new InputError(`This export was made against "${s.environment}" (${originOf(s.bulkBase) ?? s.bulkBase}); select that environment to resume it.`);
  }
  if (s.serverJobDeleted) throw new InputError('This export was cancelled and the server deleted its job; start a new export.');
  return run(store, o, authFor(s.scope, o));
}

function authFor(scope: ExportScope, o: EngineOptions): RequestAuth {
  if (scope.kind === 'app') return { kind: 'app', oneupUserId: 'client' };
  const tokens = o.tokens ?? o.tokensFor?.(scope.oneupUserId);
  if (!tokens) throw new InputError(`Exporting the data of user ${scope.oneupUserId} needs that user's token source.`);
  return { kind: 'bearer', source: tokens };
}

async function run(store: StateStore, o: EngineOptions, auth: RequestAuth): Promise<ExportResult> {
  const s = store.state;
  const folder = store.folder;
  const began = performance.now();
  const ctx: RunContext = {
    transport: o.transport, auth, exportOrigin: originOf(s.bulkBase) ?? '', signal: o.signal,
    logger: scoped(o.logger ?? nullLogger, 'export'), progress: new ProgressReporter(folder.dir, o.onProgress, o.progressIntervalMs),
    maxTries: Math.max(1, o.maxTries ?? 5), retryBaseMs: o.retryBaseMs ?? 500, maxPollWaitSeconds: o.maxPollWaitSeconds ?? 120,
    minPollMs: o.minPollMs ?? 500, timeoutSeconds: o.requestTimeoutSeconds ?? 30,
  };
  try {
    if (!s.manifest) await obtainManifest(ctx, store);
    await recheckFinished(store);
    await downloadAll(ctx, store, Math.max(1, Math.floor(o.parallel ?? 4)));
    ctx.progress.setPhase('verifying');
    await recheckFinished(store);
    s.activeMs += performance.now() - began;
    const finished = new Date();
    const summary = await buildSummary(folder, s, finished);
    await folder.writeAtomic('summary.json', JSON.stringify(summary, null, 2));
    s.finishedAt = finished.toISOString();
    await store.save();
    ctx.progress.setPhase('done');
    ctx.logger.info(`Export ${summary.complete ? 'complete' : 'finished with problems'}: ${summary.files.length} files, ${summary.resources} resources, `
      + `${(summary.bytes / 1048576).toFixed(1)} MB in ${(summary.durationMs / 1000).toFixed(1)} s${summary.errors.length ? `, ${summary.errors.length} problems` : ''}.`);
    return { folder: folder.dir, summary };
  } catch (e) {
    s.activeMs += performance.now() - began;
    if (isCancellation(e) || o.signal?.aborted) {
      if (s.async && s.statusUrl && o.cancelServerJob !== false) s.serverJobDeleted = await cancelJob(ctx, s.statusUrl);
      await store.save().catch(() => undefined);
      throw new CancelledError();
    }
    await store.save().catch(() => undefined);
    throw e;
  }
}

async function obtainManifest(ctx: RunContext, store: StateStore): Promise<void> {
  const s = store.state;
  if (!s.statusUrl) {
    ctx.progress.setPhase('kick-off');
    const request: ExportRequest = { version: s.version, scope: s.scope, types: s.types, since: s.since };
    const k = await kickOff(ctx, request, s.types);
    s.statusUrl = k.statusUrl;
    s.async = !k.manifest;
    if (k.manifest) await acceptManifest(ctx, store, k.manifest, kickoffUrl(ctx.transport, s.version));
    await store.save();
  }
  if (!s.manifest && s.statusUrl) {
    ctx.progress.setPhase('waiting');
    await acceptManifest(ctx, store, await waitForManifest(ctx, s.statusUrl), s.statusUrl);
    await store.save();
  }
}

async function acceptManifest(ctx: RunContext, store: StateStore, manifest: Manifest, base: string): Promise<void> {
  const s = store.state;
  const { files, refused } = planFiles(manifest, base);
  s.manifest = manifest;
  s.files = files;
  s.refused = refused;
  for (const r of refused) ctx.logger.warn(r.message);
  await store.folder.writeAtomic('manifest.json', JSON.stringify(manifest, null, 2));
}

/** A finished file that is gone or changed size on disk is downloaded again. */
async function recheckFinished(store: StateStore): Promise<void> {
  for (const f of store.state.files) {
    if (f.done && (await store.folder.size(f.name)) !== f.bytes) {
      f.done = false;
      f.bytes = undefined;
      f.resources = undefined;
    }
  }
}

async function downloadAll(ctx: RunContext, store: StateStore, parallel: number): Promise<void> {
  const files = store.state.files;
  const queue = files.filter((f) => !f.done);
  const requiresAccessToken = store.state.manifest?.requiresAccessToken === true;
  const doneCount = () => files.filter((f) => f.done).length;
  ctx.progress.setFiles(doneCount(), files.length);
  ctx.progress.setPhase('downloading');
  let next = 0;
  const worker = async () => {
    while (next < queue.length) {
      const rec = queue[next++];
      const t0 = performance.now();
      try {
        await downloadFile(ctx, store.folder, rec, requiresAccessToken, () => store.save());
        ctx.logger.info(`${rec.name}: ${rec.resources} resources, ${((rec.bytes ?? 0) / 1048576).toFixed(1)} MB in ${((performance.now() - t0) / 1000).toFixed(1)} s.`);
      } catch (e) {
        if (isCancellation(e)) throw e;
        // kept in the export's state and summary.json and shown in the Exports view: a server's
        // words can echo a key or token, so they go through the transport's masker first
        rec.error = ctx.transport.masker.mask((e as Error).message);
        ctx.logger.error(rec.error);
      }
      ctx.progress.setFiles(doneCount(), files.length);
      await store.save();
    }
  };
  const results = await Promise.allSettled(Array.from({ length: Math.min(parallel, queue.length) }, worker));
  const failed = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
  if (failed) throw failed.reason;
}
