import * as l10n from '@vscode/l10n';
import { STATUS_CODES } from 'node:http';
import type { Readable } from 'node:stream';
import { ApiError, CancelledError, NetworkError } from '../errors';
import { isOperationOutcome, issueTexts } from '../fhir/types';
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
  /**
   * The parsed body; undefined when it is empty; ApiError when it is not JSON; NetworkError
   * `RESPONSE_TOO_LARGE` (read no further) when it passes the size limit.
   */
  json<T>(): Promise<T | undefined>;
  /** The body as text, within the same size limit. */
  text(): Promise<string>;
  /** At most `limit` bytes of the body as text (the rest is dropped): for error messages. */
  head(limit: number): Promise<string>;
  /** The body as a stream (undici's: reading it pauses the socket, so `pipeline` gives backpressure). */
  readonly body: Readable;
  dump(): Promise<void>;
}

interface UndiciBody extends Readable {
  text(): Promise<string>;
  dump(opts?: { limit: number }): Promise<void>;
}

/** What a response wrapper needs to turn read failures into the client's errors. */
export interface ResponseContext {
  method: string;
  url: URL;
  logPath: string;
  timeouts: Timeouts;
  signal?: AbortSignal;
  /** Largest body `json()` / `text()` read (default 64 MiB). */
  maxBytes?: number;
}

export const DEFAULT_MAX_RESPONSE_BYTES = 64 * 1024 * 1024;
export const MAX_RESPONSE_SETTING = 'oneup.maxResponseSizeMB';

function sizeText(bytes: number): string {
  return bytes >= 1024 * 1024 ? l10n.t('{0} MB', Math.round(bytes / (1024 * 1024))) : l10n.t('{0} KB', Math.round(bytes / 1024));
}

/** The error of an answer past the size limit: names the (masked) URL and the setting. */
export function tooLarge(method: string, where: string, limit: number, announced?: number): NetworkError {
  const message = announced !== undefined
    ? l10n.t({ message: 'The answer to {0} {1} is {2} (Content-Length), over the {3} limit; it was not read.', args: [method, where, sizeText(announced), sizeText(limit)], comment: ['{0} {1}: an HTTP method and URL; {2} and {3}: sizes such as 64 MB'] })
    : l10n.t({ message: 'The answer to {0} {1} is more than {2}, over the {2} limit; it was not read.', args: [method, where, sizeText(limit)], comment: ['{0} {1}: an HTTP method and URL; {2}: a size such as 64 MB'] });
  return new NetworkError('RESPONSE_TOO_LARGE', message, l10n.t('If the answer is expected to be that large, raise the {0} setting.', `\`${MAX_RESPONSE_SETTING}\``));
}

/**
 * Reads a body into memory while counting: past `limit` bytes it stops, destroys the stream (the
 * connection is not drained) and either throws `over()` or, without it, answers what it has.
 */
export async function readCapped(body: Readable, limit: number, over?: () => Error): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  try {
    for await (const chunk of body as AsyncIterable<Buffer>) {
      if (size + chunk.length > limit) {
        if (over) throw over();
        chunks.push(chunk.subarray(0, limit - size));
        size = limit;
        break;
      }
      chunks.push(chunk);
      size += chunk.length;
    }
  } finally {
    if (!body.readableEnded) body.destroy();
  }
  return Buffer.concat(chunks, size);
}

/** UTF-8 text of a body, without a byte-order mark (undici's `text()` drops it too). */
function decode(bytes: Buffer): string {
  const text = bytes.toString('utf8');
  return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
}

export function wrapResponse(status: number, headers: Headers, body: UndiciBody, ctx: ResponseContext): TransportResponse {
  const readError = (e: unknown): Error => (ctx.signal?.aborted ? new CancelledError() : toNetworkError(e, ctx.url, ctx.timeouts));
  const mapRead = (e: unknown): never => {
    throw readError(e);
  };
  const limit = ctx.maxBytes ?? DEFAULT_MAX_RESPONSE_BYTES;
  const where = `${ctx.url.origin}${ctx.logPath}`;
  const over = () => tooLarge(ctx.method, where, limit);
  const text = async () => {
    const announced = Number(firstHeader(headers, 'content-length'));
    if (Number.isFinite(announced) && announced > limit) {
      body.destroy();
      throw tooLarge(ctx.method, where, limit, announced);
    }
    return decode(await readCapped(body, limit, over).catch((e: unknown) => {
      if (e instanceof NetworkError && e.code === 'RESPONSE_TOO_LARGE') throw e;
      return mapRead(e);
    }));
  };
  return {
    status,
    headers,
    url: ctx.url.href,
    method: ctx.method,
    header: (name) => firstHeader(headers, name),
    text,
    head: async (n) => decode(await readCapped(body, n).catch(mapRead)),
    body,
    dump: () => body.dump({ limit: 1 << 20 }).catch(() => undefined),
    async json<T>() {
      const raw = await text();
      return parseJson<T>(raw, status, firstHeader(headers, 'content-type'), ctx);
    },
  };
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
    const bytes = Buffer.byteLength(raw);
    throw new ApiError(status, ctx.method, ctx.logPath, contentType
      ? l10n.t({ message: 'The server answered {0} with a body that is not valid JSON ({1}, {2} bytes).', args: [status, contentType.split(';')[0], bytes], comment: ['{0}: an HTTP status; {1}: a media type such as text/html; {2}: a number'] })
      : l10n.t({ message: 'The server answered {0} with a body that is not valid JSON (no Content-Type, {1} bytes).', args: [status, bytes], comment: ['{0}: an HTTP status; {1}: a number'] }));
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
