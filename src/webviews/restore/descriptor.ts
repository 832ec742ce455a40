import type { FhirVersion } from '../../core/environments';
import { isFhirVersion } from '../../core/environments';
import type { SearchQuery } from '../../core/fhir/searchQuery';

/** A user as a restored panel acts for (identifiers only: never a token). */
export interface RestoreUser {
  oneupUserId: string;
  appUserId: string;
}

/** Data read from an environment: which one, which FHIR version, as whom. */
interface FromServer {
  /** the environment's name (its URLs are looked up again: settings may have changed) */
  env: string;
  version: FhirVersion;
  user?: RestoreUser;
}

/**
 * What a panel saves (in its webview's state) to be brought back after a reload: where its data
 * came from, never the data itself (no health data or token lands in VS Code's storage), so the
 * restored panel reads it again — fresh from the server, or from the file.
 */
export type Restore =
  /** a search result: the search runs again */
  | (FromServer & { kind: 'search'; title: string; search: SearchQuery })
  /** a Bundle page without a search, read again at its own `self` link */
  | (FromServer & { kind: 'page'; title: string; url: string })
  /** a workspace file (a Bundle, a resource or NDJSON in the bundle viewer or resource panel) */
  | { kind: 'file'; uri: string; version?: FhirVersion }
  /** one resource read from the server */
  | (FromServer & { kind: 'resource'; type: string; id: string })
  /** a patient's record: `$everything` is read again */
  | (FromServer & { kind: 'record'; patientId?: string })
  /** a patient's record built from an export folder */
  | { kind: 'exportRecord'; folder: string; patientId: string; version?: FhirVersion }
  /** a user's Connect page: a fresh token, the systems listed again */
  | { kind: 'connect'; env: string; user: RestoreUser }
  /** the health system search (the webview keeps its query) */
  | { kind: 'healthSystems'; env: string }
  /** an NDJSON file in the any-size viewer */
  | { kind: 'ndjson'; path: string; version?: FhirVersion }
  /** an export's summary charts */
  | { kind: 'exportSummary'; folder: string }
  /**
   * An HTML attachment of a resource, read again from its source: the server (`env`), or the
   * workspace file the resource is in (`file`).
   */
  | { kind: 'attachment'; env?: string; file?: string; version: FhirVersion; user?: RestoreUser; type: string; id: string; path: string; title: string };

export type RestoreKind = Restore['kind'];

const ID = /^[A-Za-z0-9\-.]{1,64}$/;
const TYPE = /^[A-Z][A-Za-z0-9]{0,63}$/;
const str = (v: unknown, max = 2000): v is string => typeof v === 'string' && v.length > 0 && v.length <= max;
const opt = <T>(v: unknown, check: (v: unknown) => v is T): v is T | undefined => v === undefined || check(v);

function isUser(v: unknown): v is RestoreUser {
  if (typeof v !== 'object' || v === null) return false;
  const u = v as Record<string, unknown>;
  return str(u.oneupUserId, 200) && str(u.appUserId, 500);
}

function isSearch(v: unknown): v is SearchQuery {
  if (typeof v !== 'object' || v === null) return false;
  const q = v as Record<string, unknown>;
  return typeof q.type === 'string' && TYPE.test(q.type) && Array.isArray(q.params) && q.params.length <= 100
    && q.params.every((p) => Array.isArray(p) && p.length === 2 && str(p[0], 200) && typeof p[1] === 'string' && p[1].length <= 4000);
}

const isAbsolutePath = (v: unknown): v is string => str(v, 4096) && (v.startsWith('/') || /^[A-Za-z]:[\\/]/.test(v) || v.startsWith('\\\\'));
const isUri = (v: unknown): v is string => str(v, 4096) && /^[a-z][a-z0-9+.-]*:/i.test(v);
const isHttpUrl = (v: unknown): v is string => str(v, 8000) && /^https?:\/\//i.test(v);
const isVersion = (v: unknown): v is FhirVersion => isFhirVersion(v);

function fromServer(o: Record<string, unknown>): boolean {
  return str(o.env, 200) && isVersion(o.version) && opt(o.user, isUser);
}

/**
 * The descriptor a webview saved, checked field by field (the state comes back from storage and
 * from the webview: anything malformed is refused, and the panel says it cannot be restored).
 */
export function parseRestore(raw: unknown): Restore | undefined {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) return undefined;
  const o = raw as Record<string, unknown>;
  const ok = ((): boolean => {
    switch (o.kind) {
      case 'search': return fromServer(o) && str(o.title, 1000) && isSearch(o.search);
      case 'page': return fromServer(o) && str(o.title, 1000) && isHttpUrl(o.url);
      case 'file': return isUri(o.uri) && opt(o.version, isVersion);
      case 'resource': return fromServer(o) && typeof o.type === 'string' && TYPE.test(o.type) && typeof o.id === 'string' && ID.test(o.id);
      case 'record': return fromServer(o) && (o.patientId === undefined || (typeof o.patientId === 'string' && ID.test(o.patientId)));
      case 'exportRecord': return isAbsolutePath(o.folder) && typeof o.patientId === 'string' && ID.test(o.patientId) && opt(o.version, isVersion);
      case 'connect': return str(o.env, 200) && isUser(o.user);
      case 'healthSystems': return str(o.env, 200);
      case 'ndjson': return isAbsolutePath(o.path) && opt(o.version, isVersion);
      case 'exportSummary': return isAbsolutePath(o.folder);
      case 'attachment':
        return (o.env === undefined ? isUri(o.file) : str(o.env, 200) && o.file === undefined) && isVersion(o.version) && opt(o.user, isUser)
          && typeof o.type === 'string' && TYPE.test(o.type) && typeof o.id === 'string' && ID.test(o.id) && str(o.path, 500) && str(o.title, 1000);
      default: return false;
    }
  })();
  return ok ? (o as unknown as Restore) : undefined;
}

/** The environment a descriptor reads from, when it reads from one. */
export function environmentOf(r: Restore): string | undefined {
  return 'env' in r ? r.env : undefined;
}

/** The identifiers of a user a descriptor keeps (nothing else the host knows about them). */
export function restoreUser(u: RestoreUser | undefined): RestoreUser | undefined {
  return u ? { oneupUserId: u.oneupUserId, appUserId: u.appUserId } : undefined;
}
