import { createReadStream } from 'node:fs';
import { pipeline } from 'node:stream/promises';
import { createGunzip } from 'node:zlib';
import { appendingSink, parseRetryAfter, toNetworkError, type TransportResponse } from '../api';
import { CancelledError, isApiError, isAuthError, isCancellation, isNetworkError } from '../errors';
import { backoffMs, failureOf, pathOf, type RunContext, wait } from './context';
import { getFile } from './fileRequest';
import type { ExportFolder } from './folder';
import type { FileRecord } from './types';
import { NdjsonVerifier, VerificationError, verifyingStream } from './verify';

/** Why a try failed and what to do next: give up, resume where it stopped, or start the file over. */
export class FileProblem extends Error {
  override readonly name = 'FileProblem';
  constructor(message: string, readonly action: 'fail' | 'resume' | 'restart', readonly waitMs?: number) {
    super(message);
  }
}

// errors of the local disk: another try will not help
const DISK_CODES = new Set(['ENOSPC', 'EDQUOT', 'EACCES', 'EPERM', 'EROFS', 'EISDIR', 'ENOTDIR', 'ELOOP', 'EMFILE', 'ENFILE', 'EIO', 'EFBIG']);

const rawPart = (rec: FileRecord) => (rec.gzip ? `${rec.name}.gz.part` : `${rec.name}.part`);
const decodedPart = (rec: FileRecord) => `${rec.name}.part`;

/**
 * Downloads one file into the export folder: streamed to a `.part` file while every line is
 * verified, resumed with Range after a break, started over when the data proves wrong, and
 * renamed to its final name only when complete and verified. Updates `rec` as it goes;
 * `persist` saves it (ETag and encoding are needed to resume after a restart of the editor).
 */
export async function downloadFile(ctx: RunContext, folder: ExportFolder, rec: FileRecord, requiresAccessToken: boolean, persist: () => Promise<void>): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    if (ctx.signal?.aborted) throw new CancelledError();
    try {
      await tryOnce(ctx, folder, rec, requiresAccessToken, persist);
      return;
    } catch (e) {
      if (isCancellation(e) || ctx.signal?.aborted) throw new CancelledError();
      const p = classify(e, rec, ctx);
      if (p.action === 'restart') await discardParts(folder, rec);
      if (p.action === 'fail' || attempt >= ctx.maxTries) throw p;
      const ms = p.waitMs ?? backoffMs(ctx, attempt);
      ctx.logger.warn(`${p.message} Try ${attempt + 1} of ${ctx.maxTries} in ${ms} ms${p.action === 'restart' ? ', from the start' : ''}.`);
      await wait(ctx, ms);
    }
  }
}

async function tryOnce(ctx: RunContext, folder: ExportFolder, rec: FileRecord, requiresAccessToken: boolean, persist: () => Promise<void>): Promise<void> {
  let have = await folder.size(rawPart(rec));
  const headers: Record<string, string> = {};
  if (have > 0) {
    headers.range = `bytes=${have}-`;
    if (rec.etag) headers['if-range'] = rec.etag;
  }
  const res = await getFile(ctx, rec.url, requiresAccessToken, headers);
  if (res.status === 416) {
    const total = /^bytes \*\/(\d+)$/.exec(res.header('content-range') ?? '')?.[1];
    await res.dump();
    // the last run had everything but stopped before the rename
    if (have > 0 && Number(total) === have) return assemble(ctx, folder, rec, have, undefined);
    throw new FileProblem(`${rec.name}: the server refused to resume at byte ${have}.`, 'restart', 0);
  }
  if (res.status !== 200 && res.status !== 206) throw await answerProblem(res, rec, requiresAccessToken, ctx);
  const gzip = encodingOf(res, rec);
  if (res.status === 206) {
    const start = /^bytes (\d+)-\d+\/(\d+|\*)$/.exec(res.header('content-range') ?? '')?.[1];
    if (Number(start) !== have || rec.gzip !== gzip) {
      await res.dump();
      throw new FileProblem(`${rec.name}: the server answered a different range than asked.`, 'restart', 0);
    }
  } else {
    have = 0;
  }
  const etag = res.header('etag');
  const strong = etag && !etag.startsWith('W/') ? etag : undefined;
  if (rec.gzip !== gzip || rec.etag !== strong) {
    if (rec.gzip !== gzip) await discardParts(folder, rec);
    rec.gzip = gzip;
    rec.etag = strong;
    await persist();
  }
  await assemble(ctx, folder, rec, have, res);
}

/**
 * Verifies what is already on disk, appends the answer, checks the count, and renames into place.
 * Plain NDJSON is verified as it arrives; gzip is kept compressed while it downloads (that is what
 * a resume continues) and decoded and verified from disk once complete.
 */
async function assemble(ctx: RunContext, folder: ExportFolder, rec: FileRecord, have: number, res: TransportResponse | undefined): Promise<void> {
  const verifier = new NdjsonVerifier(rec.name, rec.type);
  const raw = folder.path(rawPart(rec));
  if (!rec.gzip && have > 0) for await (const chunk of createReadStream(raw, { highWaterMark: 1 << 20 })) verifier.push(chunk as Buffer);
  if (res) await receive(ctx, folder, rec, have, res, rec.gzip ? undefined : verifier);
  if (!rec.gzip) {
    verifier.finish(rec.count);
  } else {
    await pipeline(createReadStream(raw, { highWaterMark: 1 << 20 }), createGunzip(), verifyingStream(verifier, rec.count),
      await folder.partStream(decodedPart(rec), false));
  }
  await folder.commit(decodedPart(rec), rec.name);
  if (rec.gzip) await folder.remove(rawPart(rec));
  rec.done = true;
  rec.bytes = await folder.size(rec.name);
  rec.resources = verifier.resources;
  rec.error = undefined;
}

/** Appends the answer's body to the raw part file, counting and (plain NDJSON) verifying it on the way. */
async function receive(ctx: RunContext, folder: ExportFolder, rec: FileRecord, have: number, res: TransportResponse, verifier: NdjsonVerifier | undefined): Promise<void> {
  const out = await folder.openPart(rawPart(rec), have > 0);
  const append = appendingSink(out, (piece) => {
    ctx.progress.addBytes(piece.length);
    verifier?.push(piece);
  });
  try {
    await res.pump(append.sink);
  } finally {
    await append.drain();
    await out.close();
  }
}

function encodingOf(res: TransportResponse, rec: FileRecord): boolean {
  const enc = (res.header('content-encoding') ?? '').trim().toLowerCase();
  if (enc === 'gzip' || enc === 'x-gzip') return true;
  if (enc && enc !== 'identity') throw new FileProblem(`${rec.name}: the server sent it ${enc}-encoded, which is not supported (only gzip).`, 'fail');
  return /\.gz$/i.test(pathOf(res.url));
}

async function answerProblem(res: TransportResponse, rec: FileRecord, requiresAccessToken: boolean, ctx: RunContext): Promise<FileProblem> {
  const retryAfter = parseRetryAfter(res.header('retry-after'), Date.now(), ctx.maxPollWaitSeconds);
  const { error, transient } = await failureOf(res, retryAfter);
  const s = res.status;
  if (s === 410) return new FileProblem(`${rec.name}: the file has expired on the server (410 Gone). Export files are kept for a limited time: start a new export.`, 'fail');
  if (s === 404) return new FileProblem(`${rec.name}: the server no longer has this file (404): it expired or the export was cancelled. Start a new export.`, 'fail');
  if (s === 401 || s === 403) {
    const why = requiresAccessToken && new URL(res.url).origin !== ctx.exportOrigin
      ? ' (no token was sent: the file is on another host than the export server)' : '';
    return new FileProblem(`${rec.name}: the server refused the download (${s}: ${error.message})${why}.`, 'fail');
  }
  if (transient) return new FileProblem(`${rec.name}: the server answered ${s} (${error.message}).`, 'resume', retryAfter !== undefined ? retryAfter * 1000 : undefined);
  return new FileProblem(`${rec.name}: the server answered ${s} (${error.message}).`, 'fail');
}

function classify(e: unknown, rec: FileRecord, ctx: RunContext): FileProblem {
  if (e instanceof FileProblem) return e;
  if (e instanceof VerificationError) return new FileProblem(e.message, 'restart');
  if (isZlibError(e)) return new FileProblem(`${rec.name}: the gzip data is damaged (${(e as Error).message}).`, 'restart');
  if (isDiskError(e)) return new FileProblem(`${rec.name}: could not write to the export folder (${(e as NodeJS.ErrnoException).code}: ${(e as Error).message}).`, 'fail');
  if (isNetworkError(e)) return new FileProblem(`${rec.name}: ${e.message}`, 'resume');
  if (isApiError(e) || isAuthError(e)) return new FileProblem(`${rec.name}: ${(e as Error).message}`, 'fail');
  const ne = toNetworkError(e, new URL(rec.url), ctx.timeoutSeconds);
  return new FileProblem(`${rec.name}: ${ne.message}`, 'resume');
}

async function discardParts(folder: ExportFolder, rec: FileRecord): Promise<void> {
  await folder.remove(`${rec.name}.part`);
  await folder.remove(`${rec.name}.gz.part`);
  rec.etag = undefined;
}

function isDiskError(e: unknown): boolean {
  const err = e as NodeJS.ErrnoException | undefined;
  return !!err?.code && DISK_CODES.has(err.code) && typeof err.syscall === 'string';
}

function isZlibError(e: unknown): boolean {
  const code = (e as NodeJS.ErrnoException | undefined)?.code;
  return typeof code === 'string' && code.startsWith('Z_');
}
