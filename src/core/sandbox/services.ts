import type { Logger } from '../log';
import type { Apps } from './auth/apps';
import type { RateLimiter } from './auth/rateLimit';
import type { Tokens } from './auth/tokens';
import type { ExportJobs } from './bulk/jobs';
import type { HealthSystem } from './connect/systems';
import type { Dataset } from './data/dataset';
import type { Overlay } from './data/overlay';
import type { SearchEngine } from './data/search';
import type { DataView } from './data/view';
import type { ResolvedOptions } from './options';
import type { Users } from './users';

/** One request as the log saw it; secret values (client_secret, tokens, codes, Authorization) are masked. */
export interface CallRecord {
  method: string;
  /** Decoded path without query. */
  path: string;
  status: number;
  ms: number;
  at: string;
  /** Query parameters in the order sent. */
  query: [string, string][];
  /** Request headers by lower-case name (an Authorization keeps its scheme: `Bearer ••••`). */
  headers: Record<string, string>;
  /** Fields of a form, multipart or JSON-object body (JSON values are not kept); absent without one. */
  body?: { kind: BodyKind; fields: [string, string][] };
}

export type BodyKind = 'form' | 'multipart' | 'json';

/** Everything the route handlers share. */
export interface Services {
  /** "http://127.0.0.1:<port>", set once listening */
  url: string;
  options: ResolvedOptions;
  apps: Apps;
  users: Users;
  tokens: Tokens;
  rateLimit: RateLimiter;
  dataset: Dataset;
  overlay: Overlay;
  view: DataView;
  search: SearchEngine;
  exports: ExportJobs;
  systems: HealthSystem[];
  logger: Logger;
  calls: CallRecord[];
}
