// The small part of HTTP/1.1 a file download needs (see directGet.ts): the request head, the
// response head, and the body's framing (Content-Length, chunked, or up to the close). Errors
// carry undici's codes, so the Transport maps them as it maps undici's.
import type { Headers } from './response';

export const MAX_HEAD_BYTES = 64 * 1024;
const MAX_CHUNK_LINE = 4096;
const TOKEN = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;

export function wireError(code: string, message: string): Error {
  return Object.assign(new Error(message), { code });
}

/** `GET path` on a connection that closes after the answer; refuses what would split the request. */
export function requestHead(url: URL, path: string, headers: Record<string, string>): string {
  const lines = [`GET ${path} HTTP/1.1`, `host: ${url.host}`];
  for (const [k, v] of Object.entries(headers)) {
    const name = k.toLowerCase();
    if (name === 'host' || name === 'connection' || name === 'content-length' || name === 'transfer-encoding') continue;
    if (!TOKEN.test(k) || /[\r\n\0]/.test(v)) throw wireError('UND_ERR_INVALID_ARG', `invalid header ${JSON.stringify(k)}`);
    lines.push(`${name}: ${v}`);
  }
  if (/[\s\0]/.test(path)) throw wireError('UND_ERR_INVALID_ARG', 'invalid request path');
  lines.push('connection: close', '', '');
  return lines.join('\r\n');
}

/** The status line and headers (without the blank line that ends them). */
export function parseHead(text: string): { status: number; headers: Headers } {
  const lines = text.split('\r\n');
  const m = /^HTTP\/1\.[01] (\d{3})(?: .*)?$/.exec(lines[0]);
  if (!m) throw wireError('HPE_INVALID_CONSTANT', 'the answer is not HTTP/1.1');
  const headers: Headers = {};
  for (const line of lines.slice(1)) {
    const h = /^([^:\s]+):[ \t]*(.*?)[ \t]*$/.exec(line);
    if (!h || !TOKEN.test(h[1])) throw wireError('HPE_INVALID_HEADER_TOKEN', 'an answer header is malformed');
    const name = h[1].toLowerCase();
    const prev = headers[name];
    headers[name] = prev === undefined ? h[2] : Array.isArray(prev) ? [...prev, h[2]] : [prev, h[2]];
  }
  return { status: Number(m[1]), headers };
}

/**
 * Finds the body in what follows the head: `feed` hands on the body bytes of each read and says
 * when the body is complete. A body framed by the close is complete when the connection ends.
 */
export class BodyFramer {
  private remaining: number;
  private chunkState: 'size' | 'data' | 'data-end' | 'trailer' = 'size';
  private line = '';
  private complete: boolean;

  private constructor(readonly kind: 'length' | 'chunked' | 'close' | 'none', length = 0) {
    this.remaining = length;
    this.complete = kind === 'none' || (kind === 'length' && length === 0);
  }

  /** RFC 9112 6.3, for the answer to a GET. */
  static of(status: number, headers: Headers): BodyFramer {
    if (status === 204 || status === 304) return new BodyFramer('none');
    const te = headers['transfer-encoding'];
    if (te !== undefined) {
      const codings = (Array.isArray(te) ? te.join(',') : te).split(',').map((s) => s.trim().toLowerCase()).filter(Boolean);
      // chunked last frames the body; otherwise the body runs to the close (and wins over a Content-Length)
      return new BodyFramer(codings[codings.length - 1] === 'chunked' ? 'chunked' : 'close');
    }
    const cl = headers['content-length'];
    if (cl !== undefined) {
      const values = [...new Set((Array.isArray(cl) ? cl.join(',') : cl).split(',').map((s) => s.trim()))];
      if (values.length !== 1 || !/^\d{1,15}$/.test(values[0])) throw wireError('UND_ERR_RES_CONTENT_LENGTH_MISMATCH', 'the answer has an invalid Content-Length');
      return new BodyFramer('length', Number(values[0]));
    }
    return new BodyFramer('close');
  }

  /** Whether the body has ended (bytes after it are ignored). */
  get done(): boolean {
    return this.complete;
  }

  /** Hands the body bytes of b[from, to) to `onData` (in order); stops early when it answers false. */
  feed(b: Buffer, from: number, to: number, onData: (from: number, to: number) => boolean): void {
    if (this.complete) return;
    if (this.kind === 'close') {
      if (to > from) onData(from, to);
    } else if (this.kind === 'length') {
      const take = Math.min(this.remaining, to - from);
      this.remaining -= take;
      if (take > 0) onData(from, from + take);
      this.complete = this.remaining === 0;
    } else if (this.kind === 'chunked') {
      this.chunked(b, from, to, onData);
    }
  }

  private chunked(b: Buffer, from: number, to: number, onData: (from: number, to: number) => boolean): void {
    let i = from;
    while (i < to && !this.complete) {
      if (this.chunkState === 'data') {
        const take = Math.min(this.remaining, to - i);
        this.remaining -= take;
        if (this.remaining === 0) this.chunkState = 'data-end';
        if (!onData(i, i + take)) return;
        i += take;
        continue;
      }
      const nl = b.indexOf(10, i);
      const stop = nl < 0 || nl >= to ? to : nl;
      this.line += b.toString('latin1', i, stop);
      if (this.line.length > MAX_CHUNK_LINE) throw wireError('HPE_INVALID_CHUNK_SIZE', 'a chunk header line is too long');
      if (stop === to) return;
      i = stop + 1;
      const line = this.line.replace(/\r$/, '');
      this.line = '';
      if (this.chunkState === 'data-end') {
        if (line !== '') throw wireError('HPE_INVALID_CHUNK_SIZE', 'a chunk did not end where its size said');
        this.chunkState = 'size';
      } else if (this.chunkState === 'size') {
        const m = /^([0-9a-fA-F]{1,15})[ \t]*(?:;.*)?$/.exec(line);
        if (!m) throw wireError('HPE_INVALID_CHUNK_SIZE', 'invalid chunk size');
        this.remaining = parseInt(m[1], 16);
        this.chunkState = this.remaining === 0 ? 'trailer' : 'data';
      } else if (line === '') {
        // the blank line after the trailers
        this.complete = true;
      }
    }
  }
}
