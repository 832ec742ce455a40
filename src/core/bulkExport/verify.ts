import * as l10n from '@vscode/l10n';
import { checkJsonObject, isJsonValue } from './jsonCheck';

/**
 * A downloaded file is not what the manifest promised: `line` a line that is not a resource of
 * the type, `count` a complete file with another number of resources than announced, `too-many`
 * a file still sending past its announced count (stopped there).
 */
export class VerificationError extends Error {
  override readonly name = 'VerificationError';
  constructor(readonly file: string, readonly kind: 'line' | 'count' | 'too-many', readonly line: number | undefined, message: string) {
    super(message);
  }
}

/** Longest line accepted: a resource with big inline attachments fits, a server that never sends a newline does not. */
export const MAX_LINE_BYTES = 64 * 1024 * 1024;

export interface VerifierOptions {
  maxLineBytes?: number;
  /** The manifest's count: a file is stopped at the first resource past it. */
  expected?: number;
}

/**
 * Checks NDJSON as it streams past: each line must be a JSON object whose top-level
 * resourceType is the manifest's type. Lines are split on raw bytes and checked in place (one
 * checker, `jsonCheck.ts`, measured twice as fast per GB as `JSON.parse` of each line), so
 * memory holds at most one partial line between chunks. Blank lines are tolerated. Errors never
 * quote the line (it is health data), only its number.
 */
export class NdjsonVerifier {
  /** Resources (non-blank lines) seen so far. */
  resources = 0;
  /** Bytes from the start up to the end of the last line that checked out: a prefix worth keeping. */
  verifiedBytes = 0;
  private lineNo = 0;
  private pushed = 0;
  private pending: Buffer[] = [];
  private pendingBytes = 0;
  private readonly expectedType: Buffer;
  private readonly maxLineBytes: number;
  private readonly expected: number | undefined;

  constructor(readonly file: string, readonly resourceType: string, o: VerifierOptions = {}) {
    this.expectedType = Buffer.from(JSON.stringify(resourceType));
    this.maxLineBytes = o.maxLineBytes ?? MAX_LINE_BYTES;
    this.expected = o.expected;
  }

  /** Checks the complete lines in chunk; keeps a copy of a trailing partial line. */
  push(chunk: Buffer): void {
    const base = this.pushed;
    this.pushed += chunk.length;
    let start = 0;
    if (this.pending.length) {
      const nl = chunk.indexOf(10);
      if (nl < 0) {
        this.hold(chunk);
        return;
      }
      this.pending.push(chunk.subarray(0, nl));
      this.flushPending(base + nl + 1);
      start = nl + 1;
    }
    const last = chunk.lastIndexOf(10);
    if (last >= start) {
      this.lines(chunk, start, last, base);
      start = last + 1;
    }
    if (start < chunk.length) this.hold(chunk.subarray(start));
  }

  /** Checks the last line (a file need not end with a newline) and the count; answers the resources seen. */
  finish(): number {
    if (this.pending.length) this.flushPending(this.pushed);
    if (this.expected !== undefined && this.expected !== this.resources) {
      throw new VerificationError(this.file, 'count', undefined,
        l10n.t({ message: '{0} holds {1} resources but the manifest announced {2}.', args: [this.file, this.resources, this.expected], comment: ['{0}: a file name; {1} and {2}: numbers of resources'] }));
    }
    return this.resources;
  }

  private flushPending(endOffset: number): void {
    const line = Buffer.concat(this.pending);
    this.pending = [];
    this.pendingBytes = 0;
    this.line(line, 0, line.length);
    this.verifiedBytes = endOffset;
  }

  private hold(piece: Buffer): void {
    this.pendingBytes += piece.length;
    if (this.pendingBytes > this.maxLineBytes) {
      throw new VerificationError(this.file, 'line', this.lineNo + 1,
        l10n.t({ message: '{0}, line {1}: longer than {2} MB without a line break; this is not NDJSON.', args: [this.file, this.lineNo + 1, Math.round(this.maxLineBytes / 1048576)], comment: ['{0}: a file name; {1}: a line number; {2}: a number of megabytes'] }));
    }
    // a copy: the caller's chunk may be reused once push returns
    this.pending.push(Buffer.from(piece));
  }

  /** The lines of b[start, end], separated by newlines; b[end] is a newline. */
  private lines(b: Buffer, start: number, end: number, base: number): void {
    for (let s = start; s <= end;) {
      let nl = b.indexOf(10, s);
      if (nl < 0 || nl > end) nl = end;
      this.line(b, s, nl);
      this.verifiedBytes = base + nl + 1;
      s = nl + 1;
    }
  }

  private line(b: Buffer, start: number, end: number): void {
    this.lineNo++;
    // a UTF-8 byte order mark before the first resource
    if (this.lineNo === 1 && end - start >= 3 && b[start] === 0xef && b[start + 1] === 0xbb && b[start + 2] === 0xbf) start += 3;
    const span = checkJsonObject(b, start, end);
    if (!span) {
      if (isBlank(b, start, end)) return;
      this.fail(isJsonValue(b, start, end)
        ? l10n.t({ message: '{0}, line {1}: is JSON but not a resource object.', args: [this.file, this.lineNo], comment: ['{0}: a file name; {1}: a line number'] })
        : l10n.t({ message: '{0}, line {1}: is not valid JSON.', args: [this.file, this.lineNo], comment: ['{0}: a file name; {1}: a line number'] }));
    } else if (span.typeStart < 0) {
      this.fail(l10n.t({ message: '{0}, line {1}: the resource has no resourceType.', args: [this.file, this.lineNo], comment: ['{0}: a file name; {1}: a line number'] }));
    } else {
      this.typeCheck(b, span.typeStart, span.typeEnd);
    }
    if (this.expected !== undefined && this.resources > this.expected) {
      // the line past the count is not kept, so it is not counted either
      this.resources--;
      throw new VerificationError(this.file, 'too-many', this.lineNo,
        l10n.t({ message: '{0}: the server sent more than the {1} resources the manifest announced; the download was stopped there.', args: [this.file, this.expected], comment: ['{0}: a file name; {1}: a number of resources'] }));
    }
  }

  /** Counts the resource if its type (b[from, to), quoted) is the expected one, in any spelling. */
  private typeCheck(b: Buffer, from: number, to: number): void {
    const e = this.expectedType;
    const same = (to - from === e.length && b.compare(e, 0, e.length, from, to) === 0)
      // an escaped spelling ("Pati\u0065nt") is still the same type
      || (b.subarray(from, to).includes(0x5c) && JSON.parse(b.toString('utf8', from, to)) === this.resourceType);
    if (!same) {
      this.fail(l10n.t({
        message: '{0}, line {1}: a {2} where the manifest announced {3} resources.', args: [this.file, this.lineNo, decodeType(b, from, to), this.resourceType],
        comment: ['{0}: a file name; {1}: a line number; {2}: the resource type found, in quotes; {3}: the resource type expected'],
      }));
    }
    this.resources++;
  }

  /** A bad line: `message` names the file and the line. */
  private fail(message: string): never {
    throw new VerificationError(this.file, 'line', this.lineNo, message);
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
