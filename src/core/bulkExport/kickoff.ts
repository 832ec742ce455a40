import * as l10n from '@vscode/l10n';
import { ApiError, isCancellation, NetworkError } from '../errors';
import { backoffMs, describeWait, failureOf, originOf, pathOf, retryAfter, type RunContext, wait } from './context';
import { parseManifest } from './manifest';
import { type CheckedRequest, kickoffQuery } from './request';
import type { Manifest } from './types';

const FHIR_JSON = 'application/fhir+json';
// consecutive failed polls (network, 429, transient 5xx) before giving up
const MAX_POLL_FAILURES = 12;

/**
 * Starts the export: a manifest at once (1up's reference) or a status URL to poll (the spec's
 * 202). The transport does not retry these requests itself (`retry: false`): the engine's tries
 * are the one budget, so a flaky kick-off costs `maxTries` requests, not `maxTries` × the
 * transport's.
 */
export async function kickOff(ctx: RunContext, url: string, req: CheckedRequest): Promise<{ manifest?: Manifest; statusUrl?: string }> {
  for (let attempt = 1; ; attempt++) {
    let res;
    try {
      res = await ctx.transport.request({
        method: 'GET', url, query: kickoffQuery(req), accept: FHIR_JSON,
        headers: { prefer: 'respond-async' }, auth: ctx.auth, signal: ctx.signal, throwOnError: false, retry: false,
      });
    } catch (e) {
      if (isCancellation(e) || !(e instanceof NetworkError) || attempt >= ctx.maxTries) throw e;
      const ms = backoffMs(ctx, attempt);
      ctx.logger.warn(`Kick-off failed (${e.code}); trying again in ${ms} ms.`);
      await wait(ctx, ms);
      continue;
    }
    const location = res.header('content-location');
    if (res.status === 202) {
      await res.dump();
      const statusUrl = location ? statusUrlFrom(ctx, location, url) : undefined;
      if (!statusUrl) throw new ApiError(202, 'GET', pathOf(url), l10n.t('The server accepted the export but gave no Content-Location to poll.'));
      ctx.logger.info('The server is preparing the export (202 Accepted); polling its status URL.');
      return { statusUrl };
    }
    if (res.status === 200) {
      const manifest = parseManifest(await res.json(), 'GET', pathOf(url), 200);
      ctx.logger.info(`The server answered the kick-off with its manifest: ${manifest.output.length} files.`);
      // a direct answer needs no status URL; keep one only if it is the export server's own
      const statusUrl = location && originOf(ctx.transport.resolve(location, url)) === ctx.exportOrigin ? ctx.transport.resolve(location, url) : undefined;
      return { manifest, statusUrl };
    }
    const after = retryAfter(ctx, res);
    const { error, transient } = await failureOf(res, after);
    if (!transient || attempt >= ctx.maxTries) throw error;
    const ms = after ?? backoffMs(ctx, attempt);
    ctx.logger.warn(`Kick-off answered ${res.status} (${error.message}); trying again in ${describeWait(ms)}.`);
    await wait(ctx, ms);
  }
}

/**
 * Polls the status URL until the manifest is ready, waiting as Retry-After asks (a delay or a
 * point in time, up to `maxPollWaitMs`), slowing down on 429 and riding out network errors and
 * transient 5xx answers (one budget: the transport does not retry polls).
 */
export async function waitForManifest(ctx: RunContext, statusUrl: string): Promise<Manifest> {
  let interval = 1000;
  let failures = 0;
  for (;;) {
    let res;
    try {
      res = await ctx.transport.request({ method: 'GET', url: statusUrl, accept: FHIR_JSON, auth: ctx.auth, signal: ctx.signal, throwOnError: false, retry: false });
    } catch (e) {
      if (isCancellation(e) || !(e instanceof NetworkError) || ++failures >= MAX_POLL_FAILURES) throw e;
      const ms = backoffMs(ctx, failures);
      ctx.logger.warn(`Status poll failed (${e.code}); trying again in ${ms} ms.`);
      await wait(ctx, ms);
      continue;
    }
    const after = retryAfter(ctx, res);
    if (res.status === 200) return parseManifest(await res.json(), 'GET', pathOf(statusUrl), 200);
    if (res.status === 202) {
      await res.dump();
      failures = 0;
      const ms = Math.max(ctx.minPollMs, after ?? interval);
      const until = after !== undefined && after >= 60_000
        ? l10n.t({ message: 'next check at {0}', args: [new Date(Date.now() + ms).toLocaleTimeString()], comment: ['shown while waiting for the server to prepare an export; {0}: a time of day'] })
        : undefined;
      ctx.progress.setPhase('waiting', [cleanProgress(res.header('x-progress')), until].filter(Boolean).join(', ') || undefined);
      interval = Math.min(interval * 1.5, 30_000);
      await wait(ctx, ms);
      continue;
    }
    const { error, transient } = await failureOf(res, after);
    if (res.status === 404 || res.status === 410) {
      throw new ApiError(res.status, 'GET', pathOf(statusUrl),
        l10n.t({ message: 'The server no longer knows this export ({0}): it expired or was cancelled. Start a new export. ({1})', args: [res.status, error.message], comment: ['{0}: an HTTP status (404 or 410); {1}: the server\'s message'] }), error.issues);
    }
    if (!transient || ++failures >= MAX_POLL_FAILURES) throw error;
    // 429 asks us to slow down for good, not just for this one poll
    if (res.status === 429) interval = Math.min(interval * 2, 60_000);
    const ms = Math.max(ctx.minPollMs, after ?? Math.max(interval, backoffMs(ctx, failures)));
    ctx.logger.warn(`Status poll answered ${res.status} (${error.message}); polling again in ${describeWait(ms)}.`);
    await wait(ctx, ms);
  }
}

/** Asks the server to drop the job (DELETE on the status URL); never throws. */
export async function cancelJob(ctx: RunContext, statusUrl: string): Promise<boolean> {
  try {
    const res = await ctx.transport.request({
      method: 'DELETE', url: statusUrl, accept: FHIR_JSON, auth: ctx.auth, throwOnError: false, retry: false, signal: AbortSignal.timeout(10_000),
    });
    await res.dump();
    ctx.logger.info(`Cancelled the export on the server (DELETE → ${res.status}).`);
    return res.status < 300 || res.status === 404;
  } catch (e) {
    ctx.logger.warn(`Could not cancel the export on the server: ${(e as Error).message}`);
    return false;
  }
}

function statusUrlFrom(ctx: RunContext, location: string, base: string): string {
  const url = ctx.transport.resolve(location, base);
  // the status URL gets our credentials: it must be the export server itself
  if (originOf(url) !== ctx.exportOrigin) {
    const origin = originOf(url);
    throw new ApiError(202, 'GET', pathOf(base), origin
      ? l10n.t({ message: 'The server\'s status URL is on another host ({0}); it was not polled.', args: [origin], comment: ['{0}: the other host (an origin such as https://example.com)'] })
      : l10n.t('The server\'s status URL is on another host (invalid URL); it was not polled.'));
  }
  return url;
}

function cleanProgress(text: string | undefined): string | undefined {
  const t = text?.replace(/[\u0000-\u001f\u007f]+/g, ' ').trim();
  return t ? t.slice(0, 120) : undefined;
}
