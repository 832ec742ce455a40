import { Transform } from 'node:stream';
import { checkJsonObject, isJsonValue } from './jsonCheck';
import { LineResult, type WasmChecker, wasmChecker } from './wasmCheck';

/** A downloaded file is not what the manifest promised (bad line, wrong type, wrong count). */
export class VerificationError extends Error {
  override readonly name = 'VerificationError';
  constructor(readonly file: string, readonly line: number | undefined, message: string) {
    super(message);
  }
}

/** Longest line accepted: a resource with big inline attachments fits, a server that never sends a newline does not. */
export const MAX_LINE_BYTES = 64 * 1024 * 1024;

/**
 * Checks NDJSON as it streams past: each line must be a JSON object whose top-level
 * resourceType is the manifest's type. Lines are split on raw bytes and checked in place (by the
 * WebAssembly check when available, else the JavaScript one), so memory holds at most one
 * partial line between chunks. Blank lines are tolerated. Errors never quote the line (it is
 * health data), only its number.
 */
export class NdjsonVerifier {
  /** Resources (non-blank lines) seen so far. */
  resources = 0;
  private lineNo = 0;
  private pending: Buffer[] = [];
  private pendingBytes = 0;
  private readonly expected: Buffer;
  private readonly wasm: WasmChecker | undefined;

  constructor(readonly file: string, readonly resourceType: string, private readonly maxLineBytes = MAX_LINE_BYTES, useWasm = true) {
    this.expected = Buffer.from(JSON.stringify(resourceType));
    this.wasm = useWasm ? wasmChecker() : undefined;
  }

  /** Checks the complete lines in chunk; keeps a copy of a trailing partial line (never chunk itself). */
  push(chunk: Buffer): void {
    let start = 0;
    if (this.pending.length) {
      const nl = chunk.indexOf(10);
      if (nl < 0) {
        this.hold(chunk);
        return;
      }
      this.pending.push(chunk.subarray(0, nl));
      this.flushPending();
      start = nl + 1;
    }
    const last = chunk.lastIndexOf(10);
    if (last >= start) {
      this.lines(chunk, start, last);
      start = last + 1;
    }
    if (start < chunk.length) this.hold(chunk.subarray(start));
  }

  /** Checks the last line (a file need not end with a newline) and the count; answers the resources seen. */
  finish(expectedCount?: number): number {
    if (this.pending.length) this.flushPending();
    if (expectedCount !== undefined && expectedCount !== this.resources) {
      throw new VerificationError(this.file, undefined,
        `${this.file} holds ${this.resources} resources but the manifest announced ${expectedCount}.`);
    }
    return this.resources;
  }

  private flushPending(): void {
    const line = Buffer.concat(this.pending);
    this.pending = [];
    this.pendingBytes = 0;
    this.lines(line, 0, line.length);
  }

  private hold(piece: Buffer): void {
    this.pendingBytes += piece.length;
    if (this.pendingBytes > this.maxLineBytes) {
      throw new VerificationError(this.file, this.lineNo + 1,
        `${this.file}, line ${this.lineNo + 1}: longer than ${Math.round(this.maxLineBytes / 1048576)} MB without a line break; this is not NDJSON.`);
    }
    // a copy: the caller may reuse the chunk's memory once push returns (downloads read into a ring)
    this.pending.push(Buffer.from(piece));
  }

  /** The lines of b[start, end], separated by newlines; b[end] is a newline or past the buffer. */
  private lines(b: Buffer, start: number, end: number): void {
    const w = this.wasm;
    const fast = w !== undefined && end - start <= w.capacity;
    if (fast) {
      w.load(b, start, end);
      w.expect(this.expected);
    }
    for (let s = start; s <= end;) {
      let nl = b.indexOf(10, s);
      if (nl < 0 || nl > end) nl = end;
      this.lineNo++;
      let from = s;
      // a UTF-8 byte order mark before the first resource
      if (this.lineNo === 1 && nl - from >= 3 && b[from] === 0xef && b[from + 1] === 0xbb && b[from + 2] === 0xbf) from += 3;
      if (fast) this.wasmLine(w, b, start, from, nl);
      else this.jsLine(b, from, nl);
      s = nl + 1;
    }
  }

  private wasmLine(w: WasmChecker, b: Buffer, offset: number, start: number, end: number): void {
    const r = w.check(start - offset, end - offset);
    if (r === LineResult.Ok) {
      this.resources++;
    } else if (r === LineResult.OtherType) {
      const [ts, te] = w.typeSpan();
      this.typeCheck(b, ts + offset, te + offset);
    } else if (r !== LineResult.Blank) {
      this.fail(r === LineResult.NoType ? 'the resource has no resourceType' : r === LineResult.NotObject ? 'is JSON but not a resource object' : 'is not valid JSON');
    }
  }

  private jsLine(b: Buffer, start: number, end: number): void {
    const span = checkJsonObject(b, start, end);
    if (!span) {
      if (isBlank(b, start, end)) return;
      this.fail(isJsonValue(b, start, end) ? 'is JSON but not a resource object' : 'is not valid JSON');
    } else if (span.typeStart < 0) {
      this.fail('the resource has no resourceType');
    } else {
      this.typeCheck(b, span.typeStart, span.typeEnd);
    }
  }

  /** Counts the resource if its type (b[from, to), quoted) is the expected one, in any spelling. */
  private typeCheck(b: Buffer, from: number, to: number): void {
    const e = this.expected;
    const same = (to - from === e.length && b.compare(e, 0, e.length, from, to) === 0)
      // an escaped spelling ("Pati\u0065nt") is still the same type
      || (b.subarray(from, to).includes(0x5c) && JSON.parse(b.toString('utf8', from, to)) === this.resourceType);
    if (!same) this.fail(`a ${decodeType(b, from, to)} where the manifest announced ${this.resourceType} resources`);
    this.resources++;
  }

  private fail(what: string): never {
    throw new VerificationError(this.file, this.lineNo, `${this.file}, line ${this.lineNo}: ${what}.`);
  }
}

function isBlank(b: Buffer, start: number, end: number): boolean {
  for (let i = start; i < end; i++) {
    const c = b[i];
    if (c !== 0x20 && c !== 0x09 && c !== 0x0d && c !== 0x0a) return false;
  }
  return true;
}

function decodeType(b: Buffer, from: number, to: number): string {
  const text = JSON.parse(b.toString('utf8', from, to)) as string;
  // the type is shown in a message: keep it short and printable
  return JSON.stringify(text.length > 64 ? `${text.slice(0, 64)}…` : text);
}

/** A pass-through stream that verifies what flows through it and checks the count at the end. */
export function verifyingStream(v: NdjsonVerifier, expectedCount?: number, onChunk?: (bytes: number) => void): Transform {
  return new Transform({
    highWaterMark: 1 << 16,
    transform(chunk: Buffer, _enc, done) {
      try {
        onChunk?.(chunk.length);
        v.push(chunk);
      } catch (e) {
        done(e as Error);
        return;
      }
      done(null, chunk);
    },
    flush(done) {
      try {
        v.finish(expectedCount);
        done();
      } catch (e) {
        done(e as Error);
      }
    },
  });
}
