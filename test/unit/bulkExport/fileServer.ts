import { createServer, type IncomingHttpHeaders, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { gzipSync } from 'node:zlib';

/**
 * One answer of a FileServer: a body (with Range support; gzip-encoded when `gzip` is set and the
 * client asks for it without a Range), a redirect, a JSON answer, or a body written by `write`.
 */
export type Route =
  | { body: Buffer | string; headers?: Record<string, string>; status?: number; cutAfterBytesOnce?: number; gzip?: boolean }
  | { redirect: string }
  | { json: unknown; status?: number; headers?: Record<string, string> }
  | { write: (res: ServerResponse) => void };

/**
 * A small real HTTP server on 127.0.0.1 for what the sandbox will not do on purpose: serve a
 * hostile manifest, sit on another origin and record the headers it was sent, gzip a file.
 */
export interface FileServer {
  url: string;
  routes: Map<string, Route>;
  /** Every request: method, path (with query) and headers. */
  seen: { method: string; path: string; headers: IncomingHttpHeaders }[];
  close(): Promise<void>;
}

export async function startFileServer(): Promise<FileServer> {
  const routes = new Map<string, Route>();
  const seen: FileServer['seen'] = [];
  const server = createServer((req, res) => {
    const path = req.url ?? '/';
    seen.push({ method: req.method ?? 'GET', path, headers: req.headers });
    const route = routes.get(path.split('?')[0]);
    if (!route) return end(res, 404, { 'content-type': 'application/json' }, '{"error":"not found"}');
    if ('redirect' in route) return end(res, 302, { location: route.redirect }, '');
    if ('json' in route) return end(res, route.status ?? 200, { 'content-type': 'application/json', ...route.headers }, JSON.stringify(route.json));
    if ('write' in route) return route.write(res);
    const range = /^bytes=(\d+)-$/.exec(req.headers.range ?? '');
    const encode = route.gzip && !range && /\bgzip\b/.test(String(req.headers['accept-encoding'] ?? ''));
    const body = encode ? gzipSync(Buffer.from(route.body)) : Buffer.from(route.body);
    const start = range ? Number(range[1]) : 0;
    if (start > body.length) return end(res, 416, { 'content-range': `bytes */${body.length}` }, '');
    const headers: Record<string, string> = { 'content-type': 'application/fhir+ndjson', 'accept-ranges': 'bytes', etag: `"v1-${body.length}${encode ? '-gz' : ''}"`, ...route.headers };
    if (encode) headers['content-encoding'] = 'gzip';
    if (range) headers['content-range'] = `bytes ${start}-${body.length - 1}/${body.length}`;
    const part = body.subarray(start);
    res.writeHead(range ? 206 : route.status ?? 200, { ...headers, 'content-length': String(part.length) });
    const cut = route.cutAfterBytesOnce;
    if (cut !== undefined && cut < part.length) {
      route.cutAfterBytesOnce = undefined;
      res.write(part.subarray(0, cut), () => setTimeout(() => res.socket?.destroy(), 100));
      return;
    }
    res.end(part);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url, routes, seen,
    close: () => new Promise((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    }),
  };
}

function end(res: ServerResponse, status: number, headers: Record<string, string>, body: string): void {
  res.writeHead(status, headers);
  res.end(body);
}
