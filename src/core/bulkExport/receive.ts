import * as l10n from '@vscode/l10n';
import type { FileHandle } from 'node:fs/promises';
import { Transform, Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { createGunzip } from 'node:zlib';
import type { TransportResponse } from '../api';
import { formatBytes, type RunContext } from './context';
import type { NdjsonVerifier } from './verify';

// below this many decoded bytes any gzip ratio is fine (a small file of one repeated line)
const RATIO_FLOOR_BYTES = 32 * 1024 * 1024;

/** A file grew past a bound (decoded size, gzip expansion): not retried, nothing kept. */
export class FileLimitError extends Error {
  override readonly name = 'FileLimitError';
}

/** The body came slower than the minimum throughput: the connection is dropped and the file resumed. */
export class TooSlowError extends Error {
  override readonly name = 'TooSlowError';
  readonly code = 'ONEUP_TOO_SLOW';
}

export interface Receiving {
  /** The part file, opened for appending (or truncated for a fresh start). */
  out: FileHandle;
  /** Decoded bytes already in the part file. */
  have: number;
  gzip: boolean;
  /** Checks data and deleted files line by line; error files are kept as they come. */
  verifier?: NdjsonVerifier;
  name: string;
}

/** What one answer added. */
export interface Received {
  wireBytes: number;
  decodedBytes: number;
  /** Non-blank lines (for error files, which are not verified). */
  lines: number;
}

/**
 * Streams an answer's body into the part file: `res.body` (undici) → gunzip when the server
 * encoded it → a sink that checks each chunk and appends it. `pipeline` carries backpressure all
 * the way back to the socket, so memory holds a few chunks whatever the file's size. The sink
 * stops the file at the first line past the manifest's count (keeping the lines before it), at
 * `maxFileBytes` decoded, and at a gzip expansion beyond `maxGzipRatio`; a body slower than
 * `minBytesPerSecond` over the window is dropped (to be resumed).
 */
export async function receive(ctx: RunContext, res: TransportResponse, r: Receiving): Promise<Received> {
  const got: Received = { wireBytes: 0, decodedBytes: 0, lines: 0 };
  const countWire = (n: number) => {
    got.wireBytes += n;
    ctx.progress.addBytes(n);
  };
  const sink = new CheckingSink(ctx, r, got, r.gzip ? undefined : countWire);
  const guard = throughputGuard(ctx, got, (e) => res.body.destroy(e));
  try {
    if (r.gzip) await pipeline(res.body, meter(countWire), createGunzip({ chunkSize: 64 * 1024 }), sink, { signal: ctx.signal });
    else await pipeline(res.body, sink, { signal: ctx.signal });
  } finally {
    guard.stop();
  }
  return got;
}

function meter(count: (n: number) => void): Transform {
  return new Transform({
    transform(chunk: Buffer, _enc, done) {
      count(chunk.length);
      done(null, chunk);
    },
  });
}

/** Drops the body (with TooSlowError) when less than minBytesPerSecond came over a whole window. */
function throughputGuard(ctx: RunContext, got: Received, fail: (e: Error) => void): { stop(): void } {
  const windowMs = ctx.throughputWindowMs;
  const need = (ctx.minBytesPerSecond * windowMs) / 1000;
  let last = 0;
  const timer = setInterval(() => {
    const came = got.wireBytes - last;
    last = got.wireBytes;
    if (came < need) {
      clearInterval(timer);
      fail(new TooSlowError(l10n.t({
        message: 'the server sent {0} bytes in {1} s, less than the minimum of {2} bytes/s', args: [came, Math.round(windowMs / 1000), ctx.minBytesPerSecond],
        comment: ['follows a file name and a colon; no full stop at the end'],
      })));
    }
  }, windowMs);
  timer.unref();
  return { stop: () => clearInterval(timer) };
}

/** The end of the pipeline: checks each chunk, then appends it to the part file, in order. */
class CheckingSink extends Writable {
  private decoded = 0;

  constructor(private readonly ctx: RunContext, private readonly r: Receiving, private readonly got: Received, private readonly countWire?: (n: number) => void) {
    // a batch of at most ~256 KB is verified in one go: the event loop stays free for the rest of the host
    super({ highWaterMark: 256 * 1024 });
  }

  override _write(chunk: Buffer, _enc: BufferEncoding, done: (e?: Error | null) => void): void {
    this.take([chunk]).then(() => done(), done);
  }

  override _writev(chunks: { chunk: Buffer }[], done: (e?: Error | null) => void): void {
    this.take(chunks.map((c) => c.chunk)).then(() => done(), done);
  }

  private async take(chunks: Buffer[]): Promise<void> {
    let keep = chunks;
    let stop: Error | undefined;
    for (let i = 0; i < chunks.length && !stop; i++) {
      const c = chunks[i];
      this.countWire?.(c.length);
      this.decoded += c.length;
      this.limits();
      if (this.r.verifier) {
        const before = this.r.have + this.got.decodedBytes + chunks.slice(0, i).reduce((n, x) => n + x.length, 0);
        try {
          this.r.verifier.push(c);
        } catch (e) {
          // keep the lines that checked out before the problem (a count overrun keeps the announced ones)
          const upTo = Math.max(0, this.r.verifier.verifiedBytes - before);
          keep = [...chunks.slice(0, i), c.subarray(0, upTo)];
          stop = e as Error;
        }
      } else {
        this.got.lines += countLines(c);
      }
    }
    const bytes = keep.reduce((n, c) => n + c.length, 0);
    if (bytes) await (keep.length === 1 ? this.r.out.write(keep[0]) : this.r.out.writev(keep));
    this.got.decodedBytes += bytes;
    if (stop) throw stop;
  }

  private limits(): void {
    const { maxFileBytes, maxGzipRatio } = this.ctx;
    const total = this.r.have + this.decoded;
    if (total > maxFileBytes) {
      throw new FileLimitError(l10n.t({ message: '{0} grew past {1}, the most one export file may hold; the download was stopped.', args: [this.r.name, formatBytes(maxFileBytes)], comment: ['{0}: a file name; {1}: a size such as 64.0 GB'] }));
    }
    if (this.r.gzip && this.decoded > RATIO_FLOOR_BYTES && this.decoded > maxGzipRatio * Math.max(1, this.got.wireBytes)) {
      throw new FileLimitError(l10n.t({
        message: '{0}: the gzip data expanded more than {1}× ({2} received became over {3}), which real NDJSON does not; the download was stopped as a likely decompression bomb.',
        args: [this.r.name, maxGzipRatio, formatBytes(this.got.wireBytes), formatBytes(this.decoded)],
        comment: ['{0}: a file name; {1}: a ratio such as 100; {2} and {3}: sizes such as 1.2 MB'],
      }));
    }
  }
}

function countLines(b: Buffer): number {
  let n = 0;
  for (let i = b.indexOf(10); i >= 0; i = b.indexOf(10, i + 1)) n++;
  return n;
}
