import * as l10n from '@vscode/l10n';
import { toNetworkError, type TransportResponse } from '../api';
import { isApiError, isAuthError, isNetworkError } from '../errors';
import { failureOf, type RunContext, retryAfter } from './context';
import { UnsafeFileNameError } from './folder';
import { FileLimitError, TooSlowError } from './receive';
import type { FileRecord } from './types';
import { VerificationError } from './verify';

/** Why a try failed and what to do next: give up, resume where it stopped, or start the file over. */
export class FileProblem extends Error {
  override readonly name = 'FileProblem';
  constructor(
    message: string,
    readonly action: 'fail' | 'resume' | 'restart',
    readonly waitMs?: number,
    /** A count mismatch: what arrived verified and is worth keeping if another try does no better. */
    readonly keep = false,
    /** What arrived is not worth keeping for a later resume either (a file past a bound). */
    readonly discard = false,
  ) {
    super(message);
  }
}

// errors of the local disk: another try will not help, and every other file would fail the same way
const DISK_CODES = new Set(['ENOSPC', 'EDQUOT', 'EACCES', 'EPERM', 'EROFS', 'EISDIR', 'ENOTDIR', 'ELOOP', 'EMFILE', 'ENFILE', 'EIO', 'EFBIG']);

/** The export folder's disk refused a write: the whole export stops (see engine.ts). */
export class DiskError extends Error {
  override readonly name = 'DiskError';
  constructor(readonly code: string, readonly file: string, message: string) {
    super(message);
  }

  get full(): boolean {
    return this.code === 'ENOSPC' || this.code === 'EDQUOT';
  }
}

export function isDiskError(e: unknown): e is NodeJS.ErrnoException {
  const err = e as NodeJS.ErrnoException | undefined;
  return !!err?.code && DISK_CODES.has(err.code) && typeof err.syscall === 'string';
}

/** What a failed try means for the file; a disk error is thrown on as a DiskError. */
export function classify(e: unknown, rec: FileRecord, ctx: RunContext): FileProblem {
  if (e instanceof FileProblem) return e;
  if (e instanceof DiskError) throw e;
  if (isDiskError(e)) throw new DiskError(e.code!, rec.name, l10n.t({ message: '{0}: could not write to the export folder ({1}: {2}).', args: [rec.name, e.code!, e.message], comment: ['{0}: a file name; {1}: an error code such as ENOSPC; {2}: the system\'s message'] }));
  if (e instanceof VerificationError) return new FileProblem(e.message, 'restart', undefined, e.kind !== 'line');
  if (e instanceof FileLimitError) return new FileProblem(e.message, 'fail', undefined, false, true);
  if (e instanceof UnsafeFileNameError) return new FileProblem(e.message, 'fail');
  if (e instanceof TooSlowError) return new FileProblem(l10n.t({ message: '{0}: {1}.', args: [rec.name, e.message], comment: ['{0}: a file name; {1}: what went wrong'] }), 'resume');
  if (isZlibError(e)) return new FileProblem(l10n.t('{0}: the gzip data is damaged ({1}).', rec.name, (e as Error).message), 'restart');
  if (isNetworkError(e)) return new FileProblem(fileSays(rec.name, e.message), 'resume');
  if (isApiError(e) || isAuthError(e)) return new FileProblem(fileSays(rec.name, (e as Error).message), 'fail');
  const ne = toNetworkError(e, new URL(rec.url), ctx.timeoutSeconds);
  return new FileProblem(fileSays(rec.name, ne.message), 'resume');
}

/** A non-2xx answer to a file request, as the problem it is. */
export async function answerProblem(res: TransportResponse, rec: FileRecord, requiresAccessToken: boolean, ctx: RunContext): Promise<FileProblem> {
  const after = retryAfter(ctx, res);
  const { error, transient } = await failureOf(res, after);
  const s = res.status;
  if (s === 410) return new FileProblem(l10n.t('{0}: the file has expired on the server (410 Gone). Export files are kept for a limited time: start a new export.', rec.name), 'fail');
  if (s === 404) return new FileProblem(l10n.t('{0}: the server no longer has this file (404): it expired or the export was cancelled. Start a new export.', rec.name), 'fail');
  if (s === 401 || s === 403) {
    const elsewhere = requiresAccessToken && new URL(res.url).origin !== ctx.exportOrigin;
    return new FileProblem(elsewhere
      ? l10n.t({ message: '{0}: the server refused the download ({1}: {2}) (no token was sent: the file is on another host than the export server).', args: [rec.name, s, error.message], comment: ['{0}: a file name; {1}: an HTTP status (401 or 403); {2}: the server\'s message'] })
      : l10n.t({ message: '{0}: the server refused the download ({1}: {2}).', args: [rec.name, s, error.message], comment: ['{0}: a file name; {1}: an HTTP status (401 or 403); {2}: the server\'s message'] }), 'fail');
  }
  const answered = l10n.t({ message: '{0}: the server answered {1} ({2}).', args: [rec.name, s, error.message], comment: ['{0}: a file name; {1}: an HTTP status; {2}: the server\'s message'] });
  return transient ? new FileProblem(answered, 'resume', after) : new FileProblem(answered, 'fail');
}

/** `Patient.ndjson: <what went wrong>` (the message is a sentence of its own, with its own full stop or none). */
function fileSays(name: string, message: string): string {
  return l10n.t({ message: '{0}: {1}', args: [name, message], comment: ['{0}: a file name; {1}: what went wrong, a sentence'] });
}

function isZlibError(e: unknown): boolean {
  const code = (e as NodeJS.ErrnoException | undefined)?.code;
  return typeof code === 'string' && code.startsWith('Z_');
}
