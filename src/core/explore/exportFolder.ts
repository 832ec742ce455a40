// An export folder as the explorer reads it: which files hold data, error reports and deleted
// entries, of which resource type, and what summary.json says of each. Both layouts are read:
// the current one (`Observation.ndjson`, `Observation-2.ndjson`, `deleted/<Type>.ndjson`,
// `error/…`, summary `files[].kind` data|error|deleted) and the first one (`Observation.000.ndjson`,
// `Observation.error.0.ndjson`, summary kind output|error).
import { readdir, readFile, stat } from 'node:fs/promises';
import * as path from 'node:path';
import type { FhirVersion } from '../environments';
import { isFhirVersion } from '../environments';

export type ExportFileKind = 'data' | 'error' | 'deleted';

/** Whether a file is as the export left it. */
export type FileState =
  /** listed in summary.json with this size: downloaded and verified */
  | 'verified'
  /** summary.json marks it incomplete (with a warning) */
  | 'incomplete'
  /** not listed in summary.json (an export still running or interrupted, or a file put there later) */
  | 'unlisted'
  /** its size is not what summary.json recorded */
  | 'changed'
  /** listed in summary.json but not on disk */
  | 'missing';

export interface ExportFile {
  /** path relative to the folder, forward slashes */
  name: string;
  path: string;
  type: string;
  kind: ExportFileKind;
  bytes: number;
  /** resources (or reports, or deleted entries) summary.json counted */
  resources?: number;
  state: FileState;
  warning?: string;
}

export interface ExportFolderInfo {
  folder: string;
  /** the folder's name: the export's timestamp */
  name: string;
  fhirVersion?: FhirVersion;
  /** summary.json's `complete`, when there is one */
  complete?: boolean;
  /** problems summary.json lists */
  problems: string[];
  files: ExportFile[];
  hasSummary: boolean;
  transactionTime?: string;
}

interface SummaryFile {
  name?: unknown;
  type?: unknown;
  kind?: unknown;
  resources?: unknown;
  bytes?: unknown;
  incomplete?: unknown;
  warning?: unknown;
}

const TYPE = /^[A-Za-z][A-Za-z0-9]{0,63}$/;

/** The type and kind a file name says (for files summary.json does not list). */
export function fileKindOf(name: string): { type: string; kind: ExportFileKind } | undefined {
  const parts = name.split('/');
  const base = parts[parts.length - 1];
  if (!/\.(ndjson|jsonl)$/i.test(base)) return undefined;
  const type = /^([A-Za-z][A-Za-z0-9]{0,63})(?=[.\-_]|$)/.exec(base.replace(/\.(ndjson|jsonl)$/i, ''))?.[1];
  if (parts.length === 2 && parts[0] === 'deleted') return type ? { type, kind: 'deleted' } : undefined;
  if (parts.length === 2 && parts[0] === 'error') return { type: type ?? 'OperationOutcome', kind: 'error' };
  if (parts.length !== 1) return undefined;
  if (/\.error\.\d+\.ndjson$/i.test(base)) return type ? { type, kind: 'error' } : undefined;
  return type ? { type, kind: 'data' } : undefined;
}

function kindOfSummary(kind: unknown): ExportFileKind | undefined {
  if (kind === 'data' || kind === 'output') return 'data';
  if (kind === 'error' || kind === 'deleted') return kind;
  return undefined;
}

async function ndjsonFiles(folder: string): Promise<string[]> {
  const out: string[] = [];
  for (const e of await readdir(folder, { withFileTypes: true }).catch(() => [])) {
    if (e.isFile() && !e.name.startsWith('.') && /\.(ndjson|jsonl)$/i.test(e.name)) out.push(e.name);
    else if (e.isDirectory() && (e.name === 'deleted' || e.name === 'error')) {
      for (const f of await readdir(path.join(folder, e.name), { withFileTypes: true }).catch(() => [])) {
        if (f.isFile() && !f.name.startsWith('.') && /\.(ndjson|jsonl)$/i.test(f.name)) out.push(`${e.name}/${f.name}`);
      }
    }
  }
  return out;
}

/** A path inside the folder for a name summary.json gives, or undefined for one that would leave it. */
function inside(folder: string, name: string): string | undefined {
  if (!name || name.includes('\\') || name.split('/').some((p) => p === '' || p === '.' || p === '..')) return undefined;
  const full = path.resolve(folder, ...name.split('/'));
  return full.startsWith(path.resolve(folder) + path.sep) ? full : undefined;
}

/** Reads an export folder: summary.json when there is one, and the NDJSON files on disk. */
export async function readExportFolder(folder: string): Promise<ExportFolderInfo> {
  const summary = await readFile(path.join(folder, 'summary.json'), 'utf8').then((t) => JSON.parse(t) as Record<string, unknown>, () => undefined);
  const files = new Map<string, ExportFile>();
  const listed = Array.isArray(summary?.files) ? (summary.files as SummaryFile[]) : [];
  for (const f of listed) {
    const name = typeof f.name === 'string' ? f.name : undefined;
    const kind = kindOfSummary(f.kind);
    const full = name ? inside(folder, name) : undefined;
    if (!name || !kind || !full) continue;
    const type = typeof f.type === 'string' && TYPE.test(f.type) ? f.type : fileKindOf(name)?.type ?? 'Unknown';
    const recorded = typeof f.bytes === 'number' ? f.bytes : undefined;
    const st = await stat(full).catch(() => undefined);
    const bytes = st?.size ?? 0;
    let state: FileState = !st ? 'missing' : f.incomplete === true ? 'incomplete' : recorded !== undefined && recorded !== bytes ? 'changed' : 'verified';
    if (st && !st.isFile()) state = 'missing';
    files.set(name, {
      name, path: full, type, kind, bytes, state,
      resources: typeof f.resources === 'number' ? f.resources : undefined,
      warning: typeof f.warning === 'string' ? f.warning : undefined,
    });
  }
  for (const name of await ndjsonFiles(folder)) {
    if (files.has(name)) continue;
    const k = fileKindOf(name);
    if (!k) continue;
    const full = path.join(folder, ...name.split('/'));
    const bytes = (await stat(full).catch(() => undefined))?.size ?? 0;
    files.set(name, { name, path: full, type: k.type, kind: k.kind, bytes, state: 'unlisted' });
  }
  const order = { data: 0, deleted: 1, error: 2 };
  const problems = Array.isArray(summary?.errors)
    ? (summary.errors as { message?: unknown }[]).map((e) => (typeof e?.message === 'string' ? e.message : '')).filter(Boolean)
    : [];
  return {
    folder,
    name: path.basename(folder),
    fhirVersion: isFhirVersion(summary?.fhirVersion) ? summary.fhirVersion : undefined,
    complete: typeof summary?.complete === 'boolean' ? summary.complete : undefined,
    problems,
    files: [...files.values()].sort((a, b) => order[a.kind] - order[b.kind] || a.type.localeCompare(b.type) || a.name.localeCompare(b.name, 'en', { numeric: true })),
    hasSummary: !!summary,
    transactionTime: typeof summary?.transactionTime === 'string' ? summary.transactionTime : undefined,
  };
}

/** The export folder a file sits in (its folder, or the one above `deleted/` and `error/`), when it has the export's marks. */
export async function exportFolderOf(file: string): Promise<string | undefined> {
  let dir = path.dirname(file);
  if (['deleted', 'error'].includes(path.basename(dir))) dir = path.dirname(dir);
  for (const mark of ['summary.json', 'manifest.json', '.export-state.json']) {
    if (await stat(path.join(dir, mark)).then(() => true, () => false)) return dir;
  }
  return undefined;
}
