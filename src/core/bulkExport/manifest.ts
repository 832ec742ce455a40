import * as l10n from '@vscode/l10n';
import { ApiError } from '../errors';
import { safeTypeName } from './folder';
import type { ExportProblem, FileKind, FileRecord, Manifest, ManifestEntry } from './types';

/**
 * Checks the shape of a manifest answer; an answer without an `output` list is not one. `error`
 * and `deleted` may be absent (1upHealth sends neither).
 */
export function parseManifest(body: unknown, method: string, path: string, status: number): Manifest {
  const m = body as Partial<Manifest> | undefined;
  if (!m || typeof m !== 'object' || !Array.isArray(m.output)) {
    throw new ApiError(status, method, path, l10n.t('The export answer is not a bulk data manifest (it has no "output" list).'));
  }
  return { ...m, output: m.output, error: Array.isArray(m.error) ? m.error : [], deleted: Array.isArray(m.deleted) ? m.deleted : undefined } as Manifest;
}

const FOLDER: Record<FileKind, string> = { data: '', error: 'error/', deleted: 'deleted/' };

/**
 * The files to download, named by kind and type, never by anything in the URL: data files in
 * the folder itself (`Observation.ndjson`, `Observation-2.ndjson`, …), the server's error files
 * under `error/`, deleted entries under `deleted/`. Entries whose type could not be a resource
 * type (`../x`), or whose URL is not http(s), are refused and reported.
 */
export function planFiles(manifest: Manifest, baseUrl: string): { files: FileRecord[]; refused: ExportProblem[] } {
  const files: FileRecord[] = [];
  const refused: ExportProblem[] = [];
  // case-insensitive: `patient` and `Patient` must not share a file on macOS or Windows
  const perName = new Map<string, number>();
  const add = (entry: ManifestEntry, kind: FileKind) => {
    const raw = entry as Partial<ManifestEntry> | null;
    const type = safeTypeName(raw?.type);
    if (!type) {
      refused.push({ message: typeRefused(kind, typeof raw?.type === 'string' ? JSON.stringify(raw.type.slice(0, 80)) : undefined) });
      return;
    }
    const url = absoluteHttpUrl(raw?.url, baseUrl);
    if (!url) {
      refused.push({ type, message: urlRefused(kind, type) });
      return;
    }
    const stem = FOLDER[kind] + type;
    const n = (perName.get(stem.toLowerCase()) ?? 0) + 1;
    perName.set(stem.toLowerCase(), n);
    const count = typeof raw?.count === 'number' && Number.isInteger(raw.count) && raw.count >= 0 ? raw.count : undefined;
    files.push({ name: `${stem}${n === 1 ? '' : `-${n}`}.ndjson`, type, url, count, kind, done: false });
  };
  for (const e of manifest.output) add(e, 'data');
  for (const e of manifest.deleted ?? []) add(e, 'deleted');
  for (const e of manifest.error) add(e, 'error');
  return { files, refused };
}

/** A manifest entry refused for its type: `shown` is the type in quotes, undefined when it has none. */
function typeRefused(kind: FileKind, shown: string | undefined): string {
  if (shown === undefined) {
    return kind === 'data' ? l10n.t('The manifest lists a file without a resource type; it was not downloaded.')
      : kind === 'error' ? l10n.t('The manifest lists an error file without a resource type; it was not downloaded.')
        : l10n.t('The manifest lists a deleted-resources file without a resource type; it was not downloaded.');
  }
  return kind === 'data' ? l10n.t({ message: 'The manifest lists a file of type {0}, which is not a resource type; it was not downloaded.', args: [shown], comment: ['{0}: what the manifest gave as a resource type, in quotes'] })
    : kind === 'error' ? l10n.t({ message: 'The manifest lists an error file of type {0}, which is not a resource type; it was not downloaded.', args: [shown], comment: ['{0}: what the manifest gave as a resource type, in quotes'] })
      : l10n.t({ message: 'The manifest lists a deleted-resources file of type {0}, which is not a resource type; it was not downloaded.', args: [shown], comment: ['{0}: what the manifest gave as a resource type, in quotes'] });
}

/** A manifest entry refused for its URL. */
function urlRefused(kind: FileKind, type: string): string {
  return kind === 'data' ? l10n.t({ message: 'The manifest lists a {0} file without a usable http(s) URL; it was not downloaded.', args: [type], comment: ['{0}: a resource type such as Observation'] })
    : kind === 'error' ? l10n.t({ message: 'The manifest lists a {0} error file without a usable http(s) URL; it was not downloaded.', args: [type], comment: ['{0}: a resource type such as Observation'] })
      : l10n.t({ message: 'The manifest lists a {0} deleted file without a usable http(s) URL; it was not downloaded.', args: [type], comment: ['{0}: a resource type such as Observation'] });
}

function absoluteHttpUrl(url: unknown, base: string): string | undefined {
  if (typeof url !== 'string' || !url) return undefined;
  try {
    const u = new URL(url, base);
    if (u.protocol !== 'https:' && u.protocol !== 'http:') return undefined;
    if (u.username || u.password) return undefined;
    return u.href;
  } catch {
    return undefined;
  }
}
