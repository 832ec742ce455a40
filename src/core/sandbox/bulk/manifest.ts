// The manifest an export answers with, in production's shape (1upHealth's: no `count`, no empty
// `error`, files at `{bulk}/{version}/$export/{Type}/{signed token}.ndjson`) or the Bulk Data
// spec's (`count`, `error: []`, files under `/files/{job}/`). The file tokens look like a JWT
// (HS256 over the job, the file and an expiry) and are checked when the file is asked for.
import { createHmac, timingSafeEqual } from 'node:crypto';
import type { ExportJob } from './jobs';
import type { ExportFile } from './writer';

export type ManifestShape = 'production' | 'spec';

const HEADER = b64(JSON.stringify({ alg: 'HS256', typ: 'JWT' }));

function b64(text: string | Buffer): string {
  return Buffer.from(text).toString('base64url');
}

function sign(key: Buffer, data: string): string {
  return createHmac('sha256', key).update(data).digest('base64url');
}

/** A signed token naming one file of one job, valid until `exp` (epoch seconds). */
export function fileToken(key: Buffer, job: string, file: string, exp: number): string {
  const body = `${HEADER}.${b64(JSON.stringify({ job, file, exp }))}`;
  return `${body}.${sign(key, body)}`;
}

/** The job and file a token names; `expired` past its time; undefined when it is not one of ours. */
export function readFileToken(key: Buffer, token: string, now = Date.now()): { job: string; file: string } | 'expired' | undefined {
  const parts = token.split('.');
  if (parts.length !== 3 || parts[0] !== HEADER) return undefined;
  const want = Buffer.from(sign(key, `${parts[0]}.${parts[1]}`));
  const got = Buffer.from(parts[2]);
  if (want.length !== got.length || !timingSafeEqual(want, got)) return undefined;
  let claims: { job?: unknown; file?: unknown; exp?: unknown };
  try {
    claims = JSON.parse(Buffer.from(parts[1], 'base64url').toString('utf8')) as typeof claims;
  } catch {
    return undefined;
  }
  if (typeof claims.job !== 'string' || typeof claims.file !== 'string' || typeof claims.exp !== 'number') return undefined;
  if (claims.exp * 1000 <= now) return 'expired';
  return { job: claims.job, file: claims.file };
}

/** Where a file of a job is downloaded from, in the manifest's shape. */
export function fileUrl(base: string, key: Buffer, job: ExportJob, f: ExportFile, shape: ManifestShape, expiresAt: number): string {
  if (shape === 'spec') return `${base}/bulk-data/${job.version}/files/${job.id}/${f.name}`;
  return `${base}/bulk-data/${job.version}/$export/${f.type}/${fileToken(key, job.id, f.name, Math.ceil(expiresAt / 1000))}.ndjson`;
}

/** The manifest of a finished job. */
export function manifestOf(base: string, key: Buffer, job: ExportJob, shape: ManifestShape, expiresAt: number): Record<string, unknown> {
  const entry = (f: ExportFile) => (shape === 'spec'
    ? { type: f.type, url: fileUrl(base, key, job, f, shape, expiresAt), count: f.count }
    : { type: f.type, url: fileUrl(base, key, job, f, shape, expiresAt) });
  const of = (kind: ExportFile['kind']) => job.files.filter((f) => f.kind === kind).map(entry);
  const error = of('error');
  const deleted = of('deleted');
  return {
    transactionTime: job.transactionTime,
    request: job.request,
    requiresAccessToken: true,
    output: of('output'),
    // production leaves out what is empty; the spec always lists `error`
    ...(shape === 'spec' || error.length ? { error } : {}),
    ...(deleted.length || (shape === 'spec' && job.since !== undefined) ? { deleted } : {}),
  };
}
