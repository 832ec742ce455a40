import * as assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import * as net from 'node:net';
import * as path from 'node:path';
import * as tls from 'node:tls';
import { type DirectAnswer, directGet } from '../../../src/core/api/directGet';

// The download route's own HTTP/1.1 client, against servers on a loopback port that write exactly
// the bytes each case needs (framings, interim answers, broken chunks, stalls).

const TIMEOUTS = { connectMs: 5000, headersMs: 5000, bodyMs: 5000 };
const fixtures = path.join(__dirname, '..', '..', '..', '..', 'test', 'fixtures', 'tls');

type Handler = (socket: net.Socket, request: string) => void;

/** A server that hands each connection, once its request head has arrived, to `handler`. */
async function rawServer(handler: Handler, secure = false): Promise<{ url: string; close: () => Promise<void>; requests: string[] }> {
  const requests: string[] = [];
  const sockets = new Set<net.Socket>();
  const onConnection = (socket: net.Socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    let head = '';
    socket.on('error', () => undefined);
    const onData = (d: Buffer) => {
      head += d.toString('latin1');
      const end = head.indexOf('\r\n\r\n');
      if (end < 0) return;
      socket.off('data', onData);
      requests.push(head.slice(0, end));
      handler(socket, head.slice(0, end));
    };
    socket.on('data', onData);
  };
  const server = secure
    ? tls.createServer({ key: readFileSync(path.join(fixtures, 'localhost.key')), cert: readFileSync(path.join(fixtures, 'localhost.crt')) }, onConnection)
    : net.createServer(onConnection);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  return {
    url: `${secure ? 'https' : 'http'}://localhost:${port}/files/Patient-1.ndjson`,
    requests,
    close: () => new Promise<void>((resolve) => {
      for (const socket of sockets) socket.destroy();
      server.close(() => resolve());
    }),
  };
}

/** Writes `data` in pieces of `piece` bytes, waiting for the socket to drain. */
async function writeSlowly(socket: net.Socket, data: Buffer, piece: number, frame: (b: Buffer) => Buffer = (b) => b): Promise<void> {
  for (let i = 0; i < data.length; i += piece) {
    if (!socket.write(frame(data.subarray(i, i + piece)))) await new Promise((r) => socket.once('drain', r));
  }
}

const chunk = (b: Buffer) => Buffer.concat([Buffer.from(`${b.length.toString(16)};ext=1\r\n`), b, Buffer.from('\r\n')]);
const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex');

function get(url: string, extra: Partial<Parameters<typeof directGet>[0]> = {}): Promise<DirectAnswer> {
  const u = new URL(url);
  return directGet({ url: u, path: u.pathname, headers: { 'user-agent': 'test', authorization: 'Bearer t' }, timeouts: TIMEOUTS, ...extra });
}

/**
 * Pumps the body into a sink that is slow and random (as disk writes are) and reads each piece only
 * when its turn comes, after earlier pieces' delays: a read buffer reused before the sink let it go
 * would change what is hashed.
 */
async function pumpSlowly(a: DirectAnswer): Promise<{ hash: string; bytes: number; pieces: number }> {
  const h = createHash('sha256');
  let bytes = 0;
  let pieces = 0;
  let tail: Promise<void> = Promise.resolve();
  await a.body.pump((piece) => {
    pieces++;
    tail = tail.then(() => new Promise<void>((resolve) => setTimeout(() => {
      h.update(piece);
      bytes += piece.length;
      resolve();
    }, Math.random() * 2)));
    return tail;
  });
  return { hash: h.digest('hex'), bytes, pieces };
}

describe('direct download route (directGet)', function () {
  this.timeout(30000);
  const data = randomBytes(3_000_000);
  let close: (() => Promise<void>) | undefined;
  afterEach(async () => {
    await close?.();
    close = undefined;
  });
  async function serve(handler: Handler, secure = false) {
    const s = await rawServer(handler, secure);
    close = s.close;
    return s;
  }

  it('reads a Content-Length body whole and in order into a slow sink, and sends one request that closes', async () => {
    const s = await serve(async (socket) => {
      socket.write(`HTTP/1.1 200 OK\r\ncontent-type: application/fhir+ndjson\r\ncontent-length: ${data.length}\r\n\r\n`);
      await writeSlowly(socket, data, 9973);
    });
    const a = await get(s.url, { bufferBytes: 65536, buffers: 3 });
    assert.equal(a.statusCode, 200);
    assert.equal(a.headers['content-type'], 'application/fhir+ndjson');
    const r = await pumpSlowly(a);
    assert.equal(r.bytes, data.length);
    assert.equal(r.hash, sha(data), 'the bytes the sink saw are the bytes sent');
    assert.match(s.requests[0], /^GET \/files\/Patient-1\.ndjson HTTP\/1\.1\r\n/);
    assert.match(s.requests[0], /\r\nhost: localhost:\d+/);
    assert.match(s.requests[0], /\r\nauthorization: Bearer t/);
    assert.match(s.requests[0], /\r\nconnection: close/);
  });

  it('reads a chunked body (extensions, trailers) and skips interim 1xx answers', async () => {
    const s = await serve(async (socket) => {
      socket.write('HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 103 Early Hints\r\nlink: </a>\r\n\r\n');
      socket.write('HTTP/1.1 200 OK\r\ntransfer-encoding: chunked\r\n\r\n');
      await writeSlowly(socket, data, 7777, chunk);
      socket.end('0\r\nx-trailer: 1\r\n\r\n');
    });
    const a = await get(s.url, { bufferBytes: 65536, buffers: 3 });
    assert.equal(a.statusCode, 200);
    const r = await pumpSlowly(a);
    assert.equal(r.hash, sha(data));
  });

  it('reads a body delimited by the server closing the connection', async () => {
    const s = await serve(async (socket) => {
      socket.write('HTTP/1.1 200 OK\r\n\r\n');
      await writeSlowly(socket, data, 50000);
      socket.end();
    });
    const r = await pumpSlowly(await get(s.url));
    assert.equal(r.hash, sha(data));
  });

  it('reads over TLS the same, with the buffers still not reused before the sink is done', async () => {
    const s = await serve(async (socket) => {
      socket.write('HTTP/1.1 200 OK\r\ntransfer-encoding: chunked\r\n\r\n');
      await writeSlowly(socket, data, 16384, chunk);
      socket.end('0\r\n\r\n');
    }, true);
    const r = await pumpSlowly(await get(s.url, { bufferBytes: 32768, buffers: 3, tls: { ca: readFileSync(path.join(fixtures, 'localhost.crt')) } }));
    assert.equal(r.hash, sha(data));
  });

  it('refuses a server whose certificate is not trusted', async () => {
    const s = await serve((socket) => socket.end('HTTP/1.1 200 OK\r\ncontent-length: 0\r\n\r\n'), true);
    await assert.rejects(get(s.url), (e: NodeJS.ErrnoException) => /SELF_SIGNED|self.signed/i.test(`${e.code} ${e.message}`));
  });

  it('reads an error answer as text (the transport reads error bodies that way)', async () => {
    const body = JSON.stringify({ resourceType: 'OperationOutcome', issue: [{ severity: 'error', code: 'expired' }] });
    const s = await serve((socket) => socket.end(`HTTP/1.1 410 Gone\r\ncontent-length: ${Buffer.byteLength(body)}\r\n\r\n${body}`));
    const a = await get(s.url);
    assert.equal(a.statusCode, 410);
    assert.equal(await a.body.text(), body);
  });

  it('fails a body cut short of its Content-Length as a closed socket', async () => {
    const s = await serve((socket) => socket.end(`HTTP/1.1 200 OK\r\ncontent-length: ${data.length}\r\n\r\n${data.subarray(0, 1000).toString('latin1')}`));
    const a = await get(s.url);
    await assert.rejects(a.body.pump(() => undefined), { code: 'UND_ERR_SOCKET', message: 'other side closed' });
  });

  it('fails a broken chunk size, and a chunk longer than its size', async () => {
    const bad = await serve((socket) => socket.end('HTTP/1.1 200 OK\r\ntransfer-encoding: chunked\r\n\r\nzz\r\nabc\r\n0\r\n\r\n'));
    await assert.rejects((await get(bad.url)).body.pump(() => undefined), { code: 'HPE_INVALID_CHUNK_SIZE' });
    await bad.close();
    const long = await serve((socket) => socket.end('HTTP/1.1 200 OK\r\ntransfer-encoding: chunked\r\n\r\n3\r\nabcdef\r\n0\r\n\r\n'));
    await assert.rejects((await get(long.url)).body.pump(() => undefined), { code: 'HPE_INVALID_CHUNK_SIZE' });
  });

  it('refuses conflicting Content-Length values and a head that is not HTTP', async () => {
    const twice = await serve((socket) => socket.end('HTTP/1.1 200 OK\r\ncontent-length: 5\r\ncontent-length: 6\r\n\r\nabcdef'));
    await assert.rejects(get(twice.url), { code: 'UND_ERR_RES_CONTENT_LENGTH_MISMATCH' });
    await twice.close();
    const junk = await serve((socket) => socket.end('SSH-2.0-OpenSSH\r\n\r\n'));
    await assert.rejects(get(junk.url), { code: 'HPE_INVALID_CONSTANT' });
  });

  it('times out a server that never answers, and one that stalls mid-body', async () => {
    const silent = await serve(() => undefined);
    await assert.rejects(get(silent.url, { timeouts: { ...TIMEOUTS, headersMs: 200 } }), { code: 'UND_ERR_HEADERS_TIMEOUT' });
    await silent.close();
    const stall = await serve((socket) => socket.write(`HTTP/1.1 200 OK\r\ncontent-length: 100000\r\n\r\n${'x'.repeat(1000)}`));
    const a = await get(stall.url, { timeouts: { ...TIMEOUTS, bodyMs: 200 } });
    let got = 0;
    await assert.rejects(a.body.pump((p) => { got += p.length; }), { code: 'UND_ERR_BODY_TIMEOUT' });
    assert.equal(got, 1000, 'what arrived before the stall reached the sink');
  });

  it('does not time out while the sink, not the server, is slow', async () => {
    const s = await serve(async (socket) => {
      socket.write(`HTTP/1.1 200 OK\r\ncontent-length: ${data.length}\r\n\r\n`);
      await writeSlowly(socket, data, 65536);
    });
    const a = await get(s.url, { timeouts: { ...TIMEOUTS, bodyMs: 150 }, bufferBytes: 65536, buffers: 3 });
    let first = true;
    let bytes = 0;
    let tail: Promise<void> = Promise.resolve();
    await a.body.pump((p) => {
      bytes += p.length;
      // the sink (one write at a time) holds the first piece longer than the body timeout, so every
      // buffer is soon with it: reading is paused, which is not the server stalling
      const wait = first ? 400 : 0;
      first = false;
      tail = tail.then(() => new Promise((r) => setTimeout(r, wait)));
      return tail;
    });
    assert.equal(bytes, data.length);
  });

  it('stops when the signal aborts, mid-body', async () => {
    const s = await serve((socket) => socket.write(`HTTP/1.1 200 OK\r\ncontent-length: 100000\r\n\r\n${'x'.repeat(1000)}`));
    const ac = new AbortController();
    const a = await get(s.url, { signal: ac.signal });
    const pumped = a.body.pump(() => { ac.abort(); });
    await assert.rejects(pumped, { code: 'ABORT_ERR' });
  });

  it('hands the sink\'s own error back unchanged and closes the connection', async () => {
    let closed = false;
    const s = await serve(async (socket) => {
      socket.on('close', () => { closed = true; });
      socket.write(`HTTP/1.1 200 OK\r\ncontent-length: ${data.length}\r\n\r\n`);
      await writeSlowly(socket, data, 65536).catch(() => undefined);
    });
    const mine = new Error('disk full');
    const a = await get(s.url);
    const err = await a.body.pump(async () => { throw mine; }, () => new Error('mapped')).catch((e: unknown) => e);
    assert.equal(err, mine, 'the sink\'s error, not a mapped network error');
    await new Promise((r) => setTimeout(r, 100));
    assert.ok(closed, 'the server saw the connection close');
  });

  it('maps connection errors through mapError', async () => {
    const s = await serve((socket) => socket.end(`HTTP/1.1 200 OK\r\ncontent-length: 10\r\n\r\nabc`));
    const a = await get(s.url);
    await assert.rejects(a.body.pump(() => undefined, (e) => Object.assign(new Error(`mapped: ${e.message}`), { code: 'MAPPED' })), { code: 'MAPPED', message: 'mapped: other side closed' });
  });

  it('refuses header values that would split the request', async () => {
    const s = await serve((socket) => socket.end('HTTP/1.1 200 OK\r\ncontent-length: 0\r\n\r\n'));
    await assert.rejects(get(s.url, { headers: { 'x-evil': 'a\r\nx-injected: 1' } }), { code: 'UND_ERR_INVALID_ARG' });
    assert.equal(s.requests.length, 0, 'nothing was sent');
  });
});
