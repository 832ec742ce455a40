import * as l10n from '@vscode/l10n';
import { type RequestAuth, retryAfterMs, type Transport, type TransportResponse } from '../api';
import { errorFromBody } from '../api/response';
import { sleep } from '../api/retry';
import type { ApiError } from '../errors';
import { isOperationOutcome } from '../fhir/types';
import type { Logger } from '../log';
import type { ProgressReporter } from './progress';

/** What the parts of one export run share. */
export interface RunContext {
  transport: Transport;
  /** How the export server is called (kick-off, status, and files on its own origin). */
  auth: RequestAuth;
  /** Origin of the export server: the only place credentials go with file downloads. */
  exportOrigin: string;
  /** Fires on the user's cancel and when the run stops itself (a full disk). */
  signal: AbortSignal;
  logger: Logger;
  progress: ProgressReporter;
  maxTries: number;
  retryBaseMs: number;
  maxPollWaitMs: number;
  minPollMs: number;
  timeoutSeconds: number;
  minBytesPerSecond: number;
  throughputWindowMs: number;
  maxFileBytes: number;
  maxGzipRatio: number;
  /** Part files that may hold a start of their file: those on disk when the run began, and those tried since. */
  parts: Set<string>;
}

/** Exponential backoff with equal jitter, capped at 15 s. */
export function backoffMs(ctx: RunContext, attempt: number): number {
  const step = Math.min(15_000, ctx.retryBaseMs * 2 ** Math.max(0, attempt - 1));
  return Math.round(step / 2 + (step / 2) * Math.random());
}

export function wait(ctx: RunContext, ms: number): Promise<void> {
  return sleep(ms, ctx.signal);
}

/**
 * The wait a Retry-After asks for, in ms: a delay, an HTTP date, or an epoch time in seconds or
 * milliseconds, waited until then, never longer than `maxPollWaitMs`. Undefined when absent.
 */
export function retryAfter(ctx: RunContext, res: TransportResponse): number | undefined {
  const ms = retryAfterMs(res.header('retry-after'), Date.now());
  if (ms === undefined) return undefined;
  if (ms > ctx.maxPollWaitMs) {
    ctx.logger.warn(`The server asked to wait ${describeWait(ms)}; waiting ${describeWait(ctx.maxPollWaitMs)}, the longest allowed.`);
    return ctx.maxPollWaitMs;
  }
  return ms;
}

/** `12 KB`, `3.4 MB`, `1.2 GB` (for messages the user reads). */
export function formatBytes(n: number): string {
  if (n >= 1073741824) return l10n.t('{0} GB', (n / 1073741824).toFixed(1));
  if (n >= 1048576) return l10n.t('{0} MB', (n / 1048576).toFixed(1));
  return n < 1024 ? l10n.t('{0} bytes', n) : l10n.t('{0} KB', Math.round(n / 1024));
}

/** `45 s`, `12 min`, `3 h` (for the log, which stays English). */
export function describeWait(ms: number): string {
  if (ms < 120_000) return `${Math.round(ms / 1000)} s`;
  if (ms < 7_200_000) return `${Math.round(ms / 60_000)} min`;
  return `${Math.round(ms / 3_600_000)} h`;
}

export function originOf(url: string): string | undefined {
  try {
    return new URL(url).origin;
  } catch {
    return undefined;
  }
}

/** The path of a URL, for error messages (query values may be signatures or other secrets). */
export function pathOf(url: string): string {
  try {
    return new URL(url).pathname;
  } catch {
    return '';
  }
}

/** Reads a failed answer into an ApiError and says whether it is worth another try later. */
export async function failureOf(res: TransportResponse, retryAfterMsValue?: number): Promise<{ error: ApiError; transient: boolean }> {
  const raw = await readSmall(res);
  const seconds = retryAfterMsValue === undefined ? undefined : Math.ceil(retryAfterMsValue / 1000);
  const error = errorFromBody(res.status, res.method, pathOf(res.url), raw, seconds);
  let transient = res.status === 429 || res.status === 503 || res.status === 502 || res.status === 504;
  if (res.status >= 500 && !transient) {
    // the Bulk Data IG: a 5xx whose OperationOutcome says `transient` is a hiccup, not a failed export
    try {
      const body: unknown = JSON.parse(raw);
      transient = isOperationOutcome(body) && (body.issue ?? []).some((i) => i.code === 'transient');
    } catch {
      transient = false;
    }
  }
  return { error, transient };
}

const MAX_ERROR_BODY = 65536;

/** Reads at most 64 KB of an error body; the rest is dropped. */
async function readSmall(res: TransportResponse): Promise<string> {
  const parts: Buffer[] = [];
  let size = 0;
  try {
    for await (const chunk of res.body as AsyncIterable<Buffer>) {
      parts.push(chunk);
      size += chunk.length;
      if (size > MAX_ERROR_BODY) break;
    }
  } catch {
    // a broken error body still leaves the status to report
  } finally {
    res.body.destroy();
  }
  return Buffer.concat(parts).toString('utf8').slice(0, MAX_ERROR_BODY);
}
