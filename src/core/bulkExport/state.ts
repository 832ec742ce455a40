import { isFhirVersion, type FhirVersion } from '../environments';
import { InputError } from '../errors';
import { type ExportFolder, STATE_FILE } from './folder';
import type { ExportScope, FileRecord, Manifest } from './types';

/** Everything needed to pick an interrupted export up again; written after each step. */
export interface ExportState {
  format: 1;
  environment: string;
  /** `{bulkDataUrl}/{version}` it was started against; a resume must use the same server. */
  bulkBase: string;
  version: FhirVersion;
  scope: ExportScope;
  types?: string[];
  since?: string;
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

/** Loads and saves an export's state file; saves are atomic and never overlap. */
export class StateStore {
  private writing: Promise<void> = Promise.resolve();

  constructor(readonly folder: ExportFolder, readonly state: ExportState) {}

  static async load(folder: ExportFolder): Promise<StateStore> {
    const text = await folder.readText(STATE_FILE);
    if (text === undefined) throw new InputError(`${folder.dir} holds no export state (${STATE_FILE}); it cannot be resumed.`);
    let raw: unknown;
    try {
      raw = JSON.parse(text);
    } catch {
      throw new InputError(`The export state in ${folder.dir} is damaged (not JSON); start a new export.`);
    }
    return new StateStore(folder, checkState(raw, folder.dir));
  }

  /** Writes the current state; concurrent callers are queued so the file is always whole and newest. */
  save(): Promise<void> {
    const next = this.writing.then(() => this.folder.writeAtomic(STATE_FILE, JSON.stringify(this.state, null, 1)));
    this.writing = next.catch(() => undefined);
    return next;
  }
}

function checkState(raw: unknown, dir: string): ExportState {
  const s = raw as Partial<ExportState> | null;
  const bad = (what: string) => new InputError(`The export state in ${dir} is damaged (${what}); start a new export.`);
  if (!s || typeof s !== 'object' || s.format !== 1) throw bad('unknown format');
  if (typeof s.bulkBase !== 'string' || typeof s.environment !== 'string' || !isFhirVersion(s.version)) throw bad('no server');
  const scope = s.scope as ExportScope | undefined;
  if (!scope || (scope.kind !== 'app' && !(scope.kind === 'user' && typeof scope.oneupUserId === 'string'))) throw bad('no scope');
  if (!Array.isArray(s.files)) throw bad('no file list');
  for (const f of s.files) {
    if (!f || typeof f.name !== 'string' || typeof f.url !== 'string' || typeof f.type !== 'string') throw bad('a file entry');
  }
  return { ...s, activeMs: typeof s.activeMs === 'number' ? s.activeMs : 0 } as ExportState;
}
