// A GET whose body is read into a few reused buffers instead of a new buffer per socket read.
//
// Why not undici here: every read of a socket in Node (undici, node:http, fetch) allocates a fresh
// 64 KB buffer that V8 frees only at its next garbage collection, which external memory alone
// triggers after ~64 MB. A multi-gigabyte export download therefore kept ~60-90 MB of dead network
// buffers resident, and spent CPU allocating and collecting them. Node's `onread` option (net and
// tls) reads into memory we own; this module adds the small part of HTTP/1.1 that a file download
// needs on top (one request per connection, status, headers, Content-Length / chunked / close).
// Everything else (auth, retries, logging, redirects, proxies) stays in the Transport, which
// chooses this route only for downloads on a direct connection. The HTTP/1.1 wire format is in
// http1.ts, the buffers kept between downloads in readBuffers.ts; this is the connection.
import * as net from 'node:net';
import { Readable } from 'node:stream';
import * as tls from 'node:tls';
import type { Timeouts } from './dispatcher';
import { BodyFramer, MAX_HEAD_BYTES, parseHead, requestHead, wireError } from './http1';
import { giveBack, READ_BUFFER_BYTES, takeBuffer } from './readBuffers';
import type { Headers } from './response';

/** Receives body bytes. The buffer is only borrowed: it is reused once the returned promise settles (or at once, if none). */
export type BodySink = (chunk: Buffer) => void | Promise<void>;

export interface DirectGetRequest {
  url: URL;
  /** Request target, sent as is. */
  path: string;
  headers: Record<string, string>;
  timeouts: Timeouts;
  signal?: AbortSignal;
  /** Trust for https (default: Node's, as undici's Agent has). */
  tls?: Pick<tls.ConnectionOptions, 'ca' | 'rejectUnauthorized'>;
  /** Bytes per read buffer (default 256 KiB) and how many of them (default 4, at least 3). */
  bufferBytes?: number;
  buffers?: number;
}

export interface DirectAnswer {
  statusCode: number;
  headers: Headers;
  body: DirectBody;
}

/** Sends the GET and answers when the response head has arrived. */
export function directGet(req: DirectGetRequest): Promise<DirectAnswer> {
  try {
    return new Connection(req).start();
  } catch (e) {
    return Promise.reject(e as Error);
  }
}

/** A read buffer; `pending` counts the sink's unfinished uses of it. Overflow slots are not part of the ring. */
type Slot = { buf: Buffer; pending: number; overflow?: boolean };

class Connection {
  private socket!: net.Socket;
  private readonly ring: Slot[];
  /** The buffer the socket reads into next. */
  private lent!: Slot;
  private head: Buffer | undefined;
  private framer: BodyFramer | undefined;
  private done = false;
  private failed: Error | undefined;
  private failedInSink = false;
  private paused = false;
  private mode: 'undecided' | 'sink' | 'stream' = 'undecided';
  private sink: BodySink | undefined;
  private stash: Buffer | undefined;
  private streamFull = false;
  private inFlight = 0;
  private resolveHead!: (a: DirectAnswer) => void;
  private rejectHead!: (e: Error) => void;
  private headDone = false;
  private timer: NodeJS.Timeout | undefined;
  private settleBody: { resolve: () => void; reject: (e: Error) => void } | undefined;
  /** The socket is gone: ring buffers go back to the spares as the sink finishes with them. */
  private closed = false;
  readonly body: DirectBody;

  constructor(private readonly req: DirectGetRequest) {
    const size = req.bufferBytes ?? READ_BUFFER_BYTES;
    this.ring = Array.from({ length: Math.max(3, req.buffers ?? 4) }, () => ({ buf: takeBuffer(size), pending: 0 }));
    this.body = new DirectBody(this);
  }

  start(): Promise<DirectAnswer> {
    const { url, signal, timeouts } = this.req;
    const request = requestHead(this.req.url, this.req.path, this.req.headers);
    const promise = new Promise<DirectAnswer>((resolve, reject) => {
      this.resolveHead = resolve;
      this.rejectHead = reject;
    });
    if (signal?.aborted) {
      this.fail(wireError('ABORT_ERR', 'The request was aborted.'));
      return promise;
    }
    const host = url.hostname.replace(/^\[|\]$/g, '');
    const onread = { buffer: () => this.lend(), callback: (n: number, b: Uint8Array) => this.onRead(n, b as Buffer) };
    const secure = url.protocol === 'https:';
    const port = Number(url.port) || (secure ? 443 : 80);
    this.socket = secure
      ? tls.connect({ ...this.req.tls, host, port, servername: net.isIP(host) ? undefined : host, ALPNProtocols: ['http/1.1'], onread } as tls.ConnectionOptions)
      : net.connect({ host, port, onread });
    this.socket.setNoDelay(true);
    this.arm(timeouts.connectMs, 'UND_ERR_CONNECT_TIMEOUT', 'Connect Timeout Error');
    this.socket.once(secure ? 'secureConnect' : 'connect', () => {
      this.arm(timeouts.headersMs, 'UND_ERR_HEADERS_TIMEOUT', 'Headers Timeout Error');
      this.socket.write(request);
    });
    this.socket.on('error', (e) => this.fail(e));
    this.socket.on('end', () => this.onEnd());
    this.socket.on('close', () => this.onEnd());
    this.socket.on('timeout', () => this.fail(wireError('UND_ERR_BODY_TIMEOUT', 'Body Timeout Error')));
    signal?.addEventListener('abort', this.onAbort, { once: true });
    return promise;
  }

  private readonly onAbort = () => this.fail(wireError('ABORT_ERR', 'The request was aborted.'));

  private arm(ms: number, code: string, message: string): void {
    clearTimeout(this.timer);
    this.timer = ms > 0 ? setTimeout(() => this.fail(wireError(code, message)), ms) : undefined;
  }

  /**
   * The buffer for the next read. Node asks for it right after every read, also when that read
   * paused the socket, so reading pauses while one free buffer is left and that one is lent (nothing
   * is read into it until `wake`). TLS may still deliver records it had already decrypted after a
   * pause; when such a read left no buffer free, the next read gets one of its own (garbage once
   * the sink is done with it) rather than overwrite one the sink has not finished with.
   */
  private lend(): Buffer {
    const free = this.ring.find((s) => s.pending === 0);
    this.lent = free ?? (this.lent?.pending === 0 ? this.lent : { buf: Buffer.allocUnsafe(this.ring[0].buf.length), pending: 0, overflow: true });
    return this.lent.buf;
  }

  /** One socket read landed in `b[0, n)`; answers false to pause reading. */
  private onRead(n: number, b: Buffer): boolean {
    if (this.failed || this.done) return false;
    const slot = this.lent;
    if (slot.buf !== b) {
      this.fail(wireError('UND_ERR_SOCKET', 'the socket read into an unexpected buffer'));
      return false;
    }
    try {
      let at = 0;
      if (!this.headDone) {
        at = this.readHead(b, n);
        if (at < 0) return true;
        if (this.failed) return false;
      }
      if (at < n && !this.done) this.readBody(slot, at, n);
    } catch (e) {
      this.fail(e as Error);
      return false;
    }
    return this.mayRead();
  }

  /** Whether the consumer wants more and, after the next read, a buffer will still be free to lend. */
  private mayRead(): boolean {
    const go = !this.done && !this.failed && this.mode !== 'undecided' && this.freeCount() >= 2 && !this.streamFull;
    if (!go && !this.paused && !this.done) {
      this.paused = true;
      this.socket.setTimeout(0);
    }
    return go;
  }

  private freeCount(): number {
    let n = 0;
    for (const s of this.ring) if (s.pending === 0) n++;
    return n;
  }

  /** Called when the consumer frees a buffer or asks for more. */
  wake(): void {
    if (!this.paused || this.failed || this.done) return;
    if (this.mode === 'undecided' || this.freeCount() < 2 || this.streamFull) return;
    this.paused = false;
    this.socket.setTimeout(this.req.timeouts.bodyMs);
    this.socket.resume();
  }

  /** Collects the head; answers where the body starts in `b`, or -1 while the head is incomplete. */
  private readHead(b: Buffer, n: number): number {
    // the head is copied: it is small and parsed once
    this.head = this.head ? Buffer.concat([this.head, b.subarray(0, n)]) : Buffer.from(b.subarray(0, n));
    for (;;) {
      const all: Buffer = this.head;
      const end = all.indexOf('\r\n\r\n');
      if (end < 0) {
        if (all.length > MAX_HEAD_BYTES) throw wireError('UND_ERR_HEADERS_OVERFLOW', 'the response headers are larger than 64 KB');
        return -1;
      }
      const { status, headers } = parseHead(all.toString('latin1', 0, end));
      const rest = end + 4;
      // interim answers (100 Continue, 103 Early Hints) precede the real one
      if (status >= 100 && status < 200) {
        if (status === 101) throw wireError('UND_ERR_SOCKET', 'the server switched protocols');
        this.head = all.subarray(rest);
        continue;
      }
      this.head = undefined;
      this.headDone = true;
      this.framer = BodyFramer.of(status, headers);
      clearTimeout(this.timer);
      this.socket.setTimeout(this.req.timeouts.bodyMs);
      if (this.framer.done) this.finish();
      this.resolveHead({ statusCode: status, headers, body: this.body });
      // the head ended in this read (it was looked for after every read), so what follows it is in `b`
      return n - (all.length - rest);
    }
  }

  /** Hands the body bytes of this read on; finishes when the body is complete. */
  private readBody(slot: Slot, from: number, to: number): void {
    const framer = this.framer!;
    framer.feed(slot.buf, from, to, (a, b) => {
      this.deliver(slot, slot.buf, a, b);
      return !this.failed;
    });
    if (framer.done && !this.failed) this.finish();
  }

  private deliver(slot: Slot | undefined, b: Buffer, from: number, to: number): void {
    if (to <= from) return;
    const view = b.subarray(from, to);
    if (this.mode === 'stream') {
      if (!this.body.push(Buffer.from(view))) this.streamFull = true;
      return;
    }
    if (this.mode === 'undecided') {
      // the consumer has not chosen yet: keep a copy (at most the read that carried the head)
      this.stash = this.stash ? Buffer.concat([this.stash, view]) : Buffer.from(view);
      return;
    }
    let r: void | Promise<void>;
    try {
      r = this.sink!(view);
    } catch (e) {
      this.fail(e as Error, true);
      return;
    }
    if (r && typeof r.then === 'function') {
      const owner = slot ?? { buf: view, pending: 0 };
      owner.pending++;
      this.inFlight++;
      r.then(() => {
        this.release(owner);
        this.settle();
        this.wake();
      }, (e: Error) => {
        this.release(owner);
        this.fail(e, true);
      });
    }
  }

  private release(slot: Slot): void {
    slot.pending--;
    this.inFlight--;
    if (this.closed && slot.pending === 0 && !slot.overflow && this.ring.includes(slot)) giveBack(slot.buf);
  }

  /** The socket is destroyed: no read lands in the ring any more; free buffers go back now, the rest when released. */
  private close(): void {
    this.socket?.destroy();
    if (this.closed) return;
    this.closed = true;
    for (const s of this.ring) if (s.pending === 0) giveBack(s.buf);
  }

  /** The stream consumer asks for more (Readable._read). */
  wantMore(): void {
    if (this.mode === 'undecided') {
      this.choose('stream');
      return;
    }
    this.streamFull = false;
    this.wake();
  }

  /** The consumer chose how to read the body. */
  choose(mode: 'sink' | 'stream', sink?: BodySink): void {
    if (this.mode !== 'undecided') throw new Error('the body is already being read');
    this.mode = mode;
    this.sink = sink;
    const s = this.stash;
    if (s && !this.failed) {
      this.stash = undefined;
      this.deliver(undefined, s, 0, s.length);
    }
    if (this.done && mode === 'stream') this.body.push(null);
    this.settle();
    this.wake();
  }

  /** Settles when the body has been read and the sink is done with it; connection errors go through `mapError`. */
  bodyDone(mapError: (e: Error) => Error): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      this.settleBody = { resolve, reject: (e) => reject(this.failedInSink ? e : mapError(e)) };
      if (this.failed) this.settleBody.reject(this.failed);
      else this.settle();
    });
  }

  private finish(): void {
    if (this.done) return;
    this.done = true;
    clearTimeout(this.timer);
    this.socket.setTimeout(0);
    this.close();
    this.req.signal?.removeEventListener('abort', this.onAbort);
    if (this.mode === 'stream') this.body.push(null);
    this.settle();
  }

  private settle(): void {
    if (this.done && this.inFlight === 0 && this.mode !== 'undecided' && !this.stash) this.settleBody?.resolve();
  }

  private onEnd(): void {
    if (this.done || this.failed) return;
    if (this.headDone && this.framer?.kind === 'close') {
      this.finish();
      return;
    }
    this.fail(wireError('UND_ERR_SOCKET', 'other side closed'));
  }

  /** Stops everything; `fromSink` errors (verification, disk) reach the caller as they are. */
  fail(e: Error, fromSink = false): void {
    if (this.failed) return;
    this.failed = e;
    this.failedInSink = fromSink;
    clearTimeout(this.timer);
    this.req.signal?.removeEventListener('abort', this.onAbort);
    this.close();
    this.rejectHead?.(e);
    this.settleBody?.reject(e);
    if (this.mode === 'stream') this.body.destroy(e);
  }

  /** The consumer no longer wants the body. */
  abandon(): void {
    if (this.done || this.failed) return;
    this.done = true;
    clearTimeout(this.timer);
    this.req.signal?.removeEventListener('abort', this.onAbort);
    this.close();
    if (this.mode === 'stream') this.body.push(null);
  }
}

/**
 * The body of a direct answer: `pump(sink)` lends the read buffers to the sink (no copies); used
 * as a stream (`text()`, iteration, pipe) it copies each piece, which is fine for error answers.
 */
export class DirectBody extends Readable {
  constructor(private readonly conn: Connection) {
    super({ highWaterMark: 1 << 20 });
  }

  override _read(): void {
    this.conn.wantMore();
  }

  override _destroy(err: Error | null, cb: (e?: Error | null) => void): void {
    this.conn.abandon();
    cb(err);
  }

  /** Feeds the whole body to `sink`; settles when the sink has finished with the last piece. */
  pump(sink: BodySink, mapError: (e: Error) => Error = (e) => e): Promise<void> {
    const done = this.conn.bodyDone(mapError);
    this.conn.choose('sink', sink);
    return done;
  }

  async text(): Promise<string> {
    const parts: Buffer[] = [];
    for await (const c of this) parts.push(c as Buffer);
    return Buffer.concat(parts).toString('utf8');
  }

  /** Closes the connection (one request per connection: nothing to drain for reuse). */
  async dump(): Promise<void> {
    this.conn.abandon();
  }
}
