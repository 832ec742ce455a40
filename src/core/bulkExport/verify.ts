import { Transform } from 'node:stream';
import { checkJsonObject, isJsonValue } from './jsonCheck';

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
 * resourceType is the manifest's type. Lines are split on raw bytes and checked in place, so
 * memory holds at most one partial line between chunks. Blank lines are tolerated. Errors never
 * quote the line (it is health data), only its number.
 */
export class NdjsonVerifier {
  /** Resources (non-blank lines) seen so far. */
  resources = 0;
  private lineNo = 0;
  private pending: Buffer[] = [];
  private pendingBytes = 0;
  private readonly expected: Buffer;

  constructor(readonly file: string, readonly resourceType: string, private readonly maxLineBytes = MAX_LINE_BYTES) {
    this.expected = Buffer.from(JSON.stringify(resourceType));
  }

  push(chunk: Buffer): void {
    let start = 0;
    let nl = chunk.indexOf(10);
    if (this.pending.length) {
      if (nl < 0) {
        this.hold(chunk);
        return;
      }
      this.pending.push(chunk.subarray(0, nl));
      const line = Buffer.concat(this.pending);
      this.pending = [];
      this.pendingBytes = 0;
      this.line(line, 0, line.length);
      start = nl + 1;
      nl = chunk.indexOf(10, start);
    }
    while (nl >= 0) {
      this.line(chunk, start, nl);
      start = nl + 1;
      nl = chunk.indexOf(10, start);
    }
    if (start < chunk.length) this.hold(chunk.subarray(start));
  }

  /** Checks the last line (a file need not end with a newline) and the count; answers the resources seen. */
  finish(expectedCount?: number): number {
    if (this.pending.length) {
      const line = Buffer.concat(this.pending);
      this.pending = [];
      this.pendingBytes = 0;
      this.line(line, 0, line.length);
    }
    if (expectedCount !== undefined && expectedCount !== this.resources) {
      throw new VerificationError(this.file, undefined,
        `${this.file} holds ${this.resources} resources but the manifest announced ${expectedCount}.`);
    }
    return this.resources;
  }

  private hold(piece: Buffer): void {
    this.pendingBytes += piece.length;
    if (this.pendingBytes > this.maxLineBytes) {
      throw new VerificationError(this.file, this.lineNo + 1,
        `${this.file}, line ${this.lineNo + 1}: longer than ${Math.round(this.maxLineBytes / 1048576)} MB without a line break; this is not NDJSON.`);
    }
    this.pending.push(piece);
  }

  private line(b: Buffer, start: number, end: number): void {
    this.lineNo++;
    // a UTF-8 byte order mark before the first resource
    if (this.lineNo === 1 && end - start >= 3 && b[start] === 0xef && b[start + 1] === 0xbb && b[start + 2] === 0xbf) start += 3;
    const span = checkJsonObject(b, start, end);
    if (!span) {
      if (isBlank(b, start, end)) return;
      const what = isJsonValue(b, start, end) ? 'is JSON but not a resource object' : 'is not valid JSON';
      throw new VerificationError(this.file, this.lineNo, `${this.file}, line ${this.lineNo}: ${what}.`);
    }
    if (span.typeStart < 0) {
      throw new VerificationError(this.file, this.lineNo, `${this.file}, line ${this.lineNo}: the resource has no resourceType.`);
    }
    if (!this.sameType(b, span.typeStart, span.typeEnd)) {
      const found = decodeType(b, span.typeStart, span.typeEnd);
      throw new VerificationError(this.file, this.lineNo,
        `${this.file}, line ${this.lineNo}: a ${found} where the manifest announced ${this.resourceType} resources.`);
    }
    this.resources++;
  }

  private sameType(b: Buffer, from: number, to: number): boolean {
    const e = this.expected;
    if (to - from === e.length && b.compare(e, 0, e.length, from, to) === 0) return true;
    // an escaped spelling ("Pati\u0065nt") is still the same type
    return b.indexOf(0x5c, from) >= 0 && b.indexOf(0x5c, from) < to && decodeType(b, from, to) === this.resourceType;
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
