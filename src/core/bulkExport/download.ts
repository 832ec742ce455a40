import * as l10n from '@vscode/l10n';
import { createReadStream } from 'node:fs';
import type { TransportResponse } from '../api';
import { CancelledError, isCancellation } from '../errors';
import { backoffMs, pathOf, type RunContext, wait } from './context';
import { getFile } from './fileRequest';
import { answerProblem, classify, FileProblem } from './fileProblems';
import { receive } from './receive';
import type { StateStore } from './state';
import type { FileRecord } from './types';
import { NdjsonVerifier, VerificationError } from './verify';

const part = (rec: FileRecord) => `${rec.name}.part`;

/** The verifier of the try under way, so a count mismatch can keep what it checked. */
interface Try { verifier?: NdjsonVerifier }

/**
 * Downloads file `index` of the export: streamed to a `.part` file (gzip asked for and decoded
 * as it streams) while every line is verified, resumed with Range after a break, and renamed to
 * its final name when complete. A file that does not hold what the manifest announced (its
 * count) is tried once more and then kept as received, marked incomplete with a warning; a file
 * with a bad line is tried once more and then dropped; error files are kept as they come.
 * Network failures are tried `maxTries` times. A disk error is thrown on as a DiskError.
 *
 * Resolves once the file arrived and checked out, with `placed`: its part file closed, renamed
 * into place and recorded as done, which the caller awaits while it starts the next file (small
 * files are bound by such waits, not by bytes).
 */
export async function downloadFile(ctx: RunContext, store: StateStore, index: number, requiresAccessToken: boolean): Promise<{ placed: Promise<void> }> {
  const rec = store.state.files[index];
  await store.folder.prepare(rec.name);
  for (let attempt = 1; ; attempt++) {
    if (ctx.signal.aborted) throw new CancelledError();
    const t: Try = {};
    try {
      return await tryOnce(ctx, store, index, requiresAccessToken, t);
    } catch (e) {
      if (isCancellation(e) || (ctx.signal.aborted && !(e instanceof Error && e.name === 'DiskError'))) throw new CancelledError();
      const p = classify(e, rec, ctx);
      const dataProblem = e instanceof VerificationError;
      if (dataProblem && (rec.dataRetries ?? 0) >= 1) {
        if (p.keep) {
          await keepIncomplete(store, index, t.verifier, p.message);
          return { placed: Promise.resolve() };
        }
        await discardPart(store, index);
        throw p;
      }
      if (dataProblem) store.updateFile(index, { dataRetries: (rec.dataRetries ?? 0) + 1 });
      if (p.action === 'restart' || p.discard) await discardPart(store, index);
      if (p.action === 'fail' || (!dataProblem && attempt >= ctx.maxTries)) throw p;
      const ms = p.waitMs ?? backoffMs(ctx, attempt);
      const next = dataProblem ? 'Trying once more' : `Try ${attempt + 1} of ${ctx.maxTries}`;
      ctx.logger.warn(`${p.message} ${next} in ${ms} ms${p.action === 'restart' ? ', from the start' : ''}.`);
      await wait(ctx, ms);
    }
  }
}

/** One request for the file, from where its part file stops; resolves when it arrived whole, with the promise of its placing. */
async function tryOnce(ctx: RunContext, store: StateStore, index: number, requiresAccessToken: boolean, t: Try): Promise<{ placed: Promise<void> }> {
  const folder = store.folder;
  const rec = store.state.files[index];
  const fresh = () => (t.verifier = rec.kind === 'error' ? undefined : new NdjsonVerifier(rec.name, rec.type, { expected: rec.count }));
  let verifier = fresh();
  // a part is looked for only where one can be: on disk at the start of the run, or tried since (a new
  // part is opened truncating, so one a crash left unrecorded is overwritten, not appended to)
  let have = ctx.parts.has(part(rec)) ? await folder.size(part(rec)) : 0;
  ctx.parts.add(part(rec));
  // a `.gz` file's ranges count compressed bytes, which a decoded part cannot tell; a part that
  // does not check out is no clean start either: both begin again
  if (have > 0 && (/\.gz$/i.test(pathOf(rec.url)) || (verifier && !(await reverify(store, rec, verifier))))) {
    await discardPart(store, index);
    have = 0;
    verifier = fresh();
  }
  // a resumed part holds decoded bytes: ask for the rest unencoded, so that the range counts the same bytes
  const headers: Record<string, string> = { 'accept-encoding': have > 0 ? 'identity' : 'gzip' };
  if (have > 0) {
    headers.range = `bytes=${have}-`;
    if (rec.etag) headers['if-range'] = rec.etag;
  }
  // the part file opens while the request is under way (small files are latency-bound)
  const opening = folder.openPart(part(rec), have > 0);
  opening.catch(() => undefined);
  let res: TransportResponse;
  try {
    res = await getFile(ctx, rec.url, requiresAccessToken, headers);
  } catch (e) {
    await closeUnused(folder, rec, opening, have);
    throw e;
  }
  if (res.status === 416) {
    await closeUnused(folder, rec, opening, have);
    const total = /^bytes \*\/(\d+)$/.exec(res.header('content-range') ?? '')?.[1];
    await res.dump();
    // the last run had everything but stopped before the rename
    if (have > 0 && Number(total) === have) {
      verifier?.finish();
      await place(store, index, verifier, have, 0);
      return { placed: Promise.resolve() };
    }
    throw new FileProblem(l10n.t('{0}: the server refused to resume at byte {1}.', rec.name, have), 'restart', 0);
  }
  if (res.status !== 200 && res.status !== 206) {
    await closeUnused(folder, rec, opening, have);
    throw await answerProblem(res, rec, requiresAccessToken, ctx);
  }
  const out = await opening;
  let got;
  try {
    const gzip = encodingOf(res, rec);
    if (res.status === 206) {
      const start = /^bytes (\d+)-\d+\/(\d+|\*)$/.exec(res.header('content-range') ?? '')?.[1];
      if (Number(start) !== have || gzip) {
        await res.dump();
        throw new FileProblem(l10n.t('{0}: the server answered a different range than asked.', rec.name), 'restart', 0);
      }
    } else if (have > 0) {
      // the whole file where the rest was asked for (the file changed, or no Range support): start over with it
      have = 0;
      verifier = fresh();
      await out.truncate(0);
    }
    const etag = res.header('etag');
    const strong = etag && !etag.startsWith('W/') && !gzip ? etag : undefined;
    if (rec.etag !== strong) store.updateFile(index, { etag: strong });
    // appends go to the end (O_APPEND), so after a truncate they start at 0
    got = await receive(ctx, res, { out, have, gzip, verifier, name: rec.name });
    // the count, before the file counts as arrived
    verifier?.finish();
  } catch (e) {
    res.body.destroy();
    await out.close();
    throw e;
  }
  // an object, not the promise itself: awaiting this function must not wait for the placing
  const placed = place(store, index, verifier, have + got.decodedBytes, got.lines, out);
  placed.catch(() => undefined);
  return { placed };
}

/** The part file opened for an answer that brought no body: closed, and removed when it held nothing before. */
async function closeUnused(folder: StateStore['folder'], rec: FileRecord, opening: Promise<{ close(): Promise<void> }>, have: number): Promise<void> {
  const out = await opening.catch(() => undefined);
  await out?.close().catch(() => undefined);
  if (have === 0) await folder.remove(part(rec)).catch(() => undefined);
}

/** Closes the part (before the rename: Windows renames no open file), renames it into place and records the file as done. */
async function place(store: StateStore, index: number, verifier: NdjsonVerifier | undefined, bytes: number, lines: number, out?: { close(): Promise<void> }): Promise<void> {
  const rec = store.state.files[index];
  await out?.close();
  await store.folder.commit(part(rec), rec.name);
  store.updateFile(index, { done: true, bytes, resources: verifier ? verifier.resources : lines, error: undefined, incomplete: undefined, warning: undefined });
}

/** Keeps what arrived of a file that does not match its announced count: the verified lines, marked incomplete. */
async function keepIncomplete(store: StateStore, index: number, verifier: NdjsonVerifier | undefined, warning: string): Promise<void> {
  const rec = store.state.files[index];
  const bytes = verifier?.verifiedBytes ?? 0;
  if ((await store.folder.size(part(rec))) > bytes) await store.folder.truncate(part(rec), bytes);
  await store.folder.commit(part(rec), rec.name);
  const n = verifier?.resources ?? 0;
  const kept = n === 0
    ? l10n.t({ message: '{0} No resource arrived that checked out; the file is kept empty and marked incomplete.', args: [warning], comment: ['{0}: why the file is not what the manifest announced (a sentence)'] })
    : n === 1
      ? l10n.t({ message: '{0} Kept the 1 resource that arrived and checked out; the file is marked incomplete.', args: [warning], comment: ['{0}: why the file is not what the manifest announced (a sentence)'] })
      : l10n.t({ message: '{0} Kept the {1} resources that arrived and checked out; the file is marked incomplete.', args: [warning, n], comment: ['{0}: why the file is not what the manifest announced (a sentence); {1}: a number of resources (2 or more)'] });
  store.updateFile(index, { done: true, bytes, resources: verifier?.resources ?? 0, incomplete: true, warning: kept, error: undefined });
}

async function discardPart(store: StateStore, index: number): Promise<void> {
  const rec = store.state.files[index];
  await store.folder.remove(part(rec));
  // a part of the first layout kept gzip data apart
  await store.folder.remove(`${rec.name}.gz.part`);
  if (rec.etag) store.updateFile(index, { etag: undefined });
}

/** Feeds the part already on disk to the verifier; false when it does not check out. */
async function reverify(store: StateStore, rec: FileRecord, verifier: NdjsonVerifier): Promise<boolean> {
  try {
    for await (const chunk of createReadStream(store.folder.path(part(rec)), { highWaterMark: 1 << 20 })) verifier.push(chunk as Buffer);
    return true;
  } catch (e) {
    if (e instanceof VerificationError) return false;
    throw e;
  }
}

function encodingOf(res: TransportResponse, rec: FileRecord): boolean {
  const enc = (res.header('content-encoding') ?? '').trim().toLowerCase();
  if (enc === 'gzip' || enc === 'x-gzip') return true;
  if (enc && enc !== 'identity') throw new FileProblem(l10n.t({ message: '{0}: the server sent it {1}-encoded, which is not supported (only gzip).', args: [rec.name, enc], comment: ['{0}: a file name; {1}: an HTTP Content-Encoding such as br'] }), 'fail');
  return /\.gz$/i.test(pathOf(res.url));
}
