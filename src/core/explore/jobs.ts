// What the explorer's workers are asked to do, and what they answer. Every job reads one part
// of one NDJSON file (see lines.ts) and never holds more than a chunk and its answer.
import type { FhirVersion } from '../environments';
import type { Part } from './lines';

/**
 * A row record, as the workers write them to a records file (float64s in the machine's order):
 * byte offset, byte length, line within the part, then for the index the code (bad kind × 65536
 * + type index) and time (ms or NaN); for a filter's matches, the row within the part and NaN.
 */
export const RECORD_FIELDS = 5;
export const RECORD_BYTES = RECORD_FIELDS * 8;
export const NO_TYPE = 0xffff;

/** Why a line is not shown as a resource. */
export const enum BadKind {
  None = 0,
  /** JSON.parse refused it */
  Json = 1,
  /** valid JSON, but not an object with a resourceType */
  NotResource = 2,
  /** longer than the viewer keeps (lines.ts MAX_LINE_BYTES) */
  TooLong = 3,
}

/** Counts a job adds up while it reads: per type, patient, month and status. */
export interface Facts {
  /** resources per patient id (first patient link of each resource) */
  patients: [string, number][];
  /** set when more distinct patients were seen than are counted */
  patientsCapped: boolean;
  /** resources per `YYYY-MM` of their clinical date */
  months: [string, number][];
  undated: number;
  statuses: [string, number][];
}

export interface BadLine {
  /** row within the part (0-based) */
  row: number;
  lineInPart: number;
  kind: BadKind;
}

export interface IndexJob {
  kind: 'index';
  path: string;
  part: Part;
  /** where to append row records; none: only the counts */
  out?: string;
  /** count patients, months and statuses */
  facts: boolean;
}

export interface FilterJob {
  kind: 'filter';
  path: string;
  part: Part;
  out: string;
  expression: string;
  version: FhirVersion;
  /** JSON-encoded string literals a matching line must contain (see needles.ts) */
  needles: string[];
}

export interface PatientJob {
  kind: 'patient';
  path: string;
  part: Part;
  patientId: string;
  /** stop collecting after this many resources */
  max: number;
}

export type Job = IndexJob | FilterJob | PatientJob;

export interface IndexResult {
  rows: number;
  newlines: number;
  /** type names; a record's type index points into it */
  types: string[];
  typeCounts: number[];
  badCount: number;
  /** the first bad lines (at most MAX_BAD_KEPT) */
  bad: BadLine[];
  facts?: Facts;
}

export interface FilterResult {
  rows: number;
  newlines: number;
  matched: number;
  /** lines the pre-check let through to a full parse and evaluation */
  evaluated: number;
  evalErrors: number;
  firstEvalError?: { lineInPart: number; message: string };
}

export interface PatientResult {
  lines: string[];
  truncated: boolean;
}

export type JobResult = IndexResult | FilterResult | PatientResult;

/** What a worker is started with: the mark that makes worker.ts listen, and the translations it speaks with. */
export interface ExploreWorkerData {
  oneupExplore: true;
  l10n?: Record<string, string>;
}

/** worker → pool */
export type WorkerReply =
  | { type: 'progress'; bytes: number; rows: number; matched?: number }
  | { type: 'done'; result: JobResult }
  | { type: 'cancelled' }
  | { type: 'error'; message: string };

export const MAX_BAD_KEPT = 1000;
export const MAX_PATIENTS_COUNTED = 2_000_000;
