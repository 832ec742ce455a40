// One filter's run over an NDJSON file: the workers scan their parts with the FHIRPath expression
// and write the matching rows' records; rows are read back from those records, in file order.
import { isCancellation } from '../errors';
import type { FhirVersion } from '../environments';
import type { FilterResult } from './jobs';
import type { Part } from './lines';
import type { FileRow, FilterProgress, NdjsonFile } from './ndjsonFile';
import { filterNeedles } from './needles';
import type { WorkerPool } from './pool';
import { RecordSet } from './recordSet';

/** The matches of one filter over a file: rows as they are found, in file order. */
export class FilteredRows {
  private readonly set: RecordSet;
  private readonly abort = new AbortController();
  private readonly results: (FilterResult | undefined)[];
  private readonly bytesDone: number[];
  private readonly matchedSoFar: number[];
  private error: string | undefined;
  private cancelled = false;
  readonly finished: Promise<void>;

  constructor(
    private readonly file: NdjsonFile,
    readonly expression: string,
    version: FhirVersion,
    private readonly parts: Part[],
    prefix: string,
    pool: WorkerPool,
    private readonly onProgress: (p: FilterProgress) => void,
  ) {
    this.set = new RecordSet(parts, (p) => `${prefix}-${p.index}.rec`);
    this.results = parts.map(() => undefined);
    this.bytesDone = parts.map(() => 0);
    this.matchedSoFar = parts.map(() => 0);
    const needles = filterNeedles(expression);
    let last = 0;
    const report = (force = false) => {
      const now = Date.now();
      if (!force && now - last < 200) return;
      last = now;
      this.onProgress(this.progress());
    };
    this.finished = (async () => {
      try {
        await Promise.all(parts.map(async (part) => {
          const r = await pool.run<FilterResult>({ kind: 'filter', path: file.file, part, out: `${prefix}-${part.index}.rec`, expression, version, needles }, {
            signal: this.abort.signal,
            onProgress: (p) => {
              this.bytesDone[part.index] = p.bytes;
              this.matchedSoFar[part.index] = p.matched ?? 0;
              this.set.update(part.index, p.matched ?? 0);
              report();
            },
          });
          this.results[part.index] = r;
          this.bytesDone[part.index] = part.end - part.start;
          this.matchedSoFar[part.index] = r.matched;
          this.set.update(part.index, r.matched, { newlines: r.newlines });
          report();
        }));
      } catch (e) {
        if (isCancellation(e)) this.cancelled = true;
        else this.error = e instanceof Error ? e.message : String(e);
      }
      report(true);
    })();
  }

  progress(): FilterProgress {
    let evaluated = 0;
    let evalErrors = 0;
    let firstEvalError: FilterProgress['firstEvalError'];
    let lineBase = 0;
    for (let k = 0; k < this.parts.length; k++) {
      const r = this.results[k];
      if (r) {
        evaluated += r.evaluated;
        evalErrors += r.evalErrors;
        if (!firstEvalError && r.firstEvalError && this.results.slice(0, k).every(Boolean)) {
          firstEvalError = { line: lineBase + r.firstEvalError.lineInPart + 1, message: r.firstEvalError.message };
        }
      }
      lineBase += r?.newlines ?? 0;
    }
    return {
      expression: this.expression,
      bytes: this.file.size,
      bytesDone: this.bytesDone.reduce((a, b) => a + b, 0),
      matched: this.matchedSoFar.reduce((a, b) => a + b, 0),
      done: this.set.done,
      evaluated,
      evalErrors,
      firstEvalError,
      cancelled: this.cancelled || undefined,
      error: this.error,
    };
  }

  /** Matches that can be shown now (in file order, so those of later parts wait for earlier parts). */
  get rowCount(): number {
    return this.set.rowCount;
  }

  get done(): boolean {
    return this.set.done;
  }

  async rows(from: number, count: number): Promise<FileRow[]> {
    return this.file.withText(await this.set.read(from, count));
  }

  /** Stops the filter where it is; the matches found so far stay readable. */
  cancel(): void {
    if (!this.set.done) this.abort.abort();
  }

  async dispose(): Promise<void> {
    this.abort.abort();
    await this.finished;
    await this.set.dispose();
  }
}

