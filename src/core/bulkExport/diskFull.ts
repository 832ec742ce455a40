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
  const resume = 'run "Resume Bulk Export": the finished files and partial downloads are kept.';
  if (!e.full) {
    return new ExportDiskError(`The export folder ${folder.dir} refused a write (${e.code}): ${e.message} The export stopped after ${done} of ${state.files.length} files. `
      + `Fix the folder's permissions or disk, then ${resume}`, e.code, free);
  }
  const needed = estimateRemaining(state);
  const freeText = free === undefined ? '' : ` (${size(free)} free)`;
  const need = needed !== undefined
    ? `The ${left.length} remaining file${left.length === 1 ? '' : 's'} need about ${size(needed)} more (estimated from the files so far): free at least that much`
    : `The ${left.length} remaining file${left.length === 1 ? '' : 's'} need more space than is free: free up space`;
  return new ExportDiskError(`The disk holding ${folder.dir} is full${freeText}. The export stopped after ${done} of ${state.files.length} files. `
    + `${need}, then ${resume}`, e.code, free, needed);
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
