import * as l10n from '@vscode/l10n';
import { InputError } from '../errors';
import { formatBytes as size } from './context';
import type { DiskError } from './fileProblems';
import type { ExportFolder } from './folder';
import type { ExportState } from './state';

/** The export stopped because its disk refused a write; everything so far is kept and resumable. */
export class ExportDiskError extends InputError {
  constructor(message: string, readonly code: string, readonly freeBytes?: number, readonly neededBytes?: number) {
    super(message);
  }
}

/**
 * The message for an export stopped by its disk: the folder, the free space, and (for a full
 * disk) about how much more the remaining files need, estimated from the files so far.
 */
export async function diskStopped(folder: ExportFolder, state: ExportState, e: DiskError): Promise<ExportDiskError> {
  const free = await folder.freeBytes();
  const left = state.files.filter((f) => !f.done);
  const done = state.files.length - left.length;
  const stopped = l10n.t({ message: 'The export stopped after {0} of {1} files.', args: [done, state.files.length], comment: ['{0}: files finished; {1}: files in the export'] });
  if (!e.full) {
    return new ExportDiskError(l10n.t({
      message: 'The export folder {0} refused a write ({1}): {2} {3} Fix the folder\'s permissions or disk, then run "Resume Bulk Export": the finished files and partial downloads are kept.',
      args: [folder.dir, e.code, e.message, stopped],
      comment: ['{0}: a folder; {1}: an error code such as EACCES; {2}: the system\'s error message; {3}: "The export stopped after … files."'],
    }), e.code, free);
  }
  const needed = estimateRemaining(state);
  const full = free === undefined ? l10n.t('The disk holding {0} is full.', folder.dir) : l10n.t('The disk holding {0} is full ({1} free).', folder.dir, size(free));
  const one = left.length === 1;
  const need = needed !== undefined
    ? one
      ? l10n.t('The 1 remaining file needs about {0} more (estimated from the files so far): free at least that much, then run "Resume Bulk Export": the finished files and partial downloads are kept.', size(needed))
      : l10n.t('The {0} remaining files need about {1} more (estimated from the files so far): free at least that much, then run "Resume Bulk Export": the finished files and partial downloads are kept.', left.length, size(needed))
    : one
      ? l10n.t('The 1 remaining file needs more space than is free: free up space, then run "Resume Bulk Export": the finished files and partial downloads are kept.')
      : l10n.t('The {0} remaining files need more space than is free: free up space, then run "Resume Bulk Export": the finished files and partial downloads are kept.', left.length);
  return new ExportDiskError(`${full} ${stopped} ${need}`, e.code, free, needed);
}

/** Bytes the files not done yet will take, from the average of the finished ones; undefined when nothing finished. */
function estimateRemaining(state: ExportState): number | undefined {
  const done = state.files.filter((f) => f.done && f.kind !== 'error');
  const left = state.files.filter((f) => !f.done);
  if (!done.length || !left.length) return undefined;
  const bytes = done.reduce((n, f) => n + (f.bytes ?? 0), 0);
  const resources = done.reduce((n, f) => n + (f.resources ?? 0), 0);
  const perFile = bytes / done.length;
  // with counts in the manifest the per-resource size is the better guide
  const perResource = resources ? bytes / resources : undefined;
  return Math.ceil(left.reduce((n, f) => n + (f.count !== undefined && perResource !== undefined ? f.count * perResource : perFile), 0));
}
