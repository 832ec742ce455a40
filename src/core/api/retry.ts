import { CancelledError } from '../errors';

/** Statuses worth another try of an idempotent request: rate limited or a gateway/server hiccup. */
export const RETRY_STATUSES: ReadonlySet<number> = new Set([429, 502, 503, 504]);
const IDEMPOTENT: ReadonlySet<string> = new Set(['GET', 'HEAD', 'OPTIONS', 'PUT', 'DELETE']);

export function isIdempotent(method: string): boolean {
  return IDEMPOTENT.has(method.toUpperCase());
}

/** The default ceiling on a server's Retry-After: long enough for 1up's limits, short enough for a UI. */
export const MAX_RETRY_AFTER_SECONDS = 60;

// a bare number this large is not a delay (1e9 s is 31 years) but a point in time that some
// servers send: epoch seconds from 1e9 (Sept 2001) and epoch milliseconds from 1e12 (same instant)
const EPOCH_SECONDS = 1e9;
const EPOCH_MILLISECONDS = 1e12;

/**
 * Milliseconds a `Retry-After` header asks to wait from `now`, unclamped (never negative): delta
 * seconds, an HTTP date, or an absolute epoch time in seconds or milliseconds (which some servers
 * send where seconds belong). Undefined when the header is absent or unreadable.
 */
export function retryAfterMs(value: string | string[] | undefined, now: number): number | undefined {
  const raw = Array.isArray(value) ? value[0] : value;
  const text = raw?.trim();
  if (!text) return undefined;
  let at: number;
  if (/^\d+(\.\d+)?$/.test(text)) {
    const n = Number(text);
    if (n < EPOCH_SECONDS) return Math.round(n * 1000);
    at = n < EPOCH_MILLISECONDS ? n * 1000 : n;
  } else {
    at = Date.parse(text);
    if (Number.isNaN(at)) return undefined;
  }
  return Math.max(0, Math.ceil(at - now));
}

/**
 * Seconds a `Retry-After` header asks for (see `retryAfterMs`), clamped to [0, maxSeconds]: a
 * far-off date must not make us sleep for decades. Undefined when absent or unreadable.
 */
export function parseRetryAfter(value: string | string[] | undefined, now: number, maxSeconds = MAX_RETRY_AFTER_SECONDS): number | undefined {
  const ms = retryAfterMs(value, now);
  return ms === undefined ? undefined : Math.min(maxSeconds, Math.ceil(ms / 1000));
}

export interface BackoffOptions {
  baseMs: number;
  capMs: number;
  random: () => number;
}

/** Exponential backoff with "equal jitter": half the step is fixed, half random, so clients spread out. */
export function backoffMs(attempt: number, o: BackoffOptions): number {
  const step = Math.min(o.capMs, o.baseMs * 2 ** Math.max(0, attempt - 1));
  return Math.round(step / 2 + (step / 2) * o.random());
}

/** Waits `ms`, or rejects with CancelledError as soon as the signal fires. */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(new CancelledError());
    const onAbort = () => {
      clearTimeout(timer);
      reject(new CancelledError());
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}
