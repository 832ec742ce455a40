/**
 * The bulk export engine: FHIR Bulk Data `$export` into the workspace, vscode-free.
 *
 * - `startBulkExport(workspace, request, options)` kicks off, waits, downloads and verifies into
 *   `<workspace>/.1uphealth/exports/<environment>/<timestamp>/` (`Patient.000.ndjson`, …,
 *   `manifest.json`, `summary.json`, and the hidden `.export-state.json`).
 * - `resumeBulkExport(folder, options)` continues an interrupted one from its folder.
 * - `listExports(workspace)` / `listExportFiles(folder)` read past exports for the UI.
 *
 * Every HTTP call goes through the API client's `Transport` (retries, auth, masked logs).
 */
export { resumeBulkExport, startBulkExport } from './engine';
export { EXPORTS_PATH, environmentFolderName, exportsRoot, STATE_FILE } from './folder';
export { listExportFiles, listExports, type ExportEntry, type ExportFileEntry } from './listing';
export { VerificationError } from './verify';
export type {
  EngineOptions, ExportPhase, ExportProblem, ExportProgress, ExportRequest, ExportResult, ExportScope, ExportSummary, FileRecord, Manifest, ManifestEntry,
} from './types';
