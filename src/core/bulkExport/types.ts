import type { BearerSource, Transport } from '../api';
import type { FhirVersion } from '../environments';
import type { Logger } from '../log';

/** Whose credentials: the whole app (`x-oneup-user-id: client`) or one user (that user's bearer token). */
export type ExportScope = { kind: 'app' } | { kind: 'user'; oneupUserId: string };

/** Which `$export` of the Bulk Data spec: the whole system, every patient, or one Group's members. */
export type ExportLevel = { kind: 'system' } | { kind: 'patient' } | { kind: 'group'; groupId: string };

/** What to export. */
export interface ExportRequest {
  version: FhirVersion;
  scope: ExportScope;
  /** Default: system level (`{base}/$export`, 1upHealth's). */
  level?: ExportLevel;
  /** Resource types (`_type`); checked against the version's types before anything is sent. */
  types?: readonly string[];
  /** Only resources changed since this instant (`_since`), e.g. `2024-01-01T00:00:00Z`. */
  since?: string;
  /** `_typeFilter` entries, each `Type?search` (e.g. `Observation?category=laboratory`). */
  typeFilters?: readonly string[];
  /** `_outputFormat`; NDJSON is what the engine reads (`application/fhir+ndjson`, `application/ndjson`, `ndjson`). */
  outputFormat?: string;
}

export type ExportPhase = 'kick-off' | 'waiting' | 'downloading' | 'verifying' | 'done';

/** A progress event; sent a few times a second at most. */
export interface ExportProgress {
  /** The export's folder. */
  folder: string;
  phase: ExportPhase;
  /** The server's X-Progress text while waiting, or what is being done. */
  message?: string;
  filesDone: number;
  filesTotal: number;
  /** Bytes received in this run (on the wire: compressed when gzip was negotiated). */
  bytes: number;
  bytesPerSecond: number;
}

export interface EngineOptions {
  transport: Transport;
  /** The token source of the user in a `user` scope. */
  tokens?: BearerSource;
  /** Finds a user's token source when `tokens` is not given (a resumed export names its user). */
  tokensFor?: (oneupUserId: string) => BearerSource;
  /** Files downloaded at once (default 4). */
  parallel?: number;
  /** Tries per file after network failures, resuming where the last one broke off (default 5). */
  maxTries?: number;
  signal?: AbortSignal;
  onProgress?: (p: ExportProgress) => void;
  /** Least time between two progress events (default 250 ms); phase changes and the last file always report. */
  progressIntervalMs?: number;
  logger?: Logger;
  /** DELETE the server's job on cancel (default true; async exports only). */
  cancelServerJob?: boolean;
  /** Longest wait a Retry-After (a delay, an HTTP date or an epoch time) may ask for (default 900 s). */
  maxPollWaitSeconds?: number;
  /** Shortest wait between status polls (default 500 ms), whatever Retry-After says. */
  minPollMs?: number;
  /** Base of the retry backoff (default 500 ms). */
  retryBaseMs?: number;
  /** The transport's timeout, named in network error messages (default 30). */
  requestTimeoutSeconds?: number;
  /** A file slower than this over `throughputWindowSeconds` is dropped and resumed (default 1024 bytes/s). */
  minBytesPerSecond?: number;
  /** The window of the minimum-throughput check (default 60 s). */
  throughputWindowSeconds?: number;
  /** Largest decoded size of one file (default 64 GiB). */
  maxFileBytes?: number;
  /** Largest gzip expansion (decoded / received bytes) once a file passes 32 MB decoded (default 100). */
  maxGzipRatio?: number;
  /** The export's folder timestamp (default: now). */
  now?: () => Date;
}

/** What a manifest file holds: resources (`output`), OperationOutcomes (`error`), or deletions (`deleted`). */
export type FileKind = 'data' | 'error' | 'deleted';

/** One file of the manifest as the engine tracks it. */
export interface FileRecord {
  /** Our name for it, relative to the export folder (`Patient.ndjson`, `deleted/Bundle.ndjson`), never taken from the URL. */
  name: string;
  type: string;
  url: string;
  count?: number;
  kind: FileKind;
  done: boolean;
  /** Decoded bytes on disk. */
  bytes?: number;
  resources?: number;
  /** The server's strong ETag of the plain (not gzip-encoded) file, sent as If-Range when resuming. */
  etag?: string;
  /** Set when the file was kept although it is not what the manifest announced. */
  incomplete?: boolean;
  warning?: string;
  /** Tries spent on data problems (count mismatch, bad line): at most one more after the first. */
  dataRetries?: number;
  /** Why the last run could not finish it. */
  error?: string;
}

/** The bulk data manifest (both 1up's direct answer and the spec's completed status answer). */
export interface Manifest {
  transactionTime?: string;
  request?: string;
  requiresAccessToken?: boolean;
  output: ManifestEntry[];
  error: ManifestEntry[];
  deleted?: ManifestEntry[];
  [key: string]: unknown;
}

export interface ManifestEntry {
  type: string;
  url: string;
  count?: number;
  [key: string]: unknown;
}

export interface ExportProblem {
  file?: string;
  type?: string;
  message: string;
  /** `server`: an issue text from the server's own error files; otherwise the engine's finding. */
  source?: 'server';
}

/** One file in `summary.json` (the contract readers of an export folder rely on). */
export interface SummaryFile {
  /** Relative to the export folder, forward slashes. */
  name: string;
  type: string;
  kind: FileKind;
  resources: number;
  bytes: number;
  incomplete?: true;
  warning?: string;
}

/** `summary.json`: what an export holds and what went wrong. */
export interface ExportSummary {
  environment: string;
  fhirVersion: FhirVersion;
  scope: ExportScope;
  level: ExportLevel;
  types?: readonly string[];
  since?: string;
  typeFilters?: readonly string[];
  outputFormat?: string;
  transactionTime?: string;
  startedAt: string;
  finishedAt: string;
  /** Time spent working on it, over every run (a resumed export adds up). */
  durationMs: number;
  /** Per resource type, data files only: files, resources and bytes. */
  byType: Record<string, { files: number; resources: number; bytes: number }>;
  files: SummaryFile[];
  /** Data resources and bytes (not error or deleted files). */
  resources: number;
  bytes: number;
  /** Resources the server reported deleted since `_since` (lines of the deleted files). */
  deleted: number;
  /** Files that failed or were kept incomplete, refused manifest entries, and the server's own error reports. */
  errors: ExportProblem[];
  /** Every file of the manifest downloaded whole and verified, nothing refused. */
  complete: boolean;
}

export interface ExportResult {
  folder: string;
  summary: ExportSummary;
}
