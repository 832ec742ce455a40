// An NDJSON file of any size, opened for viewing: its first rows straight away, an index of
// every line built by workers in the background (row records on disk, counts in memory), rows
// read from the file by offset on demand, and FHIRPath filters streamed through it.
import * as l10n from '@vscode/l10n';
import { mkdtemp, open, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { isCancellation } from '../errors';
import type { FhirVersion } from '../environments';
import { compileFhirPath } from './fhirpath';
import type { BadLine, Facts, IndexResult } from './jobs';
import { CHUNK_BYTES, isBlank, type Part, scanPart, splitParts } from './lines';
import type { WorkerPool } from './pool';
import { FilteredRows } from './filteredRows';
import { RecordSet, type RowRecord } from './recordSet';

/** Rows read at open, before the index has any. */
const HEAD_BYTES = 256 * 1024;
/** A line longer than this is not read to be shown (its row says how long it is). */
export const MAX_SHOWN_LINE_BYTES = 64 * 1024 * 1024;

export interface IndexProgress {
  bytes: number;
  bytesDone: number;
  rows: number;
  done: boolean;
  /** bad lines found so far (known per finished part) */
  badCount: number;
  /** resources per type, of the finished parts */
  types: Record<string, number>;
  error?: string;
}

export interface FileRow extends RowRecord {
  /** the line's text, unless it is too long to show */
  text?: string;
}

export interface FilterProgress {
  expression: string;
  bytes: number;
  bytesDone: number;
  matched: number;
  done: boolean;
  evaluated: number;
  evalErrors: number;
  firstEvalError?: { line: number; message: string };
  cancelled?: boolean;
  error?: string;
}

/** Facts of the whole file, once indexed. */
export interface FileFacts {
  types: Record<string, number>;
  badCount: number;
  /** the first bad lines, 1-based line numbers and rows */
  bad: { row: number; line: number; kind: number }[];
  facts?: Facts;
}

function mergeCounts(into: Map<string, number>, entries: Iterable<[string, number]>): void {
  for (const [k, v] of entries) into.set(k, (into.get(k) ?? 0) + v);
}

export class NdjsonFile {
  private head: RowRecord[] = [];
  private readonly index: RecordSet;
  private readonly results: (IndexResult | undefined)[];
  private readonly bytesDone: number[];
  private readonly abort = new AbortController();
  private indexError: string | undefined;
  private fh: Promise<import('node:fs/promises').FileHandle> | undefined;
  private filterSeq = 0;
  private readonly filters = new Set<FilteredRows>();
  readonly indexed: Promise<void>;

  private constructor(
    readonly file: string,
    readonly size: number,
    readonly parts: Part[],
    private readonly dir: string,
    private readonly pool: WorkerPool,
    private readonly onProgress: (p: IndexProgress) => void,
  ) {
    this.index = new RecordSet(parts, (p) => path.join(dir, `index-${p.index}.rec`));
    this.results = parts.map(() => undefined);
    this.bytesDone = parts.map(() => 0);
    const gate = new Promise<boolean>((resolve) => { this.gate = resolve; });
    this.indexed = gate.then((run) => (run ? this.startIndex() : undefined));
  }

  private gate!: (run: boolean) => void;
  private indexStarted = false;

  /**
   * Starts the background index (once). A file opened with `deferIndex` waits for this call, so
   * the first rows reach the screen before the workers take every core.
   */
  startIndexing(): void {
    if (this.indexStarted) return;
    this.indexStarted = true;
    this.gate(true);
  }

  /** Opens a file: reads its first rows, starts indexing. `onProgress` is called a few times a second at most. */
  static async open(file: string, pool: WorkerPool, onProgress: (p: IndexProgress) => void = () => undefined, options: { minPartBytes?: number; deferIndex?: boolean } = {}): Promise<NdjsonFile> {
    const st = await stat(file);
    if (!st.isFile()) throw new Error(l10n.t('{0} is not a file.', file));
    const dir = await mkdtemp(path.join(tmpdir(), 'oneup-ndjson-'));
    try {
      const parts = await splitParts(file, st.size, pool.size, options.minPartBytes);
      const f = new NdjsonFile(file, st.size, parts, dir, pool, onProgress);
      await f.readHead();
      if (!options.deferIndex) f.startIndexing();
      return f;
    } catch (e) {
      await rm(dir, { recursive: true, force: true });
      throw e;
    }
  }

  private async readHead(): Promise<void> {
    const fh = await this.handle();
    const head: RowRecord[] = [];
    await scanPart(fh, { index: 0, start: 0, end: Math.min(this.size, HEAD_BYTES) }, (l) => {
      if (!l.tooLong && isBlank(l.buf, l.from, l.to)) return;
      head.push({ row: head.length, offset: l.offset, length: l.length, line: l.lineInPart + 1, code: 0, time: Number.NaN, part: 0 });
    });
    this.head = head;
  }

  private handle(): Promise<import('node:fs/promises').FileHandle> {
    this.fh ??= open(this.file, 'r');
    return this.fh;
  }

  private async startIndex(): Promise<void> {
    let last = 0;
    const report = (force = false) => {
      const now = Date.now();
      if (!force && now - last < 200) return;
      last = now;
      this.onProgress(this.progress());
    };
    try {
      await Promise.all(this.parts.map(async (part) => {
        const result = await this.pool.run<IndexResult>({ kind: 'index', path: this.file, part, out: path.join(this.dir, `index-${part.index}.rec`), facts: false }, {
          signal: this.abort.signal,
          onProgress: (p) => {
            this.bytesDone[part.index] = p.bytes;
            this.index.update(part.index, p.rows);
            report();
          },
        });
        this.results[part.index] = result;
        this.bytesDone[part.index] = part.end - part.start;
        this.index.update(part.index, result.rows, { newlines: result.newlines });
        report();
      }));
    } catch (e) {
      if (isCancellation(e)) return;
      this.indexError = e instanceof Error ? e.message : String(e);
    }
    report(true);
  }

  progress(): IndexProgress {
    const types: Record<string, number> = {};
    let badCount = 0;
    for (const r of this.results) {
      if (!r) continue;
      badCount += r.badCount;
      r.types.forEach((t, i) => { types[t] = (types[t] ?? 0) + r.typeCounts[i]; });
    }
    return {
      bytes: this.size,
      bytesDone: this.bytesDone.reduce((a, b) => a + b, 0),
      rows: this.rowCount,
      done: this.index.done,
      badCount,
      types,
      error: this.indexError,
    };
  }

  get rowCount(): number {
    return Math.max(this.head.length, this.index.rowCount);
  }

  get done(): boolean {
    return this.index.done;
  }

  /** What the index found in the whole file (undefined until it is done). */
  facts(): FileFacts | undefined {
    if (!this.index.done || this.results.some((r) => !r)) return undefined;
    const results = this.results as IndexResult[];
    const patients = new Map<string, number>();
    const months = new Map<string, number>();
    const statuses = new Map<string, number>();
    const bad: FileFacts['bad'] = [];
    let undated = 0;
    let capped = false;
    let rowBase = 0;
    let lineBase = 0;
    for (const r of results) {
      if (r.facts) {
        mergeCounts(patients, r.facts.patients);
        mergeCounts(months, r.facts.months);
        mergeCounts(statuses, r.facts.statuses);
        undated += r.facts.undated;
        capped ||= r.facts.patientsCapped;
      }
      for (const b of r.bad as BadLine[]) bad.push({ row: rowBase + b.row, line: lineBase + b.lineInPart + 1, kind: b.kind });
      rowBase += r.rows;
      lineBase += r.newlines;
    }
    const p = this.progress();
    return {
      types: p.types,
      badCount: p.badCount,
      bad,
      facts: { patients: [...patients], patientsCapped: capped, months: [...months], undated, statuses: [...statuses] },
    };
  }

  /** Rows `[from, from + count)` with their text, read from the file. */
  async rows(from: number, count: number): Promise<FileRow[]> {
    const records = from + count <= this.index.rowCount || this.index.rowCount >= this.head.length
      ? await this.index.read(from, count)
      : this.head.slice(from, from + count);
    return this.withText(records);
  }

  /** Reads the lines of records, contiguous ones in one read. */
  async withText(records: RowRecord[]): Promise<FileRow[]> {
    const fh = await this.handle();
    const out: FileRow[] = [];
    let i = 0;
    while (i < records.length) {
      const first = records[i];
      if (first.length > MAX_SHOWN_LINE_BYTES) {
        out.push({ ...first });
        i++;
        continue;
      }
      let j = i + 1;
      let end = first.offset + first.length;
      while (j < records.length && records[j].length <= MAX_SHOWN_LINE_BYTES && records[j].offset >= end
        && records[j].offset - end < 4096 && records[j].offset + records[j].length - first.offset <= CHUNK_BYTES) {
        end = records[j].offset + records[j].length;
        j++;
      }
      const buf = Buffer.allocUnsafe(end - first.offset);
      const { bytesRead } = await fh.read(buf, 0, buf.length, first.offset);
      for (let k = i; k < j; k++) {
        const r = records[k];
        const from = r.offset - first.offset;
        if (from + r.length > bytesRead) throw new Error(l10n.t('{0} changed on disk while it was shown: open it again.', path.basename(this.file)));
        const bom = r.offset === 0 && buf[0] === 0xef && buf[1] === 0xbb && buf[2] === 0xbf ? 3 : 0;
        out.push({ ...r, text: buf.toString('utf8', from + bom, from + r.length) });
      }
      i = j;
    }
    return out;
  }

  /** The first row at or after a 1-based line number (once the index reaches it). */
  async rowAtLine(line: number): Promise<number | undefined> {
    // before the index reaches the line, the rows read at open may hold it
    if (this.index.rowCount < this.head.length || (this.head.length && line <= this.head[this.head.length - 1].line && this.index.rowCount === 0)) {
      const i = this.head.findIndex((r) => r.line >= line);
      if (i !== -1) return i;
    }
    return this.index.rowAtLine(line);
  }

  /**
   * Streams a FHIRPath filter through the whole file with the workers. Throws a FhirPathError
   * at once for an expression that does not compile.
   */
  filter(expression: string, version: FhirVersion, onProgress: (p: FilterProgress) => void): FilteredRows {
    compileFhirPath(expression, version);
    const run = new FilteredRows(this, expression, version, this.parts, path.join(this.dir, `filter-${++this.filterSeq}`), this.pool, onProgress);
    this.filters.add(run);
    return run;
  }

  /** The row of the whole file that a filter match is (for keeping the selection when the filter is cleared). */
  fileRowOf(r: RowRecord): number {
    return this.index.partRowStart(r.part) + r.code;
  }

  async close(): Promise<void> {
    this.abort.abort();
    if (!this.indexStarted) {
      this.indexStarted = true;
      this.gate(false);
    }
    await this.indexed;
    await Promise.all([...this.filters].map((f) => f.dispose()));
    await this.index.dispose();
    const fh = this.fh;
    this.fh = undefined;
    await fh?.then((h) => h.close(), () => undefined);
    await rm(this.dir, { recursive: true, force: true });
  }
}
