import { STATUS_CODES } from 'node:http';
import type { Readable } from 'node:stream';
import { ApiError, CancelledError } from '../errors';
import { isOperationOutcome, issueTexts } from '../fhir/types';
import type { BodySink } from './directGet';
import type { Timeouts } from './dispatcher';
import { toNetworkError } from './netErrors';
import { maskUrlTokens } from './url';

export type Headers = Record<string, string | string[] | undefined>;

/** An answer whose body has not been read yet; read it once (json, text, or stream `body`), or `dump()` it. */
export interface TransportResponse {
  readonly status: number;
  readonly headers: Headers;
  /** The URL the request went to. */
  readonly url: string;
  readonly method: string;
  header(name: string): string | undefined;
  /** The parsed body; undefined when it is empty; ApiError when it is not JSON. */
  json<T>(): Promise<T | undefined>;
  text(): Promise<string>;
  /** The body as a stream. */
  readonly body: Readable;
  /**
   * Feeds the body to `sink` piece by piece and settles when the sink is done with the last one.
   * The pieces may be borrowed buffers, reused once the sink's promise settles: a sink that keeps
   * bytes longer copies them. Errors of the sink reach the caller as they are; connection
   * failures as NetworkError (CancelledError after an abort).
   */
  pump(sink: BodySink): Promise<void>;
  dump(): Promise<void>;
}

interface UndiciBody extends Readable {
  text(): Promise<string>;
  dump(opts?: { limit: number }): Promise<void>;
  /** Only direct answers (directGet.ts) have it. */
  pump?(sink: BodySink, mapError: (e: Error) => Error): Promise<void>;
}

/** What a response wrapper needs to turn read failures into the client's errors. */
export interface ResponseContext {
  method: string;
  url: URL;
  logPath: string;
  timeouts: Timeouts;
  signal?: AbortSignal;
}

export function wrapResponse(status: number, headers: Headers, body: UndiciBody, ctx: ResponseContext): TransportResponse {
  const readError = (e: unknown): Error => (ctx.signal?.aborted ? new CancelledError() : toNetworkError(e, ctx.url, ctx.timeouts));
  const mapRead = (e: unknown): never => {
    throw readError(e);
  };
  const text = () => body.text().catch(mapRead);
  return {
    status,
    headers,
    url: ctx.url.href,
    method: ctx.method,
    header: (name) => firstHeader(headers, name),
    text,
    body,
    dump: () => body.dump({ limit: 1 << 20 }).catch(() => undefined),
    pump: (sink) => (body.pump ? body.pump(sink, readError) : pumpStream(body, sink, readError)),
    async json<T>() {
      const raw = await text();
      return parseJson<T>(raw, status, firstHeader(headers, 'content-type'), ctx);
    },
  };
}

/** `pump` over a stream body: each piece goes to the sink, the next is read when the sink is done. */
async function pumpStream(body: Readable, sink: BodySink, readError: (e: unknown) => Error): Promise<void> {
  const pieces = body[Symbol.asyncIterator]() as AsyncIterator<Buffer>;
  try {
    for (;;) {
      let next: IteratorResult<Buffer>;
      try {
        next = await pieces.next();
      } catch (e) {
        throw readError(e);
      }
      if (next.done) return;
      await sink(next.value);
    }
  } finally {
    body.destroy();
  }
}

export function firstHeader(headers: Headers, name: string): string | undefined {
  const v = headers[name.toLowerCase()];
  return Array.isArray(v) ? v[0] : v;
}

export function parseJson<T>(raw: string, status: number, contentType: string | undefined, ctx: Pick<ResponseContext, 'method' | 'logPath'>): T | undefined {
  if (!raw.trim()) return undefined;
  try {
    return JSON.parse(raw) as T;
  } catch {
    // never echo the body: it may hold patient data
    const what = contentType ? contentType.split(';')[0] : 'no Content-Type';
    throw new ApiError(status, ctx.method, ctx.logPath,
      `The server answered ${status} with a body that is not valid JSON (${what}, ${Buffer.byteLength(raw)} bytes).`);
  }
}

/**
 * The message a failed answer carries: 1up's `{error}` text (with `error_description`), an
 * OperationOutcome's issue texts, a `message`, a plain-text body as it came (`Too many files`),
 * or the status text. `mask` hides known secrets in the message (the transport's log masker);
 * the path's token-like segments are masked too.
 */
export function errorFromBody(status: number, method: string, path: string, raw: string, retryAfterSeconds?: number, mask: (text: string) => string = (t) => t): ApiError {
  const fallback = `${status} ${STATUS_CODES[status] ?? 'error'}`;
  let body: unknown;
  let plain: string | undefined;
  try {
    body = raw.trim() ? JSON.parse(raw) : undefined;
  } catch {
    body = undefined;
    plain = plainText(raw);
  }
  let message = plain ?? fallback;
  let issues: { severity?: string; code?: string; text: string }[] = [];
  if (isOperationOutcome(body)) {
    const texts = issueTexts(body);
    issues = (body.issue ?? []).map((i, n) => ({ severity: i.severity, code: i.code, text: texts[n] }));
    if (texts.length) message = texts.join('; ');
  } else if (typeof body === 'string' && body.trim()) {
    // a JSON string: `"Too many files"`
    message = plainText(body) ?? fallback;
  } else if (body && typeof body === 'object') {
    const b = body as { error?: unknown; error_description?: unknown; message?: unknown };
    const err = typeof b.error === 'string' ? b.error
      : b.error && typeof b.error === 'object' && typeof (b.error as { message?: unknown }).message === 'string' ? (b.error as { message: string }).message
        : undefined;
    const desc = typeof b.error_description === 'string' ? b.error_description : undefined;
    if (err && desc) message = `${err}: ${desc}`;
    else if (err || desc) message = (err ?? desc) as string;
    else if (typeof b.message === 'string') message = b.message;
  }
  return new ApiError(status, method, maskUrlTokens(path), mask(message), issues.map((i) => ({ ...i, text: mask(i.text) })), retryAfterSeconds);
}

const MAX_PLAIN = 300;

/** A short plain-text error body, whitespace collapsed; not an HTML page (those say nothing readable). */
function plainText(raw: string): string | undefined {
  const t = raw.replace(/\s+/g, ' ').trim();
  if (!t || /^<(!doctype|html|\?xml|[a-z][\w-]*[\s>])/i.test(t) || /[\u0000-\u0008\u000e-\u001f\u007f]/.test(t)) return undefined;
  return t.length > MAX_PLAIN ? `${t.slice(0, MAX_PLAIN)}…` : t;
}
