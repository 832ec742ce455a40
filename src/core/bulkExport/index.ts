/**
 * The bulk export engine: FHIR Bulk Data `$export` into the workspace, vscode-free.
 *
 * - `startBulkExport(workspace, request, options)` kicks off (system, `Patient/` or `Group/{id}/`
 *   level), waits, downloads and verifies into `<workspace>/.1uphealth/exports/<environment>/<timestamp>/`:
 *   data as `Observation.ndjson`, `Observation-2.ndjson`, …, deleted entries in `deleted/`, the
 *   server's error files in `error/`, `manifest.json`, `summary.json`, and the hidden
 *   `.export-state.json` + `.export-journal.ndjson`.
 * - `resumeBulkExport(folder, options)` continues an interrupted one from its folder.
 * - `listExports(workspace)` / `listExportFiles(folder)` read past exports for the UI.
 *
 * Every HTTP call goes through the API client's `Transport` (retries, auth, masked logs).
 */
export { resumeBulkExport, startBulkExport } from './engine';
export { EXPORTS_PATH, environmentFolderName, exportsRoot, JOURNAL_FILE, STATE_FILE } from './folder';
export { listExportFiles, listExports, type ExportEntry, type ExportFileEntry } from './listing';
export { VerificationError } from './verify';
export { ExportDiskError } from './diskFull';
export { describeLevel, exportBase, NDJSON_FORMATS } from './request';
export type {
  EngineOptions, ExportLevel, ExportPhase, ExportProblem, ExportProgress, ExportRequest, ExportResult, ExportScope, ExportSummary, FileKind, FileRecord,
  Manifest, ManifestEntry, SummaryFile,
} from './types';
