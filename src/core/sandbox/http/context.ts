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

const MAX_BODY = 16 * 1024 * 1024;

export class Ctx {
  readonly method: string;
  readonly url: URL;
  readonly path: string;
  readonly query: URLSearchParams;
  readonly started = performance.now();
  readonly family: Family;
  cut?: BodyCut;
  private body?: Promise<Buffer>;
  private received?: Buffer;

  constructor(readonly req: IncomingMessage, readonly res: ServerResponse, readonly base: string) {
    this.method = (req.method ?? 'GET').toUpperCase();
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
      this.req.on('data', (c: Buffer) => {
        size += c.length;
        if (size > MAX_BODY) {
          reject(new HttpError(413, `request body larger than ${MAX_BODY} bytes`));
          this.req.destroy();
        } else {
          chunks.push(c);
        }
      });
      this.req.on('end', () => resolve(this.received = Buffer.concat(chunks)));
      this.req.on('error', reject);
    });
    return this.body;
  }

  /** Query parameters and form, multipart or JSON body fields together (the body wins). */
  async params(): Promise<Record<string, string>> {
    const out: Record<string, string> = {};
    for (const [k, v] of this.query) out[k] ??= v;
    const body = await this.rawBody();
    if (!body.length) return out;
    const type = (this.header('content-type') ?? '').toLowerCase();
    if (type.includes('application/json')) {
      let v: unknown;
      try {
        v = JSON.parse(body.toString('utf8'));
      } catch {
        throw new HttpError(400, 'the request body is not valid JSON');
      }
      if (v && typeof v === 'object' && !Array.isArray(v)) {
        for (const [k, x] of Object.entries(v)) if (x !== null && typeof x !== 'object') out[k] = String(x);
      }
    } else if (type.includes('multipart/form-data')) {
      Object.assign(out, parseMultipart(body, boundaryOf(type)));
    } else {
      for (const [k, v] of new URLSearchParams(body.toString('utf8'))) out[k] = v;
    }
    return out;
  }

  /** A form body is read before routing, so the request log has its fields even when no handler reads them. */
  hasFormBody(): boolean {
    return /application\/x-www-form-urlencoded|multipart\/form-data/i.test(this.header('content-type') ?? '');
  }

  /** The fields of a body read so far, for the request log; undefined when none was read. */
  bodyFields(): { kind: BodyKind; fields: [string, string][] } | undefined {
    const body = this.received;
    if (!body?.length) return undefined;
    const type = (this.header('content-type') ?? '').toLowerCase();
    if (type.includes('json')) {
      try {
        const v: unknown = JSON.parse(body.toString('utf8'));
        return v && typeof v === 'object' && !Array.isArray(v) ? { kind: 'json', fields: Object.keys(v).map((k) => [k, '']) } : undefined;
      } catch {
        return undefined;
      }
    }
    if (type.includes('multipart/form-data')) return { kind: 'multipart', fields: Object.entries(parseMultipart(body, boundaryOf(type))) };
    if (type.includes('application/x-www-form-urlencoded')) return { kind: 'form', fields: [...new URLSearchParams(body.toString('utf8'))] };
    return undefined;
  }
}

function boundaryOf(type: string): RegExpExecArray | null {
  return /boundary=(?:"([^"]+)"|([^;]+))/i.exec(type);
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
