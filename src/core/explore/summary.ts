// An export at a glance: summary.json and the files read once by the workers (every data line
// parsed for its type, patient, date and status; error reports and deleted entries counted).
import * as l10n from '@vscode/l10n';
import { createReadStream } from 'node:fs';
import { createInterface } from 'node:readline';
import { isOperationOutcome, issueTexts } from '../fhir/types';
import type { CountBar, ExportSummaryView, ScanProgress, SummaryFileView } from '../webviewProtocol/exportSummary';
import { type ExportFile, type ExportFolderInfo, readExportFolder } from './exportFolder';
import type { IndexResult } from './jobs';
import { splitParts } from './lines';
import type { WorkerPool } from './pool';

const BINS: [number, number][] = [[1, 1], [2, 5], [6, 10], [11, 25], [26, 50], [51, 100], [101, 250], [251, 500], [501, 1000], [1001, 2500], [2501, 5000], [5001, Infinity]];

function binLabel([lo, hi]: [number, number]): string {
  return hi === Infinity ? `${lo.toLocaleString('en-US')}+` : lo === hi ? String(lo) : `${lo.toLocaleString('en-US')}–${hi.toLocaleString('en-US')}`;
}

/** Patients by how many resources each has: a histogram over fixed bins, median and max. */
export function patientDistribution(counts: readonly number[]): { histogram: CountBar[]; median: number; max: number } {
  const sorted = [...counts].sort((a, b) => a - b);
  const histogram = BINS.map((b) => ({ label: binLabel(b), value: 0 }));
  for (const c of sorted) {
    const i = BINS.findIndex(([lo, hi]) => c >= lo && c <= hi);
    if (i !== -1) histogram[i].value++;
  }
  // no empty bins past the largest count
  let last = histogram.length - 1;
  while (last > 0 && histogram[last].value === 0) last--;
  return { histogram: histogram.slice(0, last + 1), median: sorted.length ? sorted[Math.floor((sorted.length - 1) / 2)] : 0, max: sorted[sorted.length - 1] ?? 0 };
}

/** Resources per month → bars per year, or per month when they span three years or less. */
export function timelineBars(months: ReadonlyMap<string, number>): { unit: 'year' | 'month'; bars: CountBar[] } {
  const keys = [...months.keys()].filter((k) => /^-?\d{4}-\d{2}$/.test(k)).sort();
  if (!keys.length) return { unit: 'year', bars: [] };
  const first = keys[0];
  const last = keys[keys.length - 1];
  const span = (Number(last.slice(0, 4)) - Number(first.slice(0, 4))) * 12 + Number(last.slice(5)) - Number(first.slice(5));
  if (span < 36) {
    const bars: CountBar[] = [];
    let [y, m] = [Number(first.slice(0, 4)), Number(first.slice(5))];
    for (let i = 0; i <= span; i++) {
      const key = `${String(y).padStart(4, '0')}-${String(m).padStart(2, '0')}`;
      bars.push({ label: key, value: months.get(key) ?? 0 });
      if (++m > 12) { m = 1; y++; }
    }
    return { unit: 'month', bars };
  }
  const years = new Map<number, number>();
  for (const [k, v] of months) years.set(Number(k.slice(0, 4)), (years.get(Number(k.slice(0, 4))) ?? 0) + v);
  const bars: CountBar[] = [];
  for (let y = Number(first.slice(0, 4)); y <= Number(last.slice(0, 4)); y++) bars.push({ label: String(y), value: years.get(y) ?? 0 });
  return { unit: 'year', bars };
}

async function eachLine(file: string, fn: (line: string) => void, signal?: AbortSignal): Promise<void> {
  const rl = createInterface({ input: createReadStream(file, 'utf8'), crlfDelay: Infinity });
  for await (const line of rl) {
    if (signal?.aborted) {
      rl.close();
      return;
    }
    if (line.trim()) fn(line);
  }
}

/** Deleted entries: Bundles of DELETE requests (`request.url` `Type/id`), or plain resources. */
async function countDeleted(file: ExportFile, byType: Map<string, number>, signal?: AbortSignal): Promise<number> {
  let n = 0;
  await eachLine(file.path, (line) => {
    let v: { resourceType?: unknown; entry?: { request?: { method?: unknown; url?: unknown }; resource?: { resourceType?: unknown } }[] };
    try {
      v = JSON.parse(line) as typeof v;
    } catch {
      return;
    }
    if (v.resourceType === 'Bundle' && Array.isArray(v.entry)) {
      for (const e of v.entry) {
        const url = typeof e?.request?.url === 'string' ? e.request.url : '';
        const type = /^([A-Za-z]+)\//.exec(url.replace(/^https?:\/\/[^?#]*?\/(?=[A-Z][A-Za-z]+\/)/, ''))?.[1]
          ?? (typeof e?.resource?.resourceType === 'string' ? e.resource.resourceType : file.type);
        byType.set(type, (byType.get(type) ?? 0) + 1);
        n++;
      }
    } else {
      const type = typeof v.resourceType === 'string' ? v.resourceType : file.type;
      byType.set(type, (byType.get(type) ?? 0) + 1);
      n++;
    }
  }, signal);
  return n;
}

/** Error reports: OperationOutcomes, counted per issue severity, the first texts kept. */
async function countErrors(file: ExportFile, severities: Map<string, number>, messages: string[], signal?: AbortSignal): Promise<number> {
  let n = 0;
  await eachLine(file.path, (line) => {
    n++;
    let v: unknown;
    try {
      v = JSON.parse(line);
    } catch {
      const label = l10n.t('unreadable');
      severities.set(label, (severities.get(label) ?? 0) + 1);
      return;
    }
    if (!isOperationOutcome(v)) {
      const label = l10n.t('not an OperationOutcome');
      severities.set(label, (severities.get(label) ?? 0) + 1);
      return;
    }
    for (const issue of v.issue ?? []) {
      const s = typeof issue.severity === 'string' ? issue.severity : l10n.t('unknown');
      severities.set(s, (severities.get(s) ?? 0) + 1);
    }
    for (const t of issueTexts(v)) if (messages.length < 50) messages.push(`${file.name}: ${t}`);
  }, signal);
  return n;
}

/**
 * Reads an export folder and every file in it; `onProgress` gets the summary as it grows
 * (summary.json's numbers first, then each file's scan).
 */
export async function summarizeExport(folder: string, pool: WorkerPool, onProgress: (view: ExportSummaryView, progress: ScanProgress) => void, signal?: AbortSignal): Promise<ExportSummaryView> {
  const info = await readExportFolder(folder);
  const byType = new Map<string, number>();
  const patients = new Map<string, number>();
  const months = new Map<string, number>();
  const severities = new Map<string, number>();
  const deletedByType = new Map<string, number>();
  const messages: string[] = [];
  const rows = new Map<string, { rows: number; bad: number }>();
  let capped = false;
  let undated = 0;
  let withoutPatient = 0;
  let reports = 0;
  let deleted = 0;
  const scanned = new Set<string>();
  const total = info.files.reduce((a, f) => a + f.bytes, 0);
  let bytesDone = 0;
  const progress = (): ScanProgress => ({ filesDone: scanned.size, files: info.files.length, bytesDone, bytes: total });
  const view = (): ExportSummaryView => build(info, { byType, patients, months, severities, deletedByType, messages, rows, capped, undated, withoutPatient, reports, deleted, scanned });
  // what summary.json says comes first; each file's count is replaced by its scan's
  onProgress(view(), progress());
  for (const f of info.files) {
    if (signal?.aborted) break;
    if (f.state === 'missing') {
      scanned.add(f.name);
      continue;
    }
    if (f.kind === 'data') {
      const parts = await splitParts(f.path, f.bytes, pool.size);
      const results = await Promise.all(parts.map((part) => pool.run<IndexResult>({ kind: 'index', path: f.path, part, facts: true }, { signal })));
      let r = 0;
      let bad = 0;
      for (const res of results) {
        r += res.rows;
        bad += res.badCount;
        res.types.forEach((t, i) => byType.set(t, (byType.get(t) ?? 0) + res.typeCounts[i]));
        if (res.facts) {
          for (const [p, n] of res.facts.patients) patients.set(p, (patients.get(p) ?? 0) + n);
          for (const [m, n] of res.facts.months) months.set(m, (months.get(m) ?? 0) + n);
          undated += res.facts.undated;
          capped ||= res.facts.patientsCapped;
          const linked = res.facts.patients.reduce((a, [, n]) => a + n, 0);
          withoutPatient += res.rows - res.badCount - linked;
        }
      }
      rows.set(f.name, { rows: r, bad });
    } else if (f.kind === 'deleted') {
      const n = await countDeleted(f, deletedByType, signal);
      deleted += n;
      rows.set(f.name, { rows: n, bad: 0 });
    } else {
      const n = await countErrors(f, severities, messages, signal);
      reports += n;
      rows.set(f.name, { rows: n, bad: 0 });
    }
    scanned.add(f.name);
    bytesDone += f.bytes;
    onProgress(view(), progress());
  }
  return view();
}

interface Tally {
  byType: Map<string, number>;
  patients: Map<string, number>;
  months: Map<string, number>;
  severities: Map<string, number>;
  deletedByType: Map<string, number>;
  messages: string[];
  rows: Map<string, { rows: number; bad: number }>;
  capped: boolean;
  undated: number;
  withoutPatient: number;
  reports: number;
  deleted: number;
  scanned: Set<string>;
}

const bars = (m: ReadonlyMap<string, number>): CountBar[] => [...m].map(([label, value]) => ({ label, value })).sort((a, b) => b.value - a.value || a.label.localeCompare(b.label));

function build(info: ExportFolderInfo, t: Tally): ExportSummaryView {
  const byType = new Map(t.byType);
  for (const f of info.files) {
    if (f.kind === 'data' && !t.scanned.has(f.name) && f.resources !== undefined) byType.set(f.type, (byType.get(f.type) ?? 0) + f.resources);
  }
  const dist = patientDistribution([...t.patients.values()]);
  const files: SummaryFileView[] = info.files.map((f) => ({
    name: f.name, type: f.type, kind: f.kind, bytes: f.bytes, state: f.state, rows: t.rows.get(f.name)?.rows ?? f.resources,
    badLines: t.rows.get(f.name)?.bad, warning: f.warning,
  }));
  const resources = [...byType.values()].reduce((a, b) => a + b, 0);
  const status = !info.hasSummary ? l10n.t('interrupted or still running (no summary.json yet)') : info.complete && !info.problems.length ? l10n.t('complete') : l10n.t('finished with problems');
  return {
    title: l10n.t('Export {0}', info.name),
    folder: info.folder,
    fhirVersion: info.fhirVersion,
    status,
    resources,
    bytes: info.files.reduce((a, f) => a + f.bytes, 0),
    byType: bars(byType),
    patients: { count: t.patients.size, capped: t.capped, median: dist.median, max: dist.max, withoutPatient: t.withoutPatient, histogram: dist.histogram },
    timeline: { ...timelineBars(t.months), undated: t.undated },
    files,
    errors: { reports: t.reports, bySeverity: bars(t.severities), messages: t.messages, problems: info.problems.slice(0, 200) },
    deleted: { entries: t.deleted, byType: bars(t.deletedByType) },
    badLines: [...t.rows.values()].reduce((a, r) => a + r.bad, 0),
  };
}
