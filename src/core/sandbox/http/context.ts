import type { IncomingMessage, ServerResponse } from 'node:http';
import type { IssueCode } from '../fhir/outcome';
import type { BodyKind } from '../services';

/** How a request's generic errors (404, 405, faults, 500) are shaped. */
export type Family = 'fhir' | 'json' | 'html';

/** A fault that cuts the answer's body: reset (RST) or truncated (FIN) after some bytes. */
export interface BodyCut { kind: 'reset' | 'truncate'; afterBytes: number }

/** Thrown by handlers; the server answers it in the request's family (OperationOutcome or `{error}`). */
export class HttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly headers: Record<string, string> = {},
    /** OperationOutcome issue code when the status alone does not say it */
    readonly issueCode?: IssueCode,
  ) {
    super(message);
  }
}

/** The largest request body the sandbox reads; past it the answer is 413. */
export const MAX_BODY = 16 * 1024 * 1024;
// bytes of an oversized body read and thrown away so the 413 reaches the client before the close
const MAX_DISCARD = 4 * MAX_BODY;

export class Ctx {
  /** What the handler acts on: HEAD is answered as GET, without a body (`head`). */
  readonly method: string;
  /** The method on the wire (HEAD stays HEAD), for logs and faults. */
  readonly wireMethod: string;
  readonly head: boolean;
  readonly url: URL;
  readonly path: string;
  readonly query: URLSearchParams;
  readonly started = performance.now();
  readonly family: Family;
  cut?: BodyCut;
  private body?: Promise<Buffer>;
  private received?: Buffer;

  constructor(readonly req: IncomingMessage, readonly res: ServerResponse, readonly base: string) {
    this.wireMethod = (req.method ?? 'GET').toUpperCase();
    this.head = this.wireMethod === 'HEAD';
    this.method = this.head ? 'GET' : this.wireMethod;
    this.url = new URL(req.url ?? '/', base);
    this.path = decodePath(this.url.pathname).replace(/\/{2,}/g, '/').replace(/(.)\/$/, '$1');
    this.query = this.url.searchParams;
    this.family = familyOf(this.path);
  }

  header(name: string): string | undefined {
    const v = this.req.headers[name.toLowerCase()];
    return Array.isArray(v) ? v[0] : v;
  }

  rawBody(): Promise<Buffer> {
    this.body ??= new Promise<Buffer>((resolve, reject) => {
      const chunks: Buffer[] = [];
      let size = 0;
      let over = false;
      this.req.on('data', (c: Buffer) => {
        size += c.length;
        if (over) {
          // the 413 is on its way: keep reading (and dropping) so the client sees it, not a reset
          if (size > MAX_BODY + MAX_DISCARD) this.req.destroy();
          return;
        }
        if (size > MAX_BODY) {
          over = true;
          chunks.length = 0;
          reject(new HttpError(413, `the request body is larger than ${MAX_BODY} bytes`, {}, 'too-costly'));
        } else {
          chunks.push(c);
        }
      });
      this.req.on('end', () => resolve(this.received = Buffer.concat(chunks)));
      this.req.on('error', reject);
    });
    return this.body;
  }

  /** What kind of body this is by its Content-Type (undefined: a type the sandbox does not read). */
  bodyKind(): BodyKind | undefined {
    const type = (this.header('content-type') ?? '').split(';')[0].trim().toLowerCase();
    if (type === 'application/json' || /^application\/[a-z0-9.+-]*\+json$/.test(type)) return 'json';
    if (type === 'application/x-www-form-urlencoded') return 'form';
    if (type === 'multipart/form-data') return 'multipart';
    return undefined;
  }

  /** The body as JSON; 415 unless it is sent as JSON, 400 when it does not parse. */
  async json(): Promise<unknown> {
    const body = await this.rawBody();
    if (this.bodyKind() !== 'json') {
      throw new HttpError(415, `send the resource as application/fhir+json or application/json, not ${this.header('content-type') ?? 'without a Content-Type'}`);
    }
    return parseJson(body);
  }

  /** Query parameters and form, multipart or JSON body fields together (the body wins). */
  async params(): Promise<Record<string, string>> {
    const out: Record<string, string> = {};
    for (const [k, v] of this.query) out[k] ??= v;
    const body = await this.rawBody();
    if (!body.length) return out;
    const kind = this.bodyKind();
    if (kind === 'json') {
      const v = parseJson(body);
      if (v && typeof v === 'object' && !Array.isArray(v)) {
        for (const [k, x] of Object.entries(v)) if (x !== null && typeof x !== 'object') out[k] = String(x);
      }
    } else if (kind === 'multipart') {
      Object.assign(out, parseMultipart(body, boundaryOf(this.header('content-type') ?? '')));
    } else if (kind === 'form') {
      for (const [k, v] of new URLSearchParams(body.toString('utf8'))) out[k] = v;
    } else {
      // a text/plain form from a web page must not pass for a real one
      throw new HttpError(415, `send fields as application/x-www-form-urlencoded, multipart/form-data or JSON, not ${this.header('content-type') ?? 'without a Content-Type'}`);
    }
    return out;
  }

  /** A form body is read before routing, so the request log has its fields even when no handler reads them. */
  hasFormBody(): boolean {
    const kind = this.bodyKind();
    return kind === 'form' || kind === 'multipart';
  }

  /** The fields of a body read so far, for the request log; undefined when none was read. */
  bodyFields(): { kind: BodyKind; fields: [string, string][] } | undefined {
    const body = this.received;
    if (!body?.length) return undefined;
    const type = (this.header('content-type') ?? '').toLowerCase();
    const kind = this.bodyKind();
    if (kind === 'json') {
      try {
        const v: unknown = JSON.parse(body.toString('utf8'));
        return v && typeof v === 'object' && !Array.isArray(v) ? { kind: 'json', fields: Object.keys(v).map((k) => [k, '']) } : undefined;
      } catch {
        return undefined;
      }
    }
    if (kind === 'multipart') return { kind, fields: Object.entries(parseMultipart(body, boundaryOf(type))) };
    if (kind === 'form') return { kind, fields: [...new URLSearchParams(body.toString('utf8'))] };
    return undefined;
  }
}

function boundaryOf(type: string): RegExpExecArray | null {
  return /boundary=(?:"([^"]+)"|([^;]+))/i.exec(type);
}

/** FHIR resources are a few dozen levels deep at most; deeper input is refused before anything walks it. */
export const MAX_JSON_DEPTH = 100;

function parseJson(body: Buffer): unknown {
  let v: unknown;
  try {
    v = JSON.parse(body.toString('utf8'));
  } catch {
    throw new HttpError(400, 'the request body is not valid JSON');
  }
  if (depthOver(v, MAX_JSON_DEPTH)) throw new HttpError(400, `the JSON body is nested deeper than ${MAX_JSON_DEPTH} levels`);
  return v;
}

/** Whether a parsed JSON value nests deeper than `max` (iterative: no stack to overflow). */
export function depthOver(root: unknown, max: number): boolean {
  const stack: [unknown, number][] = [[root, 0]];
  while (stack.length) {
    const [v, d] = stack.pop()!;
    if (!v || typeof v !== 'object') continue;
    if (d >= max) return true;
    for (const x of Array.isArray(v) ? v : Object.values(v)) if (x && typeof x === 'object') stack.push([x, d + 1]);
  }
  return false;
}

/** `%24everything` and `$everything` are the same path. */
function decodePath(p: string): string {
  try {
    return decodeURIComponent(p);
  } catch {
    return p;
  }
}

function familyOf(path: string): Family {
  if (/^\/(fhir\/)?(dstu2|stu3|r4)(\/|$)/.test(path) || path.startsWith('/bulk-data/') || path.startsWith('/connect/system/provider')) return 'fhir';
  if (path === '/connect' || path.startsWith('/connect/marketplace') || /^\/connect\/system\/clinical\/[^/]+/.test(path) || path.startsWith('/connect/connected')) return 'html';
  return 'json';
}

/** Text fields of a multipart/form-data body (files are not expected here). */
function parseMultipart(body: Buffer, boundaryMatch: RegExpExecArray | null): Record<string, string> {
  const out: Record<string, string> = {};
  if (!boundaryMatch) return out;
  const boundary = `--${(boundaryMatch[1] ?? boundaryMatch[2]).trim()}`;
  for (const part of body.toString('utf8').split(boundary).slice(1)) {
    if (part.startsWith('--')) break;
    const split = part.indexOf('\r\n\r\n');
    if (split < 0) continue;
    const name = /name="([^"]*)"/i.exec(part.slice(0, split))?.[1];
    if (name) out[name] = part.slice(split + 4).replace(/\r\n$/, '');
  }
  return out;
}

export type Handler = (ctx: Ctx, match: RegExpExecArray) => Promise<void> | void;
export type { ServerResponse };
