// Reading an NDJSON file as lines, a byte range at a time: the whole file is never in memory.
// Lines end at "\n" (a "\r" before it is dropped); a last line without "\n" is still a line.
// A part of a file starts at a line start, so parts can be read by separate workers and their
// lines, rows and line numbers added up in order.
import { type FileHandle, open } from 'node:fs/promises';

/** Bytes read at a time. */
export const CHUNK_BYTES = 4 * 1024 * 1024;
/** The longest line kept whole; a longer one is reported as too long (V8 strings stop near 512 MB). */
export const MAX_LINE_BYTES = 256 * 1024 * 1024;

export interface Part {
  index: number;
  /** the first byte of the part (a line start) */
  start: number;
  /** the first byte after it (the next part's start, or the file size) */
  end: number;
}

/** One line of a part: `buf[from, to)` holds its bytes (without "\r\n"), unless `tooLong`. */
export interface LineRef {
  buf: Buffer;
  from: number;
  to: number;
  /** byte offset of the line in the file */
  offset: number;
  /** its length in bytes (also when `tooLong` and not in `buf`) */
  length: number;
  /** newlines in the part before this line (the line's 0-based number within the part) */
  lineInPart: number;
  tooLong: boolean;
}

/** True for a line of only spaces, tabs and carriage returns: NDJSON readers skip them, so do we. */
export function isBlank(buf: Buffer, from: number, to: number): boolean {
  for (let i = from; i < to; i++) {
    const c = buf[i];
    if (c !== 0x20 && c !== 0x09 && c !== 0x0d) return false;
  }
  return true;
}

/**
 * Splits a file of `size` bytes into at most `count` parts that start at line starts. Parts of
 * a small file are not worth a worker each: each part is at least `minBytes`.
 */
export async function splitParts(path: string, size: number, count: number, minBytes = 32 * 1024 * 1024): Promise<Part[]> {
  const n = Math.max(1, Math.min(count, Math.floor(size / minBytes) || 1));
  const starts = [0];
  if (n > 1) {
    const fh = await open(path, 'r');
    try {
      const probe = Buffer.allocUnsafe(64 * 1024);
      for (let k = 1; k < n; k++) {
        let at = Math.max(starts[starts.length - 1] + 1, Math.floor((size * k) / n));
        // the part starts after the first newline at or after the nominal split point
        for (;;) {
          const { bytesRead } = await fh.read(probe, 0, probe.length, at - 1);
          if (bytesRead === 0) { at = size; break; }
          const nl = probe.subarray(0, bytesRead).indexOf(0x0a);
          if (nl !== -1) { at = at - 1 + nl + 1; break; }
          at += bytesRead;
        }
        if (at >= size) break;
        if (at > starts[starts.length - 1]) starts.push(at);
      }
    } finally {
      await fh.close();
    }
  }
  return starts.map((start, index) => ({ index, start, end: index + 1 < starts.length ? starts[index + 1] : size }));
}

export interface ScanOptions {
  /** called after each chunk with the bytes of the part done so far; answering false stops the scan */
  onChunk?: (bytesDone: number) => boolean | void;
}

/**
 * Calls `onLine` for every line that starts in `part` (blank ones included: the caller decides),
 * reading `CHUNK_BYTES` at a time into one reused buffer. Answers the number of newlines seen,
 * which is where the next part's line numbers start. `line.buf` is only valid during the call.
 */
export async function scanPart(fh: FileHandle, part: Part, onLine: (line: LineRef) => void, options: ScanOptions = {}): Promise<number> {
  let buf = Buffer.allocUnsafe(Math.min(CHUNK_BYTES, Math.max(1, part.end - part.start) + 1));
  let filled = 0;
  /** file offset of buf[0] */
  let base = part.start;
  let pos = part.start;
  let newlines = 0;
  let eof = false;
  const line: LineRef = { buf, from: 0, to: 0, offset: 0, length: 0, lineInPart: 0, tooLong: false };
  const emit = (from: number, to: number, offset: number, length: number, tooLong: boolean) => {
    let end = to;
    if (!tooLong && end > from && buf[end - 1] === 0x0d) end--;
    line.buf = buf;
    line.from = from;
    line.to = end;
    line.offset = offset;
    line.length = tooLong ? length : end - from;
    line.lineInPart = newlines;
    line.tooLong = tooLong;
    onLine(line);
  };
  for (;;) {
    if (!eof && filled < buf.length) {
      const { bytesRead } = await fh.read(buf, filled, buf.length - filled, pos);
      if (bytesRead === 0) eof = true;
      filled += bytesRead;
      pos += bytesRead;
    }
    let s = 0;
    for (;;) {
      if (base + s >= part.end) return newlines;
      const nl = buf.indexOf(0x0a, s);
      if (nl === -1 || nl >= filled) break;
      emit(s, nl, base + s, nl - s, false);
      newlines++;
      s = nl + 1;
    }
    if (eof) {
      if (s < filled && base + s < part.end) emit(s, filled, base + s, filled - s, false);
      return newlines;
    }
    if (s === 0 && filled === buf.length) {
      // no newline in a full buffer: grow it for a long line, or give up on a monster line
      if (buf.length < MAX_LINE_BYTES) {
        const bigger = Buffer.allocUnsafe(Math.min(MAX_LINE_BYTES, buf.length * 2));
        buf.copy(bigger, 0, 0, filled);
        buf = bigger;
      } else {
        const start = base;
        const length = await skipLine(fh, pos, filled);
        emit(0, 0, start, length.length, true);
        newlines += length.newline ? 1 : 0;
        if (!length.newline) return newlines;
        base = start + length.length + 1;
        pos = base;
        filled = 0;
        if (buf.length > CHUNK_BYTES) buf = Buffer.allocUnsafe(CHUNK_BYTES);
      }
      continue;
    }
    // keep the unfinished line at the front and read on after it
    buf.copy(buf, 0, s, filled);
    filled -= s;
    base += s;
    if (buf.length > CHUNK_BYTES && filled < CHUNK_BYTES / 2) {
      const smaller = Buffer.allocUnsafe(CHUNK_BYTES);
      buf.copy(smaller, 0, 0, filled);
      buf = smaller;
    }
    if (options.onChunk?.(base - part.start) === false) return newlines;
  }
}

/** Reads on from `pos` to the end of an over-long line; answers its length and whether a newline ended it. */
async function skipLine(fh: FileHandle, pos: number, already: number): Promise<{ length: number; newline: boolean }> {
  const probe = Buffer.allocUnsafe(CHUNK_BYTES);
  let length = already;
  for (;;) {
    const { bytesRead } = await fh.read(probe, 0, probe.length, pos);
    if (bytesRead === 0) return { length, newline: false };
    const nl = probe.subarray(0, bytesRead).indexOf(0x0a);
    if (nl !== -1) return { length: length + nl, newline: true };
    length += bytesRead;
    pos += bytesRead;
  }
}

/** The UTF-8 text of a line, without a byte order mark at the very start of the file. */
export function lineText(buf: Buffer, from: number, to: number, offset: number): string {
  const bom = offset === 0 && to - from >= 3 && buf[from] === 0xef && buf[from + 1] === 0xbb && buf[from + 2] === 0xbf;
  return buf.toString('utf8', bom ? from + 3 : from, to);
}
