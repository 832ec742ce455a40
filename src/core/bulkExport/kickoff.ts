import { parseRetryAfter, type Transport } from '../api';
import type { FhirVersion } from '../environments';
import { ApiError, InputError, isCancellation, NetworkError } from '../errors';
import { isResourceType } from '../fhir/resourceTypes';
import { backoffMs, failureOf, originOf, pathOf, type RunContext, wait } from './context';
import { parseManifest } from './manifest';
import type { ExportRequest, Manifest } from './types';

const FHIR_JSON = 'application/fhir+json';
// instant (or date) as the Bulk Data IG's _since expects
const INSTANT = /^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2}))?$/;
// consecutive failed polls (network, 429, transient 5xx) before giving up
const MAX_POLL_FAILURES = 12;

/** Checks types and _since before anything is sent; answers the types to send (deduplicated). */
export function checkRequest(req: ExportRequest): string[] | undefined {
  const types = req.types?.map((t) => t.trim()).filter(Boolean);
  if (types?.length) {
    const unknown = types.filter((t) => !isResourceType(req.version, t));
    if (unknown.length) {
      throw new InputError(`Not ${req.version} resource types: ${unknown.slice(0, 5).join(', ')}${unknown.length > 5 ? '…' : ''}. Nothing was exported.`);
    }
  }
  if (req.since !== undefined && (!INSTANT.test(req.since) || Number.isNaN(Date.parse(req.since)))) {
    throw new InputError(`_since must be a FHIR instant such as 2024-01-31T00:00:00Z, not "${req.since.slice(0, 40)}".`);
  }
  return types?.length ? [...new Set(types)] : undefined;
}

export function kickoffUrl(transport: Transport, version: FhirVersion): string {
  return `${transport.bulkBase(version)}/$export`;
}

/** Starts the export: a manifest at once (1up's reference) or a status URL to poll (the spec's 202). */
export async function kickOff(ctx: RunContext, req: ExportRequest, types: string[] | undefined): Promise<{ manifest?: Manifest; statusUrl?: string }> {
  const url = kickoffUrl(ctx.transport, req.version);
  for (let attempt = 1; ; attempt++) {
    const res = await ctx.transport.request({
      method: 'GET', url, query: { _type: types?.join(','), _since: req.since }, accept: FHIR_JSON,
      headers: { prefer: 'respond-async' }, auth: ctx.auth, signal: ctx.signal, throwOnError: false,
    });
    const location = res.header('content-location');
    if (res.status === 202) {
      await res.dump();
      const statusUrl = location ? statusUrlFrom(ctx, location, url) : undefined;
      if (!statusUrl) throw new ApiError(202, 'GET', pathOf(url), 'The server accepted the export but gave no Content-Location to poll.');
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
    const retryAfter = parseRetryAfter(res.header('retry-after'), Date.now(), ctx.maxPollWaitSeconds);
    const { error, transient } = await failureOf(res, retryAfter);
    if (!transient || attempt >= ctx.maxTries) throw error;
    const ms = retryAfter !== undefined ? retryAfter * 1000 : backoffMs(ctx, attempt);
    ctx.logger.warn(`Kick-off answered ${res.status} (${error.message}); trying again in ${ms} ms.`);
    await wait(ctx, ms);
  }
}

/**
 * Polls the status URL until the manifest is ready, waiting as Retry-After asks (clamped),
 * slowing down on 429 and riding out network errors and transient 5xx answers.
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
    const retryAfter = parseRetryAfter(res.header('retry-after'), Date.now(), ctx.maxPollWaitSeconds);
    if (res.status === 200) return parseManifest(await res.json(), 'GET', pathOf(statusUrl), 200);
    if (res.status === 202) {
      await res.dump();
      failures = 0;
      ctx.progress.setPhase('waiting', cleanProgress(res.header('x-progress')));
      const ms = retryAfter !== undefined ? retryAfter * 1000 : interval;
      interval = Math.min(interval * 1.5, 30_000);
      await wait(ctx, Math.max(ctx.minPollMs, ms));
      continue;
    }
    const { error, transient } = await failureOf(res, retryAfter);
    if (res.status === 404 || res.status === 410) {
      throw new ApiError(res.status, 'GET', pathOf(statusUrl),
        `The server no longer knows this export (${res.status}): it expired or was cancelled. Start a new export. (${error.message})`, error.issues);
    }
    if (!transient || ++failures >= MAX_POLL_FAILURES) throw error;
    // 429 asks us to slow down for good, not just for this one poll
    if (res.status === 429) interval = Math.min(interval * 2, 60_000);
    const ms = Math.max(ctx.minPollMs, retryAfter !== undefined ? retryAfter * 1000 : Math.max(interval, backoffMs(ctx, failures)));
    ctx.logger.warn(`Status poll answered ${res.status} (${error.message}); polling again in ${ms} ms.`);
    await wait(ctx, ms);
  }
}

/** Asks the server to drop the job (DELETE on the status URL); never throws. */
export async function cancelJob(ctx: RunContext, statusUrl: string): Promise<boolean> {
  try {
    const res = await ctx.transport.request({
      method: 'DELETE', url: statusUrl, accept: FHIR_JSON, auth: ctx.auth, throwOnError: false, signal: AbortSignal.timeout(10_000),
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
    throw new ApiError(202, 'GET', pathOf(base), `The server's status URL is on another host (${originOf(url) ?? 'invalid URL'}); it was not polled.`);
  }
  return url;
}

function cleanProgress(text: string | undefined): string | undefined {
  const t = text?.replace(/[\u0000-\u001f\u007f]+/g, ' ').trim();
  return t ? t.slice(0, 120) : undefined;
}
