import * as l10n from '@vscode/l10n';
import type { RequestAuth } from '../api';
import { CancelledError, InputError, isCancellation } from '../errors';
import { nullLogger, scoped } from '../log';
import { originOf, type RunContext } from './context';
import { diskStopped } from './diskFull';
import { downloadFile } from './download';
import { DiskError, isDiskError } from './fileProblems';
import { ExportFolder, RESERVE_FILE, STATE_FILE } from './folder';
import { cancelJob, kickOff, waitForManifest } from './kickoff';
import { planFiles } from './manifest';
import { ProgressReporter } from './progress';
import { baseVersion, checkRequest, describeLevel, exportBase, kickoffUrl } from './request';
import { type ExportState, StateStore } from './state';
import { buildSummary } from './summary';
import type { EngineOptions, ExportRequest, ExportResult, ExportScope, Manifest } from './types';

/**
 * Runs a bulk export into `<workspace>/.1uphealth/exports/<environment>/<timestamp>/`: kick-off
 * (system, Patient or Group level; either answer style), status polling, parallel verified
 * downloads, then `manifest.json` and `summary.json`. Resolves with the summary even when some
 * files failed (see `summary.complete` and `summary.errors`); rejects on a failed kick-off, on
 * folder problems, with ExportDiskError when the disk fills up (everything kept, resumable), and
 * with CancelledError when `signal` fires (an async export's server job is then deleted).
 */
export async function startBulkExport(workspace: string, request: ExportRequest, o: EngineOptions): Promise<ExportResult> {
  const checked = checkRequest(request);
  const auth = authFor(request.scope, o);
  const t = o.transport;
  const bulkBase = exportBase(t.environment.bulkDataUrl, request.version);
  const fixed = baseVersion(t.environment.bulkDataUrl);
  if (fixed && fixed !== request.version) {
    throw new InputError(l10n.t({ message: 'This environment\'s bulk data URL is a {0} server ({1}); it cannot export {2}.', args: [fixed, t.environment.bulkDataUrl, request.version], comment: ['{0} and {2}: FHIR versions such as r4; {1}: a URL'] }));
  }
  const folder = await ExportFolder.create(workspace, t.environment.name, (o.now ?? (() => new Date()))());
  const logger = scoped(o.logger ?? nullLogger, 'export');
  if (folder.gitignoreFixed) logger.warn(folder.gitignoreFixed);
  const state: ExportState = {
    format: 2, environment: t.environment.name, bulkBase, version: request.version, scope: request.scope, ...checked,
    startedAt: new Date().toISOString(), files: [], activeMs: 0,
  };
  const store = new StateStore(folder, state);
  try {
    await store.save();
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
  const now = exportBase(o.transport.environment.bulkDataUrl, s.version);
  // a state of the first format kept `{bulkDataUrl}/{version}`, which is what exportBase gives for 1up's URLs
  if (s.bulkBase !== now) {
    throw new InputError(l10n.t({ message: 'This export was made against "{0}" ({1}); select that environment to resume it.', args: [s.environment, originOf(s.bulkBase) ?? s.bulkBase], comment: ['{0}: an environment name; {1}: its server'] }));
  }
  if (s.serverJobDeleted) throw new InputError(l10n.t('This export was cancelled and the server deleted its job; start a new export.'));
  return run(store, o, authFor(s.scope, o));
}

function authFor(scope: ExportScope, o: EngineOptions): RequestAuth {
  if (scope.kind === 'app') return { kind: 'app', oneupUserId: 'client' };
  const tokens = o.tokens ?? o.tokensFor?.(scope.oneupUserId);
  if (!tokens) throw new InputError(l10n.t('Exporting the data of user {0} needs that user\'s token source.', scope.oneupUserId));
  return { kind: 'bearer', source: tokens };
}

async function run(store: StateStore, o: EngineOptions, auth: RequestAuth): Promise<ExportResult> {
  const s = store.state;
  const folder = store.folder;
  const began = performance.now();
  // fires on the user's cancel, and when one download finds the disk full (the others stop too)
  const stop = new AbortController();
  const signal = o.signal ? AbortSignal.any([o.signal, stop.signal]) : stop.signal;
  const ctx: RunContext = {
    transport: o.transport, auth, exportOrigin: originOf(s.bulkBase) ?? '', signal,
    logger: scoped(o.logger ?? nullLogger, 'export'), progress: new ProgressReporter(folder.dir, o.onProgress, o.progressIntervalMs),
    maxTries: Math.max(1, o.maxTries ?? 5), retryBaseMs: o.retryBaseMs ?? 500, maxPollWaitMs: (o.maxPollWaitSeconds ?? 900) * 1000,
    minPollMs: o.minPollMs ?? 500, timeoutSeconds: o.requestTimeoutSeconds ?? 30,
    minBytesPerSecond: o.minBytesPerSecond ?? 1024, throughputWindowMs: (o.throughputWindowSeconds ?? 60) * 1000,
    maxFileBytes: o.maxFileBytes ?? 64 * 1024 ** 3, maxGzipRatio: o.maxGzipRatio ?? 100, parts: await folder.partFiles(),
  };
  const elapsed = () => s.activeMs + performance.now() - began;
  try {
    if (!s.manifest) await obtainManifest(ctx, store);
    await recheckFinished(store);
    // room for the state and summary to be written when the disk fills up: twice the state's size
    await folder.reserve(Math.min(64 << 20, 2 * JSON.stringify(s).length + (64 << 10)));
    await downloadAll(ctx, store, Math.max(1, Math.floor(o.parallel ?? 4)), stop);
    await folder.remove(RESERVE_FILE);
    ctx.progress.setPhase('verifying');
    store.updateTop({ activeMs: elapsed() });
    const finished = new Date();
    const summary = await buildSummary(folder, s, finished);
    await folder.writeAtomic('summary.json', JSON.stringify(summary, null, 2));
    store.updateTop({ finishedAt: finished.toISOString() });
    await store.save();
    ctx.progress.setPhase('done');
    ctx.logger.info(`Export ${summary.complete ? 'complete' : 'finished with problems'}: ${summary.files.length} files, ${summary.resources} resources, `
      + `${(summary.bytes / 1048576).toFixed(1)} MB in ${(summary.durationMs / 1000).toFixed(1)} s${summary.errors.length ? `, ${summary.errors.length} problems` : ''}.`);
    return { folder: folder.dir, summary };
  } catch (e) {
    store.updateTop({ activeMs: elapsed() });
    const disk = e instanceof DiskError ? e : isDiskError(e) ? new DiskError(e.code!, STATE_FILE, `${e.code}: ${e.message}`) : undefined;
    if (disk) throw await stopForDisk(ctx, store, disk);
    if (isCancellation(e) || o.signal?.aborted) {
      if (s.async && s.statusUrl && o.cancelServerJob !== false) store.updateTop({ serverJobDeleted: await cancelJob(ctx, s.statusUrl) });
      await store.save().catch(() => undefined);
      throw new CancelledError();
    }
    await store.save().catch(() => undefined);
    throw e;
  } finally {
    await store.close();
    await folder.remove(RESERVE_FILE).catch(() => undefined);
  }
}

/**
 * A full (or refusing) disk: the state is kept as far as the disk allows (the journal on disk
 * stays readable, a temp file is never left), a summary is written if it fits, and the error
 * names the folder and the space the rest needs.
 */
async function stopForDisk(ctx: RunContext, store: StateStore, e: DiskError): Promise<Error> {
  const err = await diskStopped(store.folder, store.state, e);
  ctx.logger.error(err.message);
  // the space held back for this moment
  await store.folder.remove(RESERVE_FILE).catch(() => undefined);
  await store.flush().catch(() => undefined);
  await store.save().catch(() => undefined);
  if (store.state.manifest) {
    const summary = await buildSummary(store.folder, store.state, new Date()).catch(() => undefined);
    if (summary) {
      summary.errors.unshift({ message: err.message });
      await store.folder.writeAtomic('summary.json', JSON.stringify(summary, null, 2)).catch(() => undefined);
    }
  }
  return err;
}

async function obtainManifest(ctx: RunContext, store: StateStore): Promise<void> {
  const s = store.state;
  if (!s.statusUrl) {
    ctx.progress.setPhase('kick-off');
    const url = kickoffUrl(s.bulkBase, s.level);
    ctx.logger.info(`Kick-off at ${describeLevel(s.level, true)} level: ${url.replace(/\?.*$/, '')}`);
    const k = await kickOff(ctx, url, s);
    store.updateTop({ statusUrl: k.statusUrl, async: !k.manifest });
    if (k.manifest) await acceptManifest(ctx, store, k.manifest, url);
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
  for (const [i, f] of store.state.files.entries()) {
    if (f.done && (await store.folder.size(f.name)) !== f.bytes) {
      store.updateFile(i, { done: false, bytes: undefined, resources: undefined, incomplete: undefined, warning: undefined });
    }
  }
}

async function downloadAll(ctx: RunContext, store: StateStore, parallel: number, stop: AbortController): Promise<void> {
  const files = store.state.files;
  const queue = files.flatMap((f, i) => (f.done ? [] : [i]));
  const requiresAccessToken = store.state.manifest?.requiresAccessToken === true;
  let done = files.length - queue.length;
  ctx.progress.setFiles(done, files.length);
  ctx.progress.setPhase('downloading');
  let next = 0;
  let diskError: DiskError | undefined;
  const placing = new Set<Promise<void>>();
  /** A file that could not be downloaded or put in place; a disk's refusal stops them all. */
  const fail = (i: number, e: unknown): boolean => {
    const rec = files[i];
    // a write refused while a file was being kept or put in place is the disk's problem too
    const disk = e instanceof DiskError ? e : isDiskError(e) ? new DiskError(e.code!, rec.name, `${rec.name}: ${e.code}: ${e.message}`) : undefined;
    if (disk) {
      diskError ??= disk;
      stop.abort();
      return true;
    }
    if (isCancellation(e)) throw e;
    // kept in the export's state and summary.json and shown in the Exports view: a server's
    // words can echo a key or token, so they go through the transport's masker first
    store.updateFile(i, { error: ctx.transport.masker.mask((e as Error).message) });
    ctx.logger.error(rec.error!);
    return false;
  };
  const worker = async () => {
    while (next < queue.length && !ctx.signal.aborted) {
      const i = queue[next++];
      const rec = files[i];
      const t0 = performance.now();
      try {
        const { placed } = await downloadFile(ctx, store, i, requiresAccessToken);
        // the next file starts while this one is closed, renamed and recorded
        const p: Promise<void> = placed.then(() => {
          done++;
          ctx.logger.info(`${rec.name}: ${rec.resources} ${rec.kind === 'error' ? 'reports' : 'resources'}, ${((rec.bytes ?? 0) / 1048576).toFixed(1)} MB in ${((performance.now() - t0) / 1000).toFixed(1)} s.`
            + (rec.warning ? ` ${rec.warning}` : ''));
          ctx.progress.setFiles(done, files.length);
        }, (e: unknown) => {
          fail(i, e);
        }).finally(() => placing.delete(p));
        placing.add(p);
      } catch (e) {
        if (fail(i, e)) return;
        ctx.progress.setFiles(done, files.length);
      }
    }
  };
  const results = await Promise.allSettled(Array.from({ length: Math.min(parallel, queue.length) }, worker));
  await Promise.allSettled([...placing]);
  if (diskError) throw diskError;
  const failed = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
  if (failed) throw failed.reason;
  if (ctx.signal.aborted) throw new CancelledError();
}
