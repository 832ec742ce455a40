import * as l10n from '@vscode/l10n';
import { constants, type WriteStream } from 'node:fs';
import { type FileHandle, lstat, mkdir, open, readdir, readFile, realpath, rename, rm, stat, statfs, truncate } from 'node:fs/promises';
import * as path from 'node:path';
import { InputError } from '../errors';
import { atomicWrite } from './atomicWrite';
import { guardGitignore } from './gitignore';

/** Where exports live inside a workspace folder. */
export const EXPORTS_PATH = ['.1uphealth', 'exports'] as const;
/** The state file of an export (hidden: the Exports view lists data files only). */
export const STATE_FILE = '.export-state.json';
/** The journal of file updates next to the state file (see state.ts). */
export const JOURNAL_FILE = '.export-journal.ndjson';
/** Space held while files download, given back when the disk fills up so the state and summary still fit. */
export const RESERVE_FILE = '.export-reserve';
// names the engine gives its own files; nothing else is ever created in an export folder
const SAFE_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,199}$/;
/** The only subfolders of an export: the server's error files and deleted entries. */
export const SUBFOLDERS = ['error', 'deleted'] as const;
const HIDDEN = new Set([STATE_FILE, JOURNAL_FILE, RESERVE_FILE]);

/**
 * A file name the export folder refused: it could have put a file outside the folder (`../x`,
 * an absolute path, a separator) or is not a name the engine gives its files.
 */
export class UnsafeFileNameError extends Error {
  override readonly name = 'UnsafeFileNameError';
  constructor(readonly fileName: string, readonly folder: string) {
    super(unsafeMessage(JSON.stringify(fileName.slice(0, 120)), folder, fileName));
  }
}

/** Why a name was refused, in one sentence per reason (`shown`: the name quoted for the message). */
function unsafeMessage(shown: string, folder: string, name: string): string {
  if (name.split(/[/\\]/).includes('..')) {
    return l10n.t({ message: 'Refused to write {0} in {1}: the name climbs out with "..", so it could land outside the export folder. Export files are only ever named by the engine (Type.ndjson, error/…, deleted/…).', args: [shown, folder], comment: ['{0}: a file name in quotes; {1}: the export folder'] });
  }
  if (path.isAbsolute(name) || /^[A-Za-z]:/.test(name)) {
    return l10n.t({ message: 'Refused to write {0} in {1}: the name is an absolute path, so it could land outside the export folder. Export files are only ever named by the engine (Type.ndjson, error/…, deleted/…).', args: [shown, folder], comment: ['{0}: a file name in quotes; {1}: the export folder'] });
  }
  if (/[/\\]/.test(name)) {
    return l10n.t({ message: 'Refused to write {0} in {1}: the name holds a path separator other than the error/ or deleted/ folder, so it could land outside the export folder. Export files are only ever named by the engine (Type.ndjson, error/…, deleted/…).', args: [shown, folder], comment: ['{0}: a file name in quotes; {1}: the export folder'] });
  }
  return l10n.t({ message: 'Refused to write {0} in {1}: the name is not one the engine gives its files, so it could land outside the export folder. Export files are only ever named by the engine (Type.ndjson, error/…, deleted/…).', args: [shown, folder], comment: ['{0}: a file name in quotes; {1}: the export folder'] });
}

/** Whether `name` is one the engine would write: a safe name, optionally in error/ or deleted/. */
export function isSafeFileName(name: string): boolean {
  if (HIDDEN.has(name)) return true;
  const parts = name.split('/');
  if (parts.length === 2 && !(SUBFOLDERS as readonly string[]).includes(parts[0])) return false;
  if (parts.length > 2) return false;
  const last = parts[parts.length - 1];
  return SAFE_NAME.test(last) && !last.includes('..');
}

/** `<workspace>/.1uphealth/exports` */
export function exportsRoot(workspace: string): string {
  return path.join(workspace, ...EXPORTS_PATH);
}

/** A folder name for an environment ("Local Sandbox" → "Local_Sandbox"). */
export function environmentFolderName(name: string): string {
  const cleaned = name.replace(/[^A-Za-z0-9._-]+/g, '_').replace(/^[._]+/, '').slice(0, 80);
  return cleaned || 'environment';
}

/** A resource type usable in a file name, or undefined for anything else (`../x`, empty, 200 characters). */
export function safeTypeName(type: unknown): string | undefined {
  return typeof type === 'string' && /^[A-Za-z][A-Za-z0-9]{0,63}$/.test(type) ? type : undefined;
}

/** `2025-01-31T09-05-03Z`: sortable, and valid in file names everywhere. */
export function timestampName(d: Date): string {
  return d.toISOString().replace(/\.\d+Z$/, 'Z').replace(/:/g, '-');
}

/**
 * The real path of an export folder of one of `workspaces`: only `<workspace>/.1uphealth/exports/<env>/<timestamp>`
 * itself, with no symlink leading out of it, so a resumed export writes nowhere else than a new one would.
 */
export async function resolveExportFolder(dir: string, workspaces: readonly string[]): Promise<string> {
  const real = await realpath(dir).catch(() => undefined);
  if (!real) throw new InputError(l10n.t('The export folder {0} does not exist.', dir));
  for (const workspace of workspaces) {
    const ws = await realpath(workspace).catch(() => undefined);
    if (!ws) continue;
    const rel = path.relative(exportsRoot(ws), real);
    const parts = rel.split(path.sep);
    if (!path.isAbsolute(rel) && parts.length === 2 && parts.every((p) => p && p !== '..')) return real;
  }
  throw new InputError(l10n.t({ message: '{0} is not an export folder of this workspace: a bulk export is resumed only in <workspace folder>/{1}/<environment>/<timestamp>.', args: [dir, EXPORTS_PATH.join('/')], comment: ['{1}: .1uphealth/exports; the words in <> name parts of a path'] }));
}

/**
 * One export's folder. Every write goes through it: names are checked against a strict pattern,
 * the folder is its own realpath (no symlink redirects it), part files refuse to follow symlinks,
 * and finished files arrive by rename, so nothing is written outside it and no reader sees half a file.
 */
export class ExportFolder {
  /** Set by `create` when it had to rewrite a `.gitignore` that did not ignore everything. */
  gitignoreFixed?: string;

  private constructor(readonly dir: string) {}

  /** Opens an existing export folder (to resume it); the folder must sit in a workspace's `.1uphealth/exports/<env>/`. */
  static async open(dir: string): Promise<ExportFolder> {
    let real: string;
    try {
      real = await realpath(dir);
    } catch {
      throw new InputError(l10n.t('The export folder {0} does not exist.', dir));
    }
    const parts = real.split(path.sep);
    if (parts.length < 4 || parts[parts.length - 3] !== EXPORTS_PATH[1] || parts[parts.length - 4] !== EXPORTS_PATH[0]) {
      throw new InputError(l10n.t({ message: '{0} is not an export folder (expected …/{1}/<environment>/<timestamp>).', args: [dir, EXPORTS_PATH.join('/')], comment: ['{1}: .1uphealth/exports; the words in <> name parts of a path'] }));
    }
    return new ExportFolder(real);
  }

  /** Creates `<workspace>/.1uphealth/exports/<env>/<timestamp>` (and the `.gitignore` that keeps exports out of git). */
  static async create(workspace: string, environment: string, at: Date): Promise<ExportFolder> {
    let ws: string;
    try {
      ws = await realpath(workspace);
      if (!(await stat(ws)).isDirectory()) throw new Error('not a directory');
    } catch {
      throw new InputError(l10n.t('The workspace folder {0} does not exist on disk; bulk exports need a folder to write to.', workspace));
    }
    const root = exportsRoot(ws);
    // each level is made and checked in turn: a symlinked .1uphealth or exports folder could
    // otherwise send health data (or even just new folders) anywhere on the disk
    let envDir = ws;
    for (const part of [...EXPORTS_PATH, environmentFolderName(environment)]) {
      envDir = path.join(envDir, part);
      await mkdir(envDir).catch((e: NodeJS.ErrnoException) => {
        if (e.code !== 'EEXIST') throw e;
      });
      const st = await lstat(envDir);
      if (st.isSymbolicLink() || !st.isDirectory()) {
        throw new InputError(l10n.t({ message: '{0} in {1} is a symbolic link or not a folder; exports are only written to a real folder in the workspace.', args: [path.relative(ws, envDir), ws], comment: ['{0}: a folder inside the workspace folder {1}'] }));
      }
    }
    const gitignoreFixed = await guardGitignore(path.join(root, '.gitignore'));
    const base = timestampName(at);
    for (let n = 1; n < 100; n++) {
      const dir = path.join(envDir, n === 1 ? base : `${base}-${n}`);
      try {
        await mkdir(dir);
        return Object.assign(new ExportFolder(dir), { gitignoreFixed });
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
      }
    }
    throw new Error(l10n.t('Could not create an export folder under {0}.', envDir));
  }

  /** The absolute path of a file this export writes; throws UnsafeFileNameError for any name that could leave the folder. */
  path(name: string): string {
    if (!isSafeFileName(name)) throw new UnsafeFileNameError(name, this.dir);
    const full = path.join(this.dir, ...name.split('/'));
    const parent = path.dirname(full);
    if (parent !== this.dir && path.dirname(parent) !== this.dir) throw new UnsafeFileNameError(name, this.dir);
    return full;
  }

  /** Makes error/ or deleted/ (a real folder, never through a symlink) for a file about to be written there. */
  async prepare(name: string): Promise<void> {
    const sub = name.includes('/') ? name.split('/')[0] : undefined;
    if (!sub) return;
    const dir = path.join(this.dir, sub);
    await mkdir(dir).catch((e: NodeJS.ErrnoException) => {
      if (e.code !== 'EEXIST') throw e;
    });
    const st = await lstat(dir);
    if (st.isSymbolicLink() || !st.isDirectory()) throw new UnsafeFileNameError(name, this.dir);
  }

  /** Bytes free for this export on its disk. */
  async freeBytes(): Promise<number | undefined> {
    try {
      const s = await statfs(this.dir);
      return s.bavail * s.bsize;
    } catch {
      return undefined;
    }
  }

  /** Holds `bytes` of the disk in a hidden file (see RESERVE_FILE); written, so the space is really taken. */
  async reserve(bytes: number): Promise<void> {
    const fh = await this.openPart(RESERVE_FILE, false);
    try {
      const block = Buffer.alloc(Math.min(bytes, 1 << 20));
      for (let left = bytes; left > 0; left -= block.length) await fh.write(block, 0, Math.min(block.length, left));
    } finally {
      await fh.close();
    }
  }

  /** Cuts a part file back to `bytes` (a verified prefix). */
  async truncate(name: string, bytes: number): Promise<void> {
    await truncate(this.path(name), bytes);
  }

  /** The part files in the folder and its subfolders now (one listing instead of a look per file). */
  async partFiles(): Promise<Set<string>> {
    const out = new Set<string>();
    for (const sub of [undefined, ...SUBFOLDERS]) {
      for (const name of await readdir(sub ? path.join(this.dir, sub) : this.dir).catch(() => [] as string[])) {
        if (name.endsWith('.part')) out.add(sub ? `${sub}/${name}` : name);
      }
    }
    return out;
  }

  /** Size of a file in the folder (0 when absent); a symlink counts as absent and is removed. */
  async size(name: string): Promise<number> {
    const p = this.path(name);
    try {
      const s = await lstat(p);
      if (s.isFile()) return s.size;
      await rm(p, { force: true });
      return 0;
    } catch {
      return 0;
    }
  }

  /** Deletes the whole export folder (an export that never started). */
  async removeAll(): Promise<void> {
    await rm(this.dir, { recursive: true, force: true });
  }

  async remove(name: string): Promise<void> {
    await rm(this.path(name), { force: true });
  }

  /** Renames a finished part file to its final name (replacing, never following, whatever is there). */
  async commit(part: string, final: string): Promise<void> {
    await rename(this.path(part), this.path(final));
  }

  /** A part file opened for writing: appended to or truncated, never through a symlink. */
  async openPart(name: string, append: boolean): Promise<FileHandle> {
    const flags = constants.O_WRONLY | constants.O_CREAT | constants.O_NOFOLLOW | (append ? constants.O_APPEND : constants.O_TRUNC);
    return open(this.path(name), flags, 0o600);
  }

  /** A write stream for a part file: appended to or truncated, never through a symlink. */
  async partStream(name: string, append: boolean): Promise<WriteStream> {
    const fh = await this.openPart(name, append);
    return fh.createWriteStream({ highWaterMark: 1 << 18 });
  }

  async readText(name: string): Promise<string | undefined> {
    try {
      return await readFile(this.path(name), 'utf8');
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw e;
    }
  }

  /** Writes a whole file atomically: a fresh temp file, flushed, then renamed over the target. */
  async writeAtomic(name: string, content: string): Promise<void> {
    await atomicWrite(this.path(name), content);
  }
}
