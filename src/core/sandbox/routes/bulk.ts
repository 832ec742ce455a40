// Bulk Data export: kick-off at system, Patient or Group level (under /bulk-data/{version}, 1up's,
// or any FHIR base of the sandbox), answered directly with the manifest (1upHealth's reference)
// or with 202 + Content-Location to poll (the FHIR Bulk Data spec); status, cancel, and file
// downloads with Range and gzip. Files are read from disk in a stream, never whole.
import type { FhirVersion } from '../../environments';
import { caller } from '../auth/caller';
import type { Caller } from '../auth/caller';
import { serveFile } from '../bulk/files';
import type { ExportJob } from '../bulk/jobs';
import { ownerOf } from '../bulk/jobs';
import { exportPlan, type Level } from '../bulk/levels';
import { manifestOf, readFileToken } from '../bulk/manifest';
import { versionType } from '../fhir/convert';
import { dateRange } from '../fhir/dates';
import { outcome } from '../fhir/outcome';
import type { Ctx } from '../http/context';
import { HttpError } from '../http/context';
import { send, sendFhir, sendJson } from '../http/reply';
import type { Router } from '../http/router';
import type { ExportRetryAfterStyle } from '../options';
import type { Services } from '../services';
import { patientTypes } from './everything';
import { checkType, FHIR_PREFIX } from './fhirCommon';

const VERSION = '(dstu2|stu3|r4)';
const JOB = '([0-9a-f-]{36})';
const LEVEL = String.raw`(/Patient|/Group/([A-Za-z0-9\-.]{1,64}))?/\$export`;
const NDJSON_FORMATS = new Set(['application/fhir+ndjson', 'application/ndjson', 'ndjson']);
const MAX_RUNNING = 3;

function statusUrl(s: Services, job: ExportJob): string {
  return `${s.url}/bulk-data/${job.version}/$export-status/${job.id}`;
}

function manifest(s: Services, job: ExportJob): Record<string, unknown> {
  return manifestOf(s.url, s.exports.key, job, s.options.exportManifest, job.expiresAt ?? Date.now());
}

/** A Retry-After `seconds` from now, written as the sandbox is set to (a delay, an HTTP date, an epoch time). */
export function retryAfterValue(style: ExportRetryAfterStyle, seconds: number, now = Date.now()): string {
  const at = now + seconds * 1000;
  switch (style) {
    case 'http-date': return new Date(Math.ceil(at / 1000) * 1000).toUTCString();
    case 'epoch-seconds': return String(Math.ceil(at / 1000));
    case 'epoch-ms': return String(Math.ceil(at));
    default: return String(seconds);
  }
}

/** The job, if it exists and belongs to the caller (someone else's answers 404, revealing nothing). */
function ownJob(s: Services, who: Caller, id: string): ExportJob {
  const job = s.exports.get(id);
  if (!job || ownerOf(job.scope) !== ownerOf(who.scope)) throw new HttpError(404, `no export ${id}`);
  return job;
}

function exportTypes(s: Services, version: FhirVersion, raw: string | null, level: Level): string[] {
  if (raw !== null) {
    const types = raw.split(',').map((t) => t.trim()).filter(Boolean);
    if (!types.length) throw new HttpError(400, '_type is empty');
    for (const t of types) {
      try {
        checkType(version, t);
      } catch {
        throw new HttpError(400, `_type names an unknown resource type: ${t}`, {}, 'not-supported');
      }
    }
    return [...new Set(types)];
  }
  // a Patient or Group export holds the patients' compartments; the system one everything
  if (level.kind !== 'system') return patientTypes(s, version);
  const shared = ['Organization', 'Practitioner'].map((t) => versionType(version, t)).filter((t): t is string => !!t);
  return [...new Set([...patientTypes(s, version), ...shared])];
}

async function kickOff(s: Services, ctx: Ctx, version: FhirVersion, level: Level): Promise<void> {
  const who = caller(s, ctx);
  const format = ctx.query.get('_outputFormat');
  if (format !== null && !NDJSON_FORMATS.has(format)) throw new HttpError(400, `_outputFormat ${format} is not supported: use application/fhir+ndjson`);
  const types = exportTypes(s, version, ctx.query.get('_type'), level);
  const sinceRaw = ctx.query.get('_since');
  const since = sinceRaw === null ? undefined : dateRange(sinceRaw)?.[0];
  if (sinceRaw !== null && since === undefined) throw new HttpError(400, `_since must be a FHIR instant, got "${sinceRaw}"`);
  const strict = /handling\s*=\s*strict/i.test(ctx.header('prefer') ?? '');
  const plan = exportPlan(s.view, who.scope, version, level, since, ctx.query.getAll('_typeFilter'), strict);
  if (s.exports.running(ownerOf(who.scope)) >= MAX_RUNNING) {
    throw new HttpError(429, `${MAX_RUNNING} exports are already running: wait for one to finish`, { 'Retry-After': '5' }, 'throttled');
  }
  const style = (ctx.header('x-sandbox-export-style') ?? s.options.exportStyle).trim().toLowerCase();
  if (style !== 'direct' && style !== 'async') throw new HttpError(400, 'x-sandbox-export-style must be direct or async');
  const job = s.exports.start({ version, scope: who.scope, request: ctx.url.toString(), types, since, plan });
  if (style === 'async') {
    return sendFhir(ctx, 202, outcome('information', 'informational', `export ${job.id} started: poll the Content-Location`),
      { 'Content-Location': statusUrl(s, job) });
  }
  await job.done;
  if (job.status !== 'done') throw new HttpError(500, `export failed: ${job.error ?? job.status}`);
  // production answers the manifest alone; the spec's shape also says where the job lives
  sendJson(ctx, 200, manifest(s, job), s.options.exportManifest === 'spec' ? { 'Content-Location': statusUrl(s, job) } : {});
}

function status(s: Services, ctx: Ctx, id: string): Promise<void> | void {
  const who = caller(s, ctx);
  const job = ownJob(s, who, id);
  if (ctx.method === 'DELETE') {
    return s.exports.remove(job).then(() => sendFhir(ctx, 202, outcome('information', 'informational', `export ${id} cancelled and its files deleted`)));
  }
  if (job.status === 'running') {
    const pct = Math.floor(job.progress * 100);
    const retryAfter = retryAfterValue(s.options.exportRetryAfter, s.options.exportRetryAfterSeconds);
    return send(ctx, 202, { 'X-Progress': `${pct}% written`, 'Retry-After': retryAfter, 'Content-Type': 'text/plain; charset=utf-8' }, '');
  }
  if (job.status === 'failed') throw new HttpError(500, `export failed: ${job.error ?? 'unknown error'}`);
  if (s.exports.expired(job)) throw new HttpError(410, `export ${id} has expired: start a new one`, {}, 'expired');
  sendJson(ctx, 200, manifest(s, job), { Expires: new Date(job.expiresAt!).toUTCString() });
}

async function file(s: Services, ctx: Ctx, id: string, name: string): Promise<void> {
  const who = caller(s, ctx);
  const job = s.exports.get(id);
  if (!job) throw new HttpError(404, `no export ${id}`);
  if (ownerOf(job.scope) !== ownerOf(who.scope)) throw new HttpError(403, 'this export belongs to another user');
  if (s.exports.expired(job)) throw new HttpError(410, `the files of export ${id} have expired: start a new export`, {}, 'expired');
  const f = job.files.find((x) => x.name === name);
  if (!f || job.status !== 'done') throw new HttpError(404, `export ${id} has no file ${name}`);
  await serveFile(ctx, job, f, s.options.exportGzip);
}

/** A production-shaped file URL: the token says which job and file; the caller must still be the job's owner. */
function tokenFile(s: Services, ctx: Ctx, version: string, type: string, token: string): Promise<void> {
  const claims = readFileToken(s.exports.key, token);
  if (claims === 'expired') throw new HttpError(410, 'this file link has expired: start a new export', {}, 'expired');
  const job = claims ? s.exports.get(claims.job) : undefined;
  const f = job?.files.find((x) => x.name === claims?.file);
  if (!claims || !job || job.version !== version || f?.type !== type) throw new HttpError(404, 'no such export file');
  return file(s, ctx, claims.job, claims.file);
}

function levelOf(m: RegExpExecArray, at: number): Level {
  const part = m[at];
  if (!part) return { kind: 'system' };
  return part === '/Patient' ? { kind: 'patient' } : { kind: 'group', id: m[at + 1] };
}

export function bulkRoutes(router: Router, s: Services): void {
  // a kick-off starts an export: HEAD must not (405)
  router.add('GET', new RegExp(`^/bulk-data/${VERSION}${LEVEL}$`), (ctx, m) => kickOff(s, ctx, m[1] as FhirVersion, levelOf(m, 2)), { head: false });
  // the FHIR base itself, as other Bulk Data servers have it
  router.add('GET', new RegExp(`${FHIR_PREFIX}${LEVEL}$`), (ctx, m) => kickOff(s, ctx, m[2] as FhirVersion, levelOf(m, 3)), { head: false });
  router.add(['GET', 'DELETE'], new RegExp(`^/bulk-data/${VERSION}/\\$export-status/${JOB}$`), (ctx, m) => status(s, ctx, m[2]));
  router.add('GET', new RegExp(`^/bulk-data/${VERSION}/files/${JOB}/([A-Za-z]+(?:-deleted|-error)?-\\d+\\.ndjson)$`), (ctx, m) => file(s, ctx, m[2], m[3]));
  router.add('GET', new RegExp(`^/bulk-data/${VERSION}/\\$export/([A-Za-z]+)/([A-Za-z0-9_-]+\\.[A-Za-z0-9_-]+\\.[A-Za-z0-9_-]+)\\.ndjson$`),
    (ctx, m) => tokenFile(s, ctx, m[1], m[2], m[3]));
}
