import { createReadStream } from 'node:fs';
import { createInterface } from 'node:readline';
import { isOperationOutcome, issueTexts } from '../fhir/types';
import type { ExportFolder } from './folder';
import type { ExportState } from './state';
import type { ExportProblem, ExportSummary, SummaryFile } from './types';

// the server's error files can be long; the summary keeps the first reports and a count
const MAX_SERVER_ERRORS = 50;

/** Builds `summary.json` from the state: totals per type, every file, and every problem in one list. */
export async function buildSummary(folder: ExportFolder, state: ExportState, finishedAt: Date): Promise<ExportSummary> {
  const byType: ExportSummary['byType'] = {};
  const files: SummaryFile[] = [];
  const errors: ExportProblem[] = [...(state.refused ?? [])];
  let resources = 0;
  let bytes = 0;
  let deleted = 0;
  let serverReports = 0;
  for (const f of state.files) {
    if (!f.done) {
      errors.push({ file: f.name, type: f.type, message: f.error ?? `${f.name} was not downloaded.` });
      continue;
    }
    let r = f.resources ?? 0;
    const b = f.bytes ?? 0;
    if (f.kind === 'error') {
      const reports = await serverErrors(folder, f.name, f.type, MAX_SERVER_ERRORS - serverReports);
      serverReports += reports.shown.length;
      errors.push(...reports.shown);
      if (reports.more) errors.push({ file: f.name, type: f.type, source: 'server', message: `…and ${reports.more} more reports in ${f.name}.` });
      r = reports.total;
    }
    const entry: SummaryFile = { name: f.name, type: f.type, kind: f.kind, resources: r, bytes: b };
    if (f.incomplete) {
      entry.incomplete = true;
      entry.warning = f.warning;
      errors.push({ file: f.name, type: f.type, message: f.warning ?? `${f.name} is incomplete.` });
    }
    files.push(entry);
    if (f.kind === 'deleted') deleted += r;
    if (f.kind !== 'data') continue;
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
    level: state.level,
    types: state.types,
    since: state.since,
    typeFilters: state.typeFilters,
    outputFormat: state.outputFormat,
    transactionTime: state.manifest?.transactionTime,
    startedAt: state.startedAt,
    finishedAt: finishedAt.toISOString(),
    durationMs: Math.round(state.activeMs),
    byType,
    files,
    resources,
    bytes,
    deleted,
    errors,
    complete: state.files.every((f) => f.done && !f.incomplete) && !state.refused?.length,
  };
}

/**
 * The issue texts of an error file's OperationOutcomes (what the server could not export), at
 * most `room` of them, and how many reports the file holds. The file is kept as the server sent
 * it, so a line that is not an OperationOutcome is reported as such.
 */
async function serverErrors(folder: ExportFolder, name: string, type: string, room: number): Promise<{ shown: ExportProblem[]; more: number; total: number }> {
  const shown: ExportProblem[] = [];
  let total = 0;
  const lines = createInterface({ input: createReadStream(folder.path(name), 'utf8'), crlfDelay: Infinity });
  for await (const line of lines) {
    if (!line.trim()) continue;
    total++;
    if (shown.length >= room) continue;
    let text: string;
    try {
      const r: unknown = JSON.parse(line);
      text = isOperationOutcome(r) ? issueTexts(r).join('; ') || 'an error without text' : 'a line that is not an OperationOutcome';
    } catch {
      text = 'a line that is not JSON';
    }
    shown.push({ file: name, type, source: 'server', message: `The server reported: ${text}` });
  }
  return { shown, more: total - shown.length, total };
}
