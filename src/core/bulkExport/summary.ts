import { createReadStream } from 'node:fs';
import { createInterface } from 'node:readline';
import { isOperationOutcome, issueTexts } from '../fhir/types';
import type { ExportFolder } from './folder';
import type { ExportState } from './state';
import type { ExportProblem, ExportSummary } from './types';

// the server's error files can be long; the summary keeps the first reports and a count
const MAX_SERVER_ERRORS = 50;

/** Builds `summary.json` from the state: totals per type, and every problem in one list. */
export async function buildSummary(folder: ExportFolder, state: ExportState, finishedAt: Date): Promise<ExportSummary> {
  const byType: ExportSummary['byType'] = {};
  const files: ExportSummary['files'] = [];
  const errors: ExportProblem[] = [...(state.refused ?? [])];
  let resources = 0;
  let bytes = 0;
  for (const f of state.files) {
    if (!f.done) {
      errors.push({ file: f.name, type: f.type, message: f.error ?? `${f.name} was not downloaded.` });
      continue;
    }
    const r = f.resources ?? 0;
    const b = f.bytes ?? 0;
    files.push({ name: f.name, type: f.type, kind: f.kind, resources: r, bytes: b });
    if (f.kind === 'error') {
      errors.push(...(await serverErrors(folder, f.name, f.type)));
      continue;
    }
    const t = (byType[f.type] ??= { files: 0, resources: 0, bytes: 0 });
    t.files++;
    t.resources += r;
    t.bytes += b;
    resources += r;
    bytes += b;
  }
  return {
    environment: state.environment,
    fhirVersion: state.version,
    scope: state.scope,
    types: state.types,
    since: state.since,
    transactionTime: state.manifest?.transactionTime,
    startedAt: state.startedAt,
    finishedAt: finishedAt.toISOString(),
    durationMs: Math.round(state.activeMs),
    byType,
    files,
    resources,
    bytes,
    errors,
    complete: state.files.every((f) => f.done) && !state.refused?.length,
  };
}

/** The issue texts of an error file's OperationOutcomes: what the server could not export. */
async function serverErrors(folder: ExportFolder, name: string, type: string): Promise<ExportProblem[]> {
  const out: ExportProblem[] = [];
  let more = 0;
  const lines = createInterface({ input: createReadStream(folder.path(name), 'utf8'), crlfDelay: Infinity });
  for await (const line of lines) {
    if (!line.trim()) continue;
    if (out.length >= MAX_SERVER_ERRORS) {
      more++;
      continue;
    }
    try {
      const r: unknown = JSON.parse(line);
      const texts = isOperationOutcome(r) ? issueTexts(r) : [];
      out.push({ file: name, type, message: `The server reported: ${texts.join('; ') || 'an error without text'}` });
    } catch {
      // the file was verified; a line that no longer parses was changed on disk since
    }
  }
  if (more) out.push({ file: name, type, message: `…and ${more} more reports in ${name}.` });
  return out;
}
