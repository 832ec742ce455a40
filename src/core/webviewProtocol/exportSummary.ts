import { COMMON_UPDATES, CommonUpdate } from './common';
import { is, parseMessage } from './validate';

export interface CountBar {
  label: string;
  value: number;
  /** hover / text alternative detail */
  note?: string;
  /** a class for its colour: data, deleted, error, incomplete, unlisted, missing, changed */
  tone?: string;
}

export interface SummaryFileView {
  name: string;
  type: string;
  kind: 'data' | 'error' | 'deleted';
  bytes: number;
  state: string;
  /** rows the scan read (resources, reports or deleted entries) */
  rows?: number;
  badLines?: number;
  warning?: string;
}

/** An export at a glance: what the charts draw, and the numbers under them. */
export interface ExportSummaryView {
  title: string;
  folder: string;
  fhirVersion?: string;
  /** "complete", "finished with problems", "interrupted or running" */
  status: string;
  resources: number;
  bytes: number;
  byType: CountBar[];
  patients: { count: number; capped: boolean; median: number; max: number; withoutPatient: number; histogram: CountBar[] };
  timeline: { unit: 'year' | 'month'; bars: CountBar[]; undated: number };
  files: SummaryFileView[];
  errors: { reports: number; bySeverity: CountBar[]; messages: string[]; problems: string[] };
  deleted: { entries: number; byType: CountBar[] };
  badLines: number;
}

export interface ScanProgress {
  filesDone: number;
  files: number;
  bytesDone: number;
  bytes: number;
}

/** host → summary */
export type ExportSummaryUpdate =
  | { type: 'summary'; view: ExportSummaryView; scanning: boolean; progress?: ScanProgress }
  | CommonUpdate;

/** summary → host */
export type ExportSummaryRequest =
  | { type: 'ready' }
  | { type: 'openFile'; name: string }
  | { type: 'copyQuery' }
  | { type: 'rescan' };

const bar = is.shape({ label: is.string(10_000), value: is.int(), note: is.optional(is.string(10_000)), tone: is.optional(is.string(40)) });
const bars = is.array(bar, 10_000);

const UPDATES = {
  summary: {
    view: is.shape({
      title: is.string(10_000), folder: is.string(10_000), status: is.string(1_000), resources: is.int(), bytes: is.int(), byType: bars,
      patients: is.shape({ count: is.int(), capped: is.boolean(), median: is.int(), max: is.int(), withoutPatient: is.int(), histogram: bars }),
      timeline: is.shape({ unit: is.oneOf('year', 'month'), bars, undated: is.int() }),
      files: is.array(is.shape({ name: is.string(10_000), type: is.string(200), kind: is.oneOf('data', 'error', 'deleted'), bytes: is.int(), state: is.string(100) }), 100_000),
      errors: is.shape({ reports: is.int(), bySeverity: bars, messages: is.array(is.string(10_000), 1_000), problems: is.array(is.string(10_000), 10_000) }),
      deleted: is.shape({ entries: is.int(), byType: bars }),
      badLines: is.int(),
    }),
    scanning: is.boolean(),
    progress: is.optional(is.shape({ filesDone: is.int(), files: is.int(), bytesDone: is.int(), bytes: is.int() })),
  },
  ...COMMON_UPDATES,
} as const;

const REQUESTS = { ready: {}, openFile: { name: is.string(10_000) }, copyQuery: {}, rescan: {} } as const;

export function parseExportSummaryUpdate(raw: unknown): ExportSummaryUpdate | undefined {
  return parseMessage<ExportSummaryUpdate>(UPDATES, raw);
}

export function parseExportSummaryRequest(raw: unknown): ExportSummaryRequest | undefined {
  return parseMessage<ExportSummaryRequest>(REQUESTS, raw);
}
