// Every answer leaves through send/sendStream, which is where body-cutting faults act: the
// headers promise the whole body, then the connection is reset or closed part-way through.
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { errorOutcome } from '../fhir/outcome';
import type { IssueCode } from '../fhir/outcome';
import type { Ctx } from './context';
import { escapeHtml } from './escape';

const JSON_TYPE = 'application/json; charset=utf-8';
export const FHIR_TYPE = 'application/fhir+json; charset=utf-8';

function cutSocket(ctx: Ctx): void {
  const socket = ctx.res.socket;
  if (!socket) return;
  if (ctx.cut?.kind === 'reset') {
    // let the bytes already written reach the client before the RST
    setTimeout(() => socket.resetAndDestroy(), 25);
  } else {
    socket.end();
  }
}

export function send(ctx: Ctx, status: number, headers: Record<string, string | number>, body: Buffer | string): void {
  const buf = typeof body === 'string' ? Buffer.from(body) : body;
  const res = ctx.res;
  if (res.headersSent || res.destroyed) return;
  res.writeHead(status, { 'Content-Length': buf.length, 'X-Content-Type-Options': 'nosniff', ...headers });
  if (ctx.head) {
    res.end();
    return;
  }
  if (ctx.cut && ctx.cut.afterBytes < buf.length) {
    res.write(buf.subarray(0, ctx.cut.afterBytes), () => cutSocket(ctx));
    return;
  }
  res.end(buf);
}

/** Streams a body of known length (files), with backpressure. */
export async function sendStream(ctx: Ctx, status: number, headers: Record<string, string | number>, body: Readable, length: number): Promise<void> {
  const res = ctx.res;
  res.writeHead(status, { 'Content-Length': length, 'X-Content-Type-Options': 'nosniff', ...headers });
  if (ctx.head) {
    body.destroy();
    res.end();
    return;
  }
  const cut = ctx.cut;
  if (!cut || cut.afterBytes >= length) {
    await pipeline(body, res).catch(() => undefined);
    return;
  }
  let sent = 0;
  try {
    for await (const chunk of body as AsyncIterable<Buffer>) {
      const piece = chunk.subarray(0, cut.afterBytes - sent);
      sent += piece.length;
      if (sent >= cut.afterBytes) {
        res.write(piece, () => cutSocket(ctx));
        break;
      }
      if (!res.write(piece)) await new Promise((resolve) => { res.once('drain', resolve); res.once('close', resolve); });
      if (res.destroyed) break;
    }
  } catch {
    res.destroy();
  } finally {
    body.destroy();
  }
}

export function sendJson(ctx: Ctx, status: number, body: unknown, headers: Record<string, string | number> = {}): void {
  send(ctx, status, { 'Content-Type': JSON_TYPE, ...headers }, JSON.stringify(body));
}

export function sendFhir(ctx: Ctx, status: number, body: unknown, headers: Record<string, string | number> = {}): void {
  send(ctx, status, { 'Content-Type': FHIR_TYPE, ...headers }, JSON.stringify(body));
}

/** HTML pages: nothing external, inline styles, scripts only with the page's nonce, frameable. */
export function sendHtml(ctx: Ctx, status: number, html: string, nonce?: string, headers: Record<string, string | number> = {}): void {
  const csp = `default-src 'none'; style-src 'unsafe-inline'; img-src 'self' data:; script-src ${nonce ? `'nonce-${nonce}'` : "'none'"}; frame-ancestors *; base-uri 'none'`;
  send(ctx, status, { 'Content-Type': 'text/html; charset=utf-8', 'Content-Security-Policy': csp, 'Cache-Control': 'no-store', ...headers }, html);
}

export function redirect(ctx: Ctx, location: string): void {
  send(ctx, 303, { Location: location, 'Content-Type': 'text/plain; charset=utf-8', 'Cache-Control': 'no-store' }, `See ${location}\n`);
}

/** An error in the request's family: OperationOutcome, `{error}` or a small HTML page. */
export function sendError(ctx: Ctx, status: number, text: string, headers: Record<string, string | number> = {}, code?: IssueCode): void {
  if (ctx.family === 'fhir') sendFhir(ctx, status, errorOutcome(code ?? issueCodeFor(status), text), headers);
  else if (ctx.family === 'html') sendHtml(ctx, status, errorPage(status, text), undefined, headers);
  else sendJson(ctx, status, { error: text }, headers);
}

export function issueCodeFor(status: number): IssueCode {
  switch (status) {
    case 400: case 413: case 422: return 'invalid';
    case 401: return 'login';
    case 403: return 'forbidden';
    case 404: return 'not-found';
    case 405: case 415: return 'not-supported';
    case 421: return 'forbidden';
    case 410: return 'deleted';
    case 429: return 'throttled';
    case 503: return 'transient';
    case 507: return 'too-costly';
    default: return status >= 500 ? 'exception' : 'processing';
  }
}

function errorPage(status: number, text: string): string {
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${status}</title></head>`
    + `<body style="font-family:system-ui,sans-serif;margin:2rem"><h1>${status}</h1><p>${escapeHtml(text)}</p></body></html>`;
}
