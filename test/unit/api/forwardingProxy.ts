import { lookup } from 'node:dns/promises';
import * as http from 'node:http';
import * as net from 'node:net';
import type { AddressInfo } from 'node:net';
import { Transform } from 'node:stream';

/** What passed through the proxy: absolute-form requests it forwarded and CONNECT tunnels it opened. */
export interface ProxyRecord {
  kind: 'forward' | 'connect';
  method: string;
  /** The request target the client sent the proxy (absolute URL, or host:port for CONNECT). */
  target: string;
  headers: http.IncomingHttpHeaders;
}

export interface ForwardingProxy {
  url: string;
  seen: ProxyRecord[];
  close(): Promise<void>;
}

/**
 * A tiny HTTP proxy on 127.0.0.1 for tests. `hosts` maps the host names clients ask for to where
 * they really are, so a request for a host that does not exist can only succeed through the proxy.
 * It plays DNS for those names, so it also rewrites the Host header to the real address (the
 * sandbox only answers to its loopback names), in forwarded requests and inside plain-HTTP tunnels.
 */
export async function startForwardingProxy(hosts: Record<string, string>, o: { requireAuth?: string } = {}): Promise<ForwardingProxy> {
  const seen: ProxyRecord[] = [];
  // a proxy that wants a login answers 407 with a Basic challenge until it gets `requireAuth`
  const refused = (headers: http.IncomingHttpHeaders) => !!o.requireAuth && headers['proxy-authorization'] !== o.requireAuth;
  const CHALLENGE = 'Basic realm="corp"';
  const sockets = new Set<net.Socket>();
  const route = (hostPort: string): { host: string; port: number } => {
    const real = hosts[hostPort] ?? hostPort;
    const [host, port] = real.split(':');
    return { host, port: Number(port || 80) };
  };
  const server = http.createServer((req, res) => {
    seen.push({ kind: 'forward', method: req.method ?? '', target: req.url ?? '', headers: req.headers });
    if (refused(req.headers)) {
      res.writeHead(407, { 'proxy-authenticate': CHALLENGE, 'content-length': '0' }).end();
      return;
    }
    let target: URL;
    try {
      target = new URL(req.url ?? '');
    } catch {
      res.writeHead(400).end('absolute-form request target expected');
      return;
    }
    const { host, port } = route(target.host);
    const headers = { ...req.headers, host: `${host}:${port}` };
    delete headers['proxy-authorization'];
    // connect by address: inside VS Code's extension host, http.request is patched to use the
    // http.proxy setting (this very proxy) for any name but localhost / 127.0.0.1
    void lookup(host, { family: 4 }).then(({ address }) => {
      const upstream = http.request({ host: address, port, method: req.method, path: target.pathname + target.search, headers }, (up) => {
        res.writeHead(up.statusCode ?? 502, up.headers);
        up.pipe(res);
      });
      upstream.on('error', () => res.writeHead(502).end());
      req.pipe(upstream);
    }, () => res.writeHead(502).end());
  });
  server.on('connect', (req: http.IncomingMessage, client: net.Socket, head: Buffer) => {
    seen.push({ kind: 'connect', method: 'CONNECT', target: req.url ?? '', headers: req.headers });
    if (refused(req.headers)) {
      client.end(`HTTP/1.1 407 Proxy Authentication Required\r\nProxy-Authenticate: ${CHALLENGE}\r\nContent-Length: 0\r\n\r\n`);
      return;
    }
    const { host, port } = route(req.url ?? '');
    // only plain-http tunnels to a mapped name need their Host rewritten; TLS passes untouched
    const mapped = hosts[req.url ?? ''] !== undefined;
    const rewriteHost = new Transform({
      transform(chunk: Buffer, _enc, done) {
        done(null, mapped ? Buffer.from(chunk.toString('latin1').replace(/^host:[^\r\n]*/gim, `host: ${host}:${port}`), 'latin1') : chunk);
      },
    });
    const upstream = net.connect(port, host, () => {
      client.write('HTTP/1.1 200 Connection Established\r\n\r\n');
      rewriteHost.write(head);
      upstream.pipe(client);
      client.pipe(rewriteHost).pipe(upstream);
    });
    for (const s of [upstream, client]) {
      sockets.add(s);
      s.on('error', () => { upstream.destroy(); client.destroy(); });
      s.on('close', () => sockets.delete(s));
    }
  });
  server.on('connection', (s: net.Socket) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    seen,
    close: () => new Promise<void>((resolve) => {
      for (const s of sockets) s.destroy();
      server.close(() => resolve());
    }),
  };
}
