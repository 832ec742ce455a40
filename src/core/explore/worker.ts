// The explorer's worker thread: runs one job at a time (jobs.ts) over a part of a file and
// answers progress, then the result. Loading this module in the main thread does nothing; in a
// worker started by pool.ts (workerData.oneupExplore) it starts listening.
import { open } from 'node:fs/promises';
import { isMainThread, parentPort, workerData } from 'node:worker_threads';
import { configureL10n } from '../l10n';
import { isResource, patientOf, patientsOf, statusOf, timeOfResource } from './facts';
import { compileFhirPath, evaluationMessage, filterVerdict, manyMessage } from './fhirpath';
import type { BadLine, ExploreWorkerData, Facts, FilterJob, FilterResult, IndexJob, IndexResult, Job, PatientJob, PatientResult, WorkerReply } from './jobs';
import { BadKind, MAX_BAD_KEPT, MAX_PATIENTS_COUNTED, NO_TYPE, RECORD_FIELDS } from './jobs';
import { isBlank, lineText, scanPart } from './lines';
import { Prefilter } from './needles';

const BATCH = 16_384;

/**
 * Appends row records to a file. `add` never waits: a full batch is copied into the write queue,
 * and writes happen in order behind the scan.
 */
class RecordWriter {
  private readonly batch = new Float64Array(BATCH * RECORD_FIELDS);
  private n = 0;
  private chain: Promise<void> = Promise.resolve();
  /** records on disk */
  written = 0;
  private constructor(private readonly fh: Awaited<ReturnType<typeof open>>) {}

  static async create(path: string): Promise<RecordWriter> {
    return new RecordWriter(await open(path, 'w', 0o600));
  }

  add(offset: number, length: number, lineInPart: number, code: number, time: number): void {
    const b = this.batch;
    const i = this.n * RECORD_FIELDS;
    b[i] = offset;
    b[i + 1] = length;
    b[i + 2] = lineInPart;
    b[i + 3] = code;
    b[i + 4] = time;
    if (++this.n === BATCH) this.queue();
  }

  private queue(): void {
    const count = this.n;
    const bytes = Buffer.from(this.batch.buffer, 0, count * RECORD_FIELDS * 8);
    const copy = Buffer.allocUnsafe(bytes.length);
    bytes.copy(copy);
    this.n = 0;
    this.chain = this.chain.then(async () => {
      await this.fh.write(copy);
      this.written += count;
    });
  }

  /** Resolves once every record added so far is on disk. */
  flush(): Promise<void> {
    if (this.n) this.queue();
    return this.chain;
  }

  async close(): Promise<void> {
    await this.flush();
    await this.fh.close();
  }
}

type Reply = (r: WorkerReply) => void;

/** `YYYY-MM` of a month number (year × 12 + month). */
function monthKey(m: number): string {
  const y = Math.floor(m / 12);
  return `${y < 0 ? '-' : ''}${String(Math.abs(y)).padStart(4, '0')}-${String((m % 12 + 12) % 12 + 1).padStart(2, '0')}`;
}

function counter(map: Map<string, number>, key: string): void {
  map.set(key, (map.get(key) ?? 0) + 1);
}

async function runIndex(job: IndexJob, cancelled: () => boolean, reply: Reply): Promise<IndexResult | undefined> {
  const fh = await open(job.path, 'r');
  const writer = job.out ? await RecordWriter.create(job.out) : undefined;
  const types: string[] = [];
  const typeIndex = new Map<string, number>();
  const typeCounts: number[] = [];
  const bad: BadLine[] = [];
  let badCount = 0;
  let rows = 0;
  const patients = new Map<string, number>();
  const months = new Map<number, number>();
  const statuses = new Map<string, number>();
  let patientsCapped = false;
  let undated = 0;
  try {
    const newlines = await scanPart(fh, job.part, (line) => {
      if (!line.tooLong && isBlank(line.buf, line.from, line.to)) return;
      let kind = BadKind.None;
      let type = NO_TYPE;
      let time = Number.NaN;
      if (line.tooLong) kind = BadKind.TooLong;
      else {
        let value: unknown;
        try {
          value = JSON.parse(lineText(line.buf, line.from, line.to, line.offset));
        } catch {
          kind = BadKind.Json;
        }
        if (kind === BadKind.None && !isResource(value)) kind = BadKind.NotResource;
        if (kind === BadKind.None && isResource(value)) {
          let t = typeIndex.get(value.resourceType);
          if (t === undefined && types.length < NO_TYPE) {
            t = types.push(value.resourceType.slice(0, 200)) - 1;
            typeIndex.set(value.resourceType, t);
            typeCounts.push(0);
          }
          if (t !== undefined) {
            type = t;
            typeCounts[t]++;
          }
          // dates cost as much as the parse itself: only a summary (facts) asks for them
          if (job.facts) {
            time = timeOfResource(value);
            const p = patientOf(value);
            if (p !== undefined) {
              if (patients.has(p) || patients.size < MAX_PATIENTS_COUNTED) counter(patients, p);
              else patientsCapped = true;
            }
            if (Number.isFinite(time)) {
              const d = new Date(time);
              const m = d.getUTCFullYear() * 12 + d.getUTCMonth();
              months.set(m, (months.get(m) ?? 0) + 1);
            } else undated++;
            const s = statusOf(value);
            if (s) counter(statuses, s);
          }
        }
      }
      if (kind !== BadKind.None) {
        badCount++;
        if (bad.length < MAX_BAD_KEPT) bad.push({ row: rows, lineInPart: line.lineInPart, kind });
      }
      writer?.add(line.offset, line.length, line.lineInPart, kind * 65536 + type, time);
      rows++;
    }, {
      onChunk: (bytes) => {
        if (cancelled()) return false;
        // the progress counts only records already in the file: readers may read that far
        if (writer) void writer.flush().then(() => reply({ type: 'progress', bytes, rows: writer.written }));
        else reply({ type: 'progress', bytes, rows });
        return true;
      },
    });
    await writer?.close();
    if (cancelled()) return undefined;
    const facts: Facts | undefined = job.facts
      ? { patients: [...patients], patientsCapped, months: [...months].map(([m, n]): [string, number] => [monthKey(m), n]), undated, statuses: [...statuses] }
      : undefined;
    return { rows, newlines, types, typeCounts, badCount, bad, facts };
  } finally {
    await fh.close();
  }
}

async function runFilter(job: FilterJob, cancelled: () => boolean, reply: Reply): Promise<FilterResult | undefined> {
  const evaluate = compileFhirPath(job.expression, job.version);
  const pre = new Prefilter(job.needles);
  const fh = await open(job.path, 'r');
  const writer = await RecordWriter.create(job.out);
  let rows = 0;
  let matched = 0;
  let evaluated = 0;
  let evalErrors = 0;
  let firstEvalError: FilterResult['firstEvalError'];
  try {
    const newlines = await scanPart(fh, job.part, (line) => {
      if (line.tooLong) {
        rows++;
        return;
      }
      if (isBlank(line.buf, line.from, line.to)) return;
      const row = rows++;
      if (!pre.candidate(line.buf, line.from, line.to)) return;
      let value: unknown;
      try {
        value = JSON.parse(lineText(line.buf, line.from, line.to, line.offset));
      } catch {
        return;
      }
      if (!isResource(value)) return;
      evaluated++;
      let verdict: boolean | 'many';
      try {
        verdict = filterVerdict(evaluate(value));
      } catch (e) {
        evalErrors++;
        firstEvalError ??= { lineInPart: line.lineInPart, message: evaluationMessage(e) };
        return;
      }
      if (verdict === 'many') {
        evalErrors++;
        firstEvalError ??= { lineInPart: line.lineInPart, message: manyMessage() };
        return;
      }
      if (!verdict) return;
      matched++;
      writer.add(line.offset, line.length, line.lineInPart, row, Number.NaN);
    }, {
      onChunk: (bytes) => {
        if (cancelled()) return false;
        const scanned = rows;
        void writer.flush().then(() => reply({ type: 'progress', bytes, rows: scanned, matched: writer.written }));
        return true;
      },
    });
    await writer.close();
    if (cancelled()) return undefined;
    return { rows, newlines, matched, evaluated, evalErrors, firstEvalError };
  } finally {
    await fh.close();
  }
}

async function runPatient(job: PatientJob, cancelled: () => boolean): Promise<PatientResult | undefined> {
  const pre = new Prefilter([JSON.stringify(job.patientId).slice(1, -1)]);
  const fh = await open(job.path, 'r');
  const lines: string[] = [];
  let truncated = false;
  try {
    await scanPart(fh, job.part, (line) => {
      if (line.tooLong || truncated || !pre.candidate(line.buf, line.from, line.to)) return;
      const text = lineText(line.buf, line.from, line.to, line.offset);
      let value: unknown;
      try {
        value = JSON.parse(text);
      } catch {
        return;
      }
      if (!isResource(value) || !patientsOf(value).includes(job.patientId)) return;
      if (lines.length >= job.max) truncated = true;
      else lines.push(text);
    }, { onChunk: () => !cancelled() });
    return cancelled() ? undefined : { lines, truncated };
  } finally {
    await fh.close();
  }
}

async function run(job: Job, cancelled: () => boolean, reply: Reply): Promise<void> {
  try {
    const result = job.kind === 'index' ? await runIndex(job, cancelled, reply)
      : job.kind === 'filter' ? await runFilter(job, cancelled, reply)
        : await runPatient(job, cancelled);
    reply(result ? { type: 'done', result } : { type: 'cancelled' });
  } catch (e) {
    reply({ type: 'error', message: e instanceof Error ? e.message : String(e) });
  }
}

if (!isMainThread && parentPort && (workerData as Partial<ExploreWorkerData> | undefined)?.oneupExplore) {
  const port = parentPort;
  configureL10n((workerData as ExploreWorkerData).l10n);
  port.on('message', (m: { job: Job; cancel: SharedArrayBuffer }) => {
    const flag = new Int32Array(m.cancel);
    void run(m.job, () => Atomics.load(flag, 0) !== 0, (r) => port.postMessage(r));
  });
}
