// Row records written by workers, one file per part, read back a few at a time. Rows of a part
// can be numbered once every part before it is done, so the readable rows are the finished
// parts in order plus what the first unfinished one has written so far.
import * as l10n from '@vscode/l10n';
import { type FileHandle, open, rm } from 'node:fs/promises';
import { RECORD_BYTES, RECORD_FIELDS } from './jobs';
import type { Part } from './lines';

/** One row record with its numbers in the whole file. */
export interface RowRecord {
  /** position in this set (0-based) */
  row: number;
  offset: number;
  length: number;
  /** 1-based line number in the file */
  line: number;
  /** index: bad kind × 65536 + type; filter: the row within its part */
  code: number;
  time: number;
  part: number;
}

interface PartState {
  part: Part;
  file: string;
  /** records in the file that may be read */
  rows: number;
  done: boolean;
  /** newlines in the part (known when done) */
  newlines: number;
  fh?: Promise<FileHandle>;
}

export class RecordSet {
  private readonly parts: PartState[];
  private closed = false;

  constructor(parts: readonly Part[], fileOf: (p: Part) => string) {
    this.parts = parts.map((part) => ({ part, file: fileOf(part), rows: 0, done: false, newlines: 0 }));
  }

  /** A worker wrote more records (progress) or finished its part. */
  update(part: number, rows: number, done?: { newlines: number }): void {
    const p = this.parts[part];
    p.rows = Math.max(p.rows, rows);
    if (done) {
      p.done = true;
      p.newlines = done.newlines;
    }
  }

  get done(): boolean {
    return this.parts.every((p) => p.done);
  }

  /** Rows that can be read now. */
  get rowCount(): number {
    let n = 0;
    for (const p of this.parts) {
      n += p.rows;
      if (!p.done) break;
    }
    return n;
  }

  /** Rows of a part (and the parts before it) once those are done: where its rows start. */
  private firstRowOf(k: number): number {
    let n = 0;
    for (let i = 0; i < k; i++) n += this.parts[i].rows;
    return n;
  }

  private firstLineOf(k: number): number {
    let n = 0;
    for (let i = 0; i < k; i++) n += this.parts[i].newlines;
    return n;
  }

  /** Records `[from, from + count)` (clamped to what can be read). */
  async read(from: number, count: number): Promise<RowRecord[]> {
    const out: RowRecord[] = [];
    const end = Math.min(this.rowCount, from + count);
    let row = Math.max(0, from);
    let k = 0;
    let start = 0;
    while (row < end && k < this.parts.length) {
      const p = this.parts[k];
      if (row >= start + p.rows) {
        start += p.rows;
        k++;
        continue;
      }
      const local = row - start;
      const n = Math.min(end - row, p.rows - local);
      const values = await this.readPart(p, local, n);
      const lineBase = this.firstLineOf(k);
      for (let i = 0; i < n; i++) {
        const j = i * RECORD_FIELDS;
        out.push({
          row: row + i, offset: values[j], length: values[j + 1], line: lineBase + values[j + 2] + 1,
          code: values[j + 3], time: values[j + 4], part: k,
        });
      }
      row += n;
    }
    return out;
  }

  /** The row in the whole (unfiltered) file of a filter match: its part's first row plus its row in the part. */
  fileRowOf(r: RowRecord, firstRowOfPart: (part: number) => number): number {
    return firstRowOfPart(r.part) + r.code;
  }

  /** Where part `k` starts in rows, for another set over the same parts (see fileRowOf). */
  partRowStart(k: number): number {
    return this.firstRowOf(k);
  }

  /**
   * The first row whose line is `line` or later (binary search over the records), or undefined
   * past the readable rows.
   */
  async rowAtLine(line: number): Promise<number | undefined> {
    let lo = 0;
    let hi = this.rowCount;
    while (lo < hi) {
      const mid = Math.floor((lo + hi) / 2);
      const [r] = await this.read(mid, 1);
      if (r.line < line) lo = mid + 1;
      else hi = mid;
    }
    return lo < this.rowCount ? lo : undefined;
  }

  private async readPart(p: PartState, local: number, n: number): Promise<Float64Array> {
    if (this.closed) throw new Error(l10n.t('The view was closed.'));
    p.fh ??= open(p.file, 'r');
    const fh = await p.fh;
    const bytes = Buffer.allocUnsafe(n * RECORD_BYTES);
    const { bytesRead } = await fh.read(bytes, 0, bytes.length, local * RECORD_BYTES);
    if (bytesRead < bytes.length) throw new Error(l10n.t('The index of {0} is shorter than expected.', p.file));
    // a fresh Buffer of this size may sit at an unaligned offset of a shared pool: copy to align
    const aligned = new Float64Array(n * RECORD_FIELDS);
    new Uint8Array(aligned.buffer).set(bytes);
    return aligned;
  }

  /** Closes the files and deletes them. */
  async dispose(): Promise<void> {
    this.closed = true;
    for (const p of this.parts) {
      const fh = p.fh;
      p.fh = undefined;
      await fh?.then((h) => h.close(), () => undefined);
      await rm(p.file, { force: true });
    }
  }
}
