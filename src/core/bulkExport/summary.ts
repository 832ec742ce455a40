import * as l10n from '@vscode/l10n';
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
      errors.push({ file: f.name, type: f.type, message: f.error ?? l10n.t('{0} was not downloaded.', f.name) });
      continue;
    }
    let r = f.resources ?? 0;
    const b = f.bytes ?? 0;
    if (f.kind === 'error') {
      const reports = await serverErrors(folder, f.name, f.type, MAX_SERVER_ERRORS - serverReports);
      serverReports += reports.shown.length;
      errors.push(...reports.shown);
      if (reports.more) errors.push({ file: f.name, type: f.type, source: 'server', message: reports.more === 1 ? l10n.t({ message: '…and 1 more report in {0}.', args: [f.name], comment: ['{0}: a file name'] }) : l10n.t({ message: '…and {0} more reports in {1}.', args: [reports.more, f.name], comment: ['{0}: a number of error reports (2 or more); {1}: a file name'] }) });
      r = reports.total;
    }
    const entry: SummaryFile = { name: f.name, type: f.type, kind: f.kind, resources: r, bytes: b };
    if (f.incomplete) {
      entry.incomplete = true;
      entry.warning = f.warning;
      errors.push({ file: f.name, type: f.type, message: f.warning ?? l10n.t('{0} is incomplete.', f.name) });
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


function serverReported(text: string): string {
  return l10n.t({ message: 'The server reported: {0}', args: [text], comment: ['{0}: the text of an error report in the server\'s own error file (its words, or what is wrong with the line)'] });
}

/**
 * The server's own words in a `source: 'server'` problem of summary.json, without the "The server
 * reported: " around them: in English (a summary written in English, or by an older version) or
 * in the language VS Code speaks now.
 */
export function serverWords(message: string): string {
  const mark = '\u0000';
  const [before, after = ''] = serverReported(mark).split(mark);
  for (const [lead, tail] of [['The server reported: ', ''], [before, after]]) {
    if ((lead || tail) && message.startsWith(lead) && message.endsWith(tail) && message.length >= lead.length + tail.length) return message.slice(lead.length, message.length - tail.length);
  }
  return message;
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
      text = isOperationOutcome(r) ? issueTexts(r).join('; ') || l10n.t('an error without text') : l10n.t('a line that is not an OperationOutcome');
    } catch {
      text = l10n.t('a line that is not JSON');
    }
    shown.push({ file: name, type, source: 'server', message: serverReported(text) });
  }
  return { shown, more: total - shown.length, total };
}
