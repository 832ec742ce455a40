import * as l10n from '@vscode/l10n';
import type { FileHandle } from 'node:fs/promises';
import { isFhirVersion, type FhirVersion } from '../environments';
import { InputError } from '../errors';
import { type ExportFolder, isSafeFileName, JOURNAL_FILE, STATE_FILE } from './folder';
import type { ExportLevel, ExportScope, FileRecord, Manifest } from './types';

/** Everything needed to pick an interrupted export up again. */
export interface ExportState {
  format: 2;
  environment: string;
  /** The FHIR base `$export` was sent to; a resume must use the same server. */
  bulkBase: string;
  version: FhirVersion;
  scope: ExportScope;
  level: ExportLevel;
  types?: string[];
  since?: string;
  typeFilters?: string[];
  outputFormat?: string;
  startedAt: string;
  /** The status URL (Content-Location) once the server gave one. */
  statusUrl?: string;
  /** True when the kick-off answered 202 (the spec's style), so the job lives until deleted. */
  async?: boolean;
  manifest?: Manifest;
  /** Refused manifest entries (unsafe type, bad URL), kept for the summary. */
  refused?: { type?: string; message: string }[];
  files: FileRecord[];
  /** Working time of all runs so far. */
  activeMs: number;
  finishedAt?: string;
  /** The server's job was deleted on cancel: nothing is left to resume. */
  serverJobDeleted?: boolean;
}

type TopPatch = Partial<Pick<ExportState, 'activeMs' | 'finishedAt' | 'serverJobDeleted' | 'statusUrl' | 'async'>>;
/** One journal line: a file's new fields, or the state's. */
type JournalLine = { f: number; p: Partial<FileRecord> } | { s: TopPatch };

// a batch of journal lines is written at most this often while downloads run
const BATCH_MS = 200;

/**
 * An export's state on disk: `.export-state.json` (written whole, atomically, when the export
 * starts, when the manifest arrives and when a run ends) plus `.export-journal.ndjson`, to which
 * each file's progress is appended in batches. An update costs one short line however many files
 * the manifest has: 10,000 files do not rewrite a 3 MB state 10,000 times. A torn last line (a
 * crash, a full disk) is ignored on load; the files' sizes on disk are checked again anyway.
 */
export class StateStore {
  private writing: Promise<void> = Promise.resolve();
  private queued: string[] = [];
  private timer: NodeJS.Timeout | undefined;
  private journal: FileHandle | undefined;

  constructor(readonly folder: ExportFolder, readonly state: ExportState) {}

  static async load(folder: ExportFolder): Promise<StateStore> {
    const text = await folder.readText(STATE_FILE);
    if (text === undefined) throw new InputError(l10n.t({ message: '{0} holds no export state ({1}); it cannot be resumed.', args: [folder.dir, STATE_FILE], comment: ['{0}: a folder; {1}: a file name'] }));
    let raw: unknown;
    try {
      raw = JSON.parse(text);
    } catch {
      throw new InputError(l10n.t('The export state in {0} is damaged (not JSON); start a new export.', folder.dir));
    }
    const state = checkState(raw, folder.dir);
    for (const line of (await folder.readText(JOURNAL_FILE) ?? '').split('\n')) {
      let j: JournalLine;
      try {
        j = JSON.parse(line) as JournalLine;
      } catch {
        continue;
      }
      if ('f' in j && state.files[j.f] && j.p && typeof j.p === 'object') {
        const { name: _name, url: _url, type: _type, kind: _kind, ...safe } = j.p;
        Object.assign(state.files[j.f], safe);
      } else if ('s' in j && j.s && typeof j.s === 'object') {
        Object.assign(state, pickTop(j.s));
      }
    }
    return new StateStore(folder, state);
  }

  /** Notes new fields of file `index` (applied to `state` at once, written in the next batch). */
  updateFile(index: number, patch: Partial<FileRecord>): void {
    Object.assign(this.state.files[index], patch);
    this.enqueue({ f: index, p: patch });
  }

  /** Notes new top-level fields (applied at once, written in the next batch). */
  updateTop(patch: TopPatch): void {
    Object.assign(this.state, patch);
    this.enqueue({ s: patch });
  }

  /** Writes what is queued now; resolves when it is on disk. */
  flush(): Promise<void> {
    clearTimeout(this.timer);
    this.timer = undefined;
    const lines = this.queued;
    this.queued = [];
    if (!lines.length) return this.writing;
    const next = this.writing.then(async () => {
      this.journal ??= await this.folder.openPart(JOURNAL_FILE, true);
      await this.journal.write(lines.join(''));
    });
    this.writing = next.catch(() => undefined);
    return next;
  }

  /** Writes the whole state atomically and starts an empty journal (what the journal held is in it now). */
  save(): Promise<void> {
    clearTimeout(this.timer);
    this.timer = undefined;
    this.queued = [];
    const next = this.writing.then(async () => {
      await this.folder.writeAtomic(STATE_FILE, JSON.stringify(this.state, null, 1));
      await this.closeJournal();
      await this.folder.remove(JOURNAL_FILE);
    });
    this.writing = next.catch(() => undefined);
    return next;
  }

  /** Stops batching; what is still queued is dropped (call flush or save first). */
  async close(): Promise<void> {
    clearTimeout(this.timer);
    this.timer = undefined;
    await this.writing;
    await this.closeJournal();
  }

  private enqueue(line: JournalLine): void {
    this.queued.push(`${JSON.stringify(line)}\n`);
    this.timer ??= setTimeout(() => void this.flush().catch(() => undefined), BATCH_MS);
  }

  private async closeJournal(): Promise<void> {
    const j = this.journal;
    this.journal = undefined;
    await j?.close().catch(() => undefined);
  }
}

function pickTop(p: TopPatch): TopPatch {
  const out: TopPatch = {};
  if (typeof p.activeMs === 'number') out.activeMs = p.activeMs;
  if (typeof p.finishedAt === 'string') out.finishedAt = p.finishedAt;
  if (typeof p.serverJobDeleted === 'boolean') out.serverJobDeleted = p.serverJobDeleted;
  if (typeof p.statusUrl === 'string') out.statusUrl = p.statusUrl;
  if (typeof p.async === 'boolean') out.async = p.async;
  return out;
}

function checkState(raw: unknown, dir: string): ExportState {
  const s = raw as (Omit<Partial<ExportState>, 'format'> & { format?: number }) | null;
  const bad = (what: string) => new InputError(l10n.t({ message: 'The export state in {0} is damaged ({1}); start a new export.', args: [dir, what], comment: ['{0}: a folder; {1}: what is wrong, in a few words ("no scope")'] }));
  if (!s || typeof s !== 'object' || (s.format !== 1 && s.format !== 2)) throw bad(l10n.t({ message: 'unknown format', comment: ['why the export state is damaged, in a few words'] }));
  if (typeof s.bulkBase !== 'string' || typeof s.environment !== 'string' || !isFhirVersion(s.version)) throw bad(l10n.t({ message: 'no server', comment: ['why the export state is damaged, in a few words'] }));
  const scope = s.scope as ExportScope | undefined;
  if (!scope || (scope.kind !== 'app' && !(scope.kind === 'user' && typeof scope.oneupUserId === 'string'))) throw bad(l10n.t({ message: 'no scope', comment: ['why the export state is damaged, in a few words'] }));
  if (!Array.isArray(s.files)) throw bad(l10n.t({ message: 'no file list', comment: ['why the export state is damaged, in a few words'] }));
  for (const f of s.files) {
    if (!f || typeof f.name !== 'string' || typeof f.url !== 'string' || typeof f.type !== 'string') throw bad(l10n.t({ message: 'a file entry', comment: ['why the export state is damaged, in a few words'] }));
    if (!isSafeFileName(f.name)) {
      throw new InputError(l10n.t({
        message: 'The export state in {0} names a file {1}, which could land outside the export folder (a name with "..", a path separator or an absolute path); nothing was resumed. Start a new export.',
        args: [dir, JSON.stringify(f.name.slice(0, 120))], comment: ['{0}: a folder; {1}: a file name in quotes'],
      }));
    }
  }
  if (s.format === 1) return upgrade(s as unknown as ExportState);
  return { ...s, level: s.level ?? { kind: 'system' }, activeMs: typeof s.activeMs === 'number' ? s.activeMs : 0 } as ExportState;
}

/**
 * A state of the first format (`{bulkDataUrl}/{version}`, files `Patient.000.ndjson` with kind
 * `output`): kept as it is named on disk, so a resumed older export finishes in its own layout.
 */
function upgrade(s: ExportState): ExportState {
  const files = s.files.map((f) => ({ ...f, kind: (f.kind as string) === 'output' ? 'data' as const : f.kind }));
  return { ...s, format: 2, level: { kind: 'system' }, files, activeMs: typeof s.activeMs === 'number' ? s.activeMs : 0 };
}
