import type { BearerSource, Transport } from '../api';
import type { FhirVersion } from '../environments';
import type { Logger } from '../log';

/** Whose data: the whole app (`x-oneup-user-id: client`) or one user (that user's bearer token). */
export type ExportScope = { kind: 'app' } | { kind: 'user'; oneupUserId: string };

/** What to export. */
export interface ExportRequest {
  version: FhirVersion;
  scope: ExportScope;
  /** Resource types (`_type`); checked against the version's types before anything is sent. */
  types?: readonly string[];
  /** Only resources changed since this instant (`_since`), e.g. `2024-01-01T00:00:00Z`. */
  since?: string;
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
  /** Bytes received in this run. */
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
  /** Tries per file, resuming where the last one broke off (default 5). */
  maxTries?: number;
  signal?: AbortSignal;
  onProgress?: (p: ExportProgress) => void;
  /** Least time between two byte-progress events (default 250 ms); phase and file changes always report. */
  progressIntervalMs?: number;
  logger?: Logger;
  /** DELETE the server's job on cancel (default true; async exports only). */
  cancelServerJob?: boolean;
  /** Longest wait a Retry-After may ask for between status polls (default 120 s). */
  maxPollWaitSeconds?: number;
  /** Shortest wait between status polls (default 500 ms), whatever Retry-After says. */
  minPollMs?: number;
  /** Base of the retry backoff (default 500 ms). */
  retryBaseMs?: number;
  /** The transport's timeout, named in network error messages (default 30). */
  requestTimeoutSeconds?: number;
  /** The export's folder timestamp (default: now). */
  now?: () => Date;
}

/** One file of the manifest as the engine tracks it. */
export interface FileRecord {
  /** Our name for it (`Patient.000.ndjson`), never taken from the URL. */
  name: string;
  type: string;
  url: string;
  count?: number;
  /** `output` data, or an `error` file of OperationOutcomes. */
  kind: 'output' | 'error';
  done: boolean;
  bytes?: number;
  resources?: number;
  /** The server's strong ETag, sent as If-Range when resuming. */
  etag?: string;
  /** Whether the server sends it gzip-encoded (decided by the first answer). */
  gzip?: boolean;
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
}

/** `summary.json`: what an export holds and what went wrong. */
export interface ExportSummary {
  environment: string;
  fhirVersion: FhirVersion;
  scope: ExportScope;
  types?: readonly string[];
  since?: string;
  transactionTime?: string;
  startedAt: string;
  finishedAt: string;
  /** Time spent working on it, over every run (a resumed export adds up). */
  durationMs: number;
  /** Per resource type: files, resources and bytes. */
  byType: Record<string, { files: number; resources: number; bytes: number }>;
  files: { name: string; type: string; kind: 'output' | 'error'; resources: number; bytes: number }[];
  resources: number;
  bytes: number;
  /** Files that failed, manifest entries that were refused, and the server's own error reports. */
  errors: ExportProblem[];
  /** Every file of the manifest downloaded and verified, nothing refused. */
  complete: boolean;
}

export interface ExportResult {
  folder: string;
  summary: ExportSummary;
}
