import type { RequestAuth, Transport, TransportResponse } from '../api';
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
  signal?: AbortSignal;
  logger: Logger;
  progress: ProgressReporter;
  maxTries: number;
  retryBaseMs: number;
  maxPollWaitSeconds: number;
  minPollMs: number;
  timeoutSeconds: number;
}

/** Exponential backoff with equal jitter, capped at 15 s. */
export function backoffMs(ctx: RunContext, attempt: number): number {
  const step = Math.min(15_000, ctx.retryBaseMs * 2 ** Math.max(0, attempt - 1));
  return Math.round(step / 2 + (step / 2) * Math.random());
}

export function wait(ctx: RunContext, ms: number): Promise<void> {
  return sleep(ms, ctx.signal);
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
export async function failureOf(res: TransportResponse, retryAfterSeconds?: number): Promise<{ error: ApiError; transient: boolean }> {
  const raw = await readSmall(res);
  const error = errorFromBody(res.status, res.method, pathOf(res.url), raw, retryAfterSeconds);
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

/** Reads at most 64 KB of an error body; the rest is dropped. */
async function readSmall(res: TransportResponse): Promise<string> {
  const parts: Buffer[] = [];
  let size = 0;
  try {
    for await (const chunk of res.body as AsyncIterable<Buffer>) {
      parts.push(chunk);
      size += chunk.length;
      if (size > 65536) break;
    }
  } catch {
    // a broken error body still leaves the status to report
  } finally {
    res.body.destroy();
  }
  return Buffer.concat(parts).toString('utf8').slice(0, 65536);
}
