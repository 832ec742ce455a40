import { readdir, readFile, stat } from 'node:fs/promises';
import * as path from 'node:path';
import { exportsRoot, STATE_FILE, SUBFOLDERS } from './folder';
import type { ExportSummary } from './types';

/** A past (or interrupted) export, as the Exports view shows it. */
export interface ExportEntry {
  /** The environment folder's name (`Local_Sandbox`). */
  environment: string;
  /** The timestamp folder's name. */
  name: string;
  folder: string;
  /** `complete`: summary says all files arrived; `problems`: finished with errors; `interrupted`: no summary yet. */
  status: 'complete' | 'problems' | 'interrupted';
  summary?: ExportSummary;
}

export interface ExportFileEntry {
  /** Relative to the export folder, forward slashes (`Patient.ndjson`, `error/OperationOutcome.ndjson`). */
  name: string;
  path: string;
  bytes: number;
  kind: 'data' | 'error' | 'deleted' | 'manifest' | 'summary' | 'partial';
}

/** Every export folder under `<workspace>/.1uphealth/exports/`, newest first. */
export async function listExports(workspace: string): Promise<ExportEntry[]> {
  const root = exportsRoot(workspace);
  const out: ExportEntry[] = [];
  for (const env of await dirs(root)) {
    for (const name of await dirs(path.join(root, env))) {
      const folder = path.join(root, env, name);
      const summary = await readJson<ExportSummary>(path.join(folder, 'summary.json'));
      if (!summary && !(await exists(path.join(folder, STATE_FILE)))) continue;
      const status = !summary ? 'interrupted' : summary.complete && !summary.errors?.length ? 'complete' : 'problems';
      out.push({ environment: env, name, folder, status, summary });
    }
  }
  return out.sort((a, b) => (a.name === b.name ? a.environment.localeCompare(b.environment) : b.name.localeCompare(a.name)));
}

/**
 * The files of one export: data first (by name), then deleted entries and error files, manifest
 * and summary; part files last. Reads both layouts: `error/` and `deleted/` subfolders, and the
 * first one's `Patient.000.ndjson` / `OperationOutcome.error.000.ndjson` in the folder itself.
 */
export async function listExportFiles(folder: string): Promise<ExportFileEntry[]> {
  const out: ExportFileEntry[] = [];
  const scan = async (sub: string | undefined) => {
    const dir = sub ? path.join(folder, sub) : folder;
    for (const e of await readdir(dir, { withFileTypes: true }).catch(() => [])) {
      if (!e.isFile() || e.name.startsWith('.')) continue;
      const kind = kindOf(e.name, sub);
      if (!kind) continue;
      const p = path.join(dir, e.name);
      const bytes = (await stat(p).catch(() => undefined))?.size ?? 0;
      out.push({ name: sub ? `${sub}/${e.name}` : e.name, path: p, bytes, kind });
    }
  };
  await scan(undefined);
  for (const sub of SUBFOLDERS) await scan(sub);
  const order = { data: 0, deleted: 1, error: 2, manifest: 3, summary: 4, partial: 5 };
  return out.sort((a, b) => order[a.kind] - order[b.kind] || a.name.localeCompare(b.name));
}

function kindOf(name: string, sub: string | undefined): ExportFileEntry['kind'] | undefined {
  if (name.endsWith('.part')) return 'partial';
  if (sub) return name.endsWith('.ndjson') ? (sub as 'error' | 'deleted') : undefined;
  if (name === 'manifest.json') return 'manifest';
  if (name === 'summary.json') return 'summary';
  if (/\.error\.\d+\.ndjson$/.test(name)) return 'error';
  if (name.endsWith('.ndjson')) return 'data';
  return undefined;
}

async function dirs(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true }).catch(() => []);
  return entries.filter((e) => e.isDirectory() && !e.name.startsWith('.')).map((e) => e.name);
}

async function exists(p: string): Promise<boolean> {
  return stat(p).then(() => true, () => false);
}

async function readJson<T>(p: string): Promise<T | undefined> {
  try {
    return JSON.parse(await readFile(p, 'utf8')) as T;
  } catch {
    return undefined;
  }
}
