import type { Logger } from '../log';
import type { FaultRule } from './http/faults';

/** How to run a sandbox; everything is optional. */
export interface SandboxOptions {
  /** 0/undefined = any free port; always binds 127.0.0.1 */
  port?: number;
  /**
   * Another name of 127.0.0.1 (a hosts-file alias) the sandbox answers to and puts in the URLs it
   * hands out; it still binds 127.0.0.1 only. For tests of proxies, which never see 127.0.0.1.
   */
  hostname?: string;
  /** generator seed (default 1) */
  seed?: number;
  /** generated patients in addition to the Synthea demo set (default 20) */
  patients?: number;
  /** app users pre-created (default: one per demo patient), app_user_id "demo-user-1", … */
  users?: number;
  /** folder for export files (a temporary folder, removed on close, when absent) */
  dataDir?: string;
  /** where the shipped Synthea data lives (default: media/sandbox under the package root) */
  fixturesDir?: string;
  /** access token lifetime (default 7200) */
  tokenLifetimeSeconds?: number;
  /** authorization code lifetime (default 7200) */
  codeLifetimeSeconds?: number;
  /** refresh token lifetime (default 30 days) */
  refreshTokenLifetimeSeconds?: number;
  /** user-management calls per app per rolling hour (default 300; 0 = unlimited) */
  rateLimitPerHour?: number;
  /** default answer style of $export; the header `x-sandbox-export-style` picks per request */
  exportStyle?: 'direct' | 'async';
  /** split an export's type into files of at most this many resources (default 100,000) */
  exportMaxResourcesPerFile?: number;
  /** how long export files stay downloadable before they answer 410 (default 3600) */
  exportRetentionSeconds?: number;
  /** Retry-After the export status answers while running (default 1) */
  exportRetryAfterSeconds?: number;
  /**
   * How that Retry-After is written: `delay` (seconds, the default), `http-date`, or an absolute
   * `epoch-seconds` / `epoch-ms` time as some servers send
   */
  exportRetryAfter?: ExportRetryAfterStyle;
  /**
   * Manifest shape: `production` (1upHealth's: no `count`, no empty `error`, file URLs
   * `{bulk}/{version}/$export/{Type}/{signed token}.ndjson`, no Content-Location with a direct 200)
   * or `spec` (the Bulk Data spec's: `count`, `error: []`, Content-Location); default: as `mode`
   */
  exportManifest?: 'production' | 'spec';
  /** gzip export files for clients that send `Accept-Encoding: gzip` (default true) */
  exportGzip?: boolean;
  /** serve HTTPS with this certificate and key (PEM) instead of plain HTTP */
  tls?: { cert: string | Buffer; key: string | Buffer };
  /** default: one demo app */
  apps?: { clientId: string; clientSecret: string; name?: string }[];
  /** one line per request: "GET /path → 200 in 3 ms" */
  logger?: Logger;
  /** faults on demand */
  faults?: FaultRule[];
  /**
   * `production` (default): answers shaped as production 1upHealth's (paging with `_afterid`,
   * no links on a single page). `spec`: the FHIR specification's style (self/first/previous/next
   * links with an opaque cursor).
   */
  mode?: SandboxMode;
  /** host:port names besides 127.0.0.1 and localhost that requests may carry (e.g. a forwarded port) */
  allowedHosts?: string[];
  /** time for a request's headers to arrive (default 15,000 ms) */
  headersTimeoutMs?: number;
  /** time for a whole request, headers and body, to arrive (default 60,000 ms) */
  requestTimeoutMs?: number;
  /** how long an idle keep-alive connection stays open (default 10,000 ms) */
  keepAliveTimeoutMs?: number;
  /** open connections at most; more are closed at once (default 1,024) */
  maxConnections?: number;
  /** resources created through the API kept at most (default 10,000) */
  maxCreatedResources?: number;
  /** bytes of created resources kept at most (default 64 MB) */
  maxCreatedBytes?: number;
}

export type SandboxMode = 'production' | 'spec';

export const EXPORT_RETRY_AFTER_STYLES = ['delay', 'http-date', 'epoch-seconds', 'epoch-ms'] as const;
export type ExportRetryAfterStyle = (typeof EXPORT_RETRY_AFTER_STYLES)[number];

export const DEMO_CLIENT_ID = 'sandbox-client-id';
export const DEMO_CLIENT_SECRET = 'sandbox-client-secret';

export interface ResolvedOptions {
  port: number;
  hostname: string | undefined;
  seed: number;
  patients: number;
  users: number | undefined;
  tokenLifetimeSeconds: number;
  codeLifetimeSeconds: number;
  refreshTokenLifetimeSeconds: number;
  rateLimitPerHour: number;
  exportStyle: 'direct' | 'async';
  exportMaxResourcesPerFile: number;
  exportRetentionSeconds: number;
  exportRetryAfterSeconds: number;
  exportRetryAfter: ExportRetryAfterStyle;
  exportManifest: 'production' | 'spec';
  exportGzip: boolean;
  apps: { clientId: string; clientSecret: string; name: string }[];
  mode: SandboxMode;
  allowedHosts: string[];
  headersTimeoutMs: number;
  requestTimeoutMs: number;
  keepAliveTimeoutMs: number;
  maxConnections: number;
  maxCreatedResources: number;
  maxCreatedBytes: number;
}

function count(name: string, v: number | undefined, fallback: number, min = 0): number {
  if (v === undefined) return fallback;
  if (typeof v !== 'number' || !Number.isFinite(v) || v < min) throw new RangeError(`${name} must be a number >= ${min}, got ${String(v)}`);
  return v;
}

function hostnameOption(v: string | undefined): string | undefined {
  if (v === undefined) return undefined;
  if (typeof v !== 'string' || !/^[a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)*$/i.test(v)) throw new RangeError(`hostname must be a DNS name, got ${String(v)}`);
  return v.toLowerCase();
}

export function resolveOptions(o: SandboxOptions): ResolvedOptions {
  const apps = (o.apps?.length ? o.apps : [{ clientId: DEMO_CLIENT_ID, clientSecret: DEMO_CLIENT_SECRET, name: 'Sandbox demo app' }])
    .map((a, i) => ({ clientId: a.clientId, clientSecret: a.clientSecret, name: a.name ?? `App ${i + 1}` }));
  for (const a of apps) if (!a.clientId || !a.clientSecret) throw new RangeError('every app needs a clientId and a clientSecret');
  if (o.exportStyle !== undefined && o.exportStyle !== 'direct' && o.exportStyle !== 'async') {
    throw new RangeError(`exportStyle must be "direct" or "async", got ${String(o.exportStyle)}`);
  }
  if (o.exportRetryAfter !== undefined && !EXPORT_RETRY_AFTER_STYLES.includes(o.exportRetryAfter)) {
    throw new RangeError(`exportRetryAfter must be one of ${EXPORT_RETRY_AFTER_STYLES.join(', ')}, got ${String(o.exportRetryAfter)}`);
  }
  if (o.exportManifest !== undefined && o.exportManifest !== 'production' && o.exportManifest !== 'spec') {
    throw new RangeError(`exportManifest must be "production" or "spec", got ${String(o.exportManifest)}`);
  }
  if (o.mode !== undefined && o.mode !== 'production' && o.mode !== 'spec') {
    throw new RangeError(`mode must be "production" or "spec", got ${String(o.mode)}`);
  }
  return {
    port: Math.floor(count('port', o.port, 0)),
    hostname: hostnameOption(o.hostname),
    seed: Math.floor(count('seed', o.seed, 1)),
    patients: Math.floor(count('patients', o.patients, 20)),
    users: o.users === undefined ? undefined : Math.floor(count('users', o.users, 0)),
    tokenLifetimeSeconds: count('tokenLifetimeSeconds', o.tokenLifetimeSeconds, 7200, 0.001),
    codeLifetimeSeconds: count('codeLifetimeSeconds', o.codeLifetimeSeconds, 7200, 0.001),
    refreshTokenLifetimeSeconds: count('refreshTokenLifetimeSeconds', o.refreshTokenLifetimeSeconds, 30 * 86400, 0.001),
    rateLimitPerHour: Math.floor(count('rateLimitPerHour', o.rateLimitPerHour, 300)),
    exportStyle: o.exportStyle ?? 'direct',
    exportMaxResourcesPerFile: Math.floor(count('exportMaxResourcesPerFile', o.exportMaxResourcesPerFile, 100_000, 1)),
    exportRetentionSeconds: count('exportRetentionSeconds', o.exportRetentionSeconds, 3600, 0.001),
    exportRetryAfterSeconds: Math.ceil(count('exportRetryAfterSeconds', o.exportRetryAfterSeconds, 1, 0)),
    exportRetryAfter: o.exportRetryAfter ?? 'delay',
    // the manifest follows the sandbox's mode unless it is given on its own
    exportManifest: o.exportManifest ?? o.mode ?? 'production',
    exportGzip: o.exportGzip ?? true,
    apps,
    mode: o.mode ?? 'production',
    allowedHosts: [...(o.allowedHosts ?? [])],
    headersTimeoutMs: count('headersTimeoutMs', o.headersTimeoutMs, 15_000, 1),
    requestTimeoutMs: count('requestTimeoutMs', o.requestTimeoutMs, 60_000, 1),
    keepAliveTimeoutMs: count('keepAliveTimeoutMs', o.keepAliveTimeoutMs, 10_000, 1),
    maxConnections: Math.floor(count('maxConnections', o.maxConnections, 1024, 1)),
    maxCreatedResources: Math.floor(count('maxCreatedResources', o.maxCreatedResources, 10_000, 1)),
    maxCreatedBytes: Math.floor(count('maxCreatedBytes', o.maxCreatedBytes, 64 * 1024 * 1024, 1)),
  };
}
