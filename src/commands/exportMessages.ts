// What the UI says when an export ends (no vscode here, so it is tested in plain mocha).
import type { ExportSummary } from '../core/bulkExport/types';

export interface SummaryMessage {
  /** The notification's text. */
  text: string;
  /** A warning (something is missing or incomplete, or the server reported problems), not plain information. */
  warning: boolean;
  /** One line for the log. */
  log: string;
}

/**
 * The result in a sentence: files, resources, size and time, deletions, and then, in order of
 * weight, files that failed or were kept incomplete (with the first one's reason) and the issues
 * the server reported in its error files (with the first one's text).
 */
export function summaryMessage(sum: ExportSummary): SummaryMessage {
  const plural = (n: number, word: string) => `${n.toLocaleString()} ${word}${n === 1 ? '' : 's'}`;
  const dataFiles = sum.files.filter((f) => f.kind === 'data').length;
  const deleted = sum.deleted ? `, ${sum.deleted.toLocaleString()} deleted` : '';
  const what = `${plural(dataFiles, 'file')}, ${plural(sum.resources, 'resource')}${deleted}, ${(sum.bytes / 1048576).toFixed(1)} MB in ${(sum.durationMs / 1000).toFixed(0)} s`;
  const server = (sum.errors ?? []).filter((e) => e.source === 'server');
  const ours = (sum.errors ?? []).filter((e) => e.source !== 'server');
  const reported = server.length
    ? ` The server reported ${plural(server.length, 'problem')} in its error files: ${server[0].message.replace(/^The server reported: /, '')}`
    : '';
  if (ours.length) {
    return {
      text: `Bulk export finished with ${plural(ours.length, 'problem')} (${what}): ${ours[0].message}${reported}`,
      warning: true,
      log: `${what}, ${plural(ours.length, 'problem')}, ${plural(server.length, 'server report')}`,
    };
  }
  return {
    text: `Bulk export complete: ${what}.${reported}`,
    warning: server.length > 0,
    log: `${what}${server.length ? `, ${plural(server.length, 'server report')}` : ''}`,
  };
}
