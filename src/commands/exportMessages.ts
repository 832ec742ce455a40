// What the UI says when an export ends (no vscode here, so it is tested in plain mocha; its text goes
// through @vscode/l10n, which the host configures with VS Code's bundle).
import * as l10n from '@vscode/l10n';
import { serverWords } from '../core/bulkExport/summary';
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
  const dataFiles = sum.files.filter((f) => f.kind === 'data').length;
  const mb = (sum.bytes / 1048576).toFixed(1);
  const seconds = (sum.durationMs / 1000).toFixed(0);
  const server = (sum.errors ?? []).filter((e) => e.source === 'server');
  const ours = (sum.errors ?? []).filter((e) => e.source !== 'server');
  const what = whatArrived(dataFiles, sum.resources, sum.deleted, mb, seconds);
  const words = server.length ? serverWords(server[0].message) : '';
  const reported = !server.length ? ''
    : server.length === 1 ? l10n.t({ message: 'The server reported 1 problem in its error files: {0}', args: [words], comment: ['{0}: the text of the report'] })
      : l10n.t({ message: 'The server reported {0} problems in its error files: {1}', args: [server.length.toLocaleString(), words], comment: ['{0}: a number; {1}: the text of the first report'] });
  // the log is English whatever the display language
  const plural = (n: number, word: string) => `${n.toLocaleString()} ${word}${n === 1 ? '' : 's'}`;
  const whatLog = `${plural(dataFiles, 'file')}, ${plural(sum.resources, 'resource')}${sum.deleted ? `, ${sum.deleted.toLocaleString()} deleted` : ''}, ${mb} MB in ${seconds} s`;
  if (ours.length) {
    const finished = ours.length === 1
      ? l10n.t({ message: 'Bulk export finished with 1 problem ({0}): {1}', args: [what, ours[0].message], comment: ['{0}: what arrived (files, resources, size and time); {1}: the first problem, a sentence'] })
      : l10n.t({ message: 'Bulk export finished with {0} problems ({1}): {2}', args: [ours.length.toLocaleString(), what, ours[0].message], comment: ['{0}: a number; {1}: what arrived (files, resources, size and time); {2}: the first problem, a sentence'] });
    return {
      text: reported ? `${finished} ${reported}` : finished,
      warning: true,
      log: `${whatLog}, ${plural(ours.length, 'problem')}, ${plural(server.length, 'server report')}`,
    };
  }
  const complete = l10n.t({ message: 'Bulk export complete: {0}.', args: [what], comment: ['{0}: what arrived (files, resources, size and time)'] });
  return {
    text: reported ? `${complete} ${reported}` : complete,
    warning: server.length > 0,
    log: `${whatLog}${server.length ? `, ${plural(server.length, 'server report')}` : ''}`,
  };
}

/** `3 files, 1,204 resources, 2 deleted, 4.1 MB in 12 s`, in the display language. */
function whatArrived(files: number, resources: number, deleted: number, mb: string, seconds: string): string {
  const filesText = files === 1 ? l10n.t('1 file') : l10n.t('{0} files', files.toLocaleString());
  const resourcesText = resources === 1 ? l10n.t('1 resource') : l10n.t('{0} resources', resources.toLocaleString());
  return deleted
    ? l10n.t({ message: '{0}, {1}, {2} deleted, {3} MB in {4} s', args: [filesText, resourcesText, deleted.toLocaleString(), mb, seconds], comment: ['{0}: "3 files"; {1}: "1,204 resources"; {2}: a number of deleted resources'] })
    : l10n.t({ message: '{0}, {1}, {2} MB in {3} s', args: [filesText, resourcesText, mb, seconds], comment: ['{0}: "3 files"; {1}: "1,204 resources"'] });
}
