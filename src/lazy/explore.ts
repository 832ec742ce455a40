// Bundled on its own (dist/lazy/explore.js): the NDJSON viewer's core, FHIRPath (fhirpath.js and
// its models) and export summaries load when first used. The same file is the workers' script:
// loaded in a worker started by the pool, worker.ts answers jobs.
import '../core/explore/worker';
import { WorkerPool } from '../core/explore/pool';

export { NdjsonSession } from '../core/explore/session';
export { compileFhirPath, filterVerdict, FhirPathError } from '../core/explore/fhirpath';

let pool: WorkerPool | undefined;

/** The workers every explorer view shares (started on first use). */
export function explorePool(): WorkerPool {
  pool ??= new WorkerPool(__filename);
  return pool;
}
export { summarizeExport } from '../core/explore/summary';
export { collectPatient, listPatients } from '../core/explore/patient';
export { duckDbQuery } from '../core/explore/duckdb';
export { exportFolderOf, readExportFolder } from '../core/explore/exportFolder';
