// Bulk Data export: kick-off answered directly with the manifest (1upHealth's reference) or
// 202 + Content-Location to poll (the FHIR Bulk Data spec); status, cancel, and file downloads
// with Range. Files are read from disk in a stream, never whole.
import { createReadStream } from 'node:fs';
import type { FhirVersion } from '../../environments';
import { caller } from '../auth/caller';
import type { Caller } from '../auth/caller';
import type { ExportJob } from '../bulk/jobs';
import { ownerOf } from '../bulk/jobs';
import { parseRange } from '../bulk/range';
import { versionType } from '../fhir/convert';
import { dateRange } from '../fhir/dates';
import { outcome } from '../fhir/outcome';
import type { Ctx } from '../http/context';
import { HttpError } from '../http/context';
import { send, sendFhir, sendJson, sendStream } from '../http/reply';
import type { Router } from '../http/router';
import type { Services } from '../services';
import { patientTypes } from './everything';
import { checkType } from './fhirCommon';

const VERSION = '(dstu2|stu3|r4)';
const JOB = '([0-9a-f-]{36})';
const NDJSON_FORMATS = new Set(['application/fhir+ndjson', 'application/ndjson', 'ndjson']);
const MAX_RUNNING = 3;

function statusUrl(s: Services, job: ExportJob): string {
  return `${s.url}/bulk-data/${job.version}/$export-status/${job.id}`;
}

function manifest(s: Services, job: ExportJob): Record<string, unknown> {
  return {
    transactionTime: job.transactionTime,
    request: job.request,
    requiresAccessToken: true,
    output: job.files.map((f) => ({ type: f.type, url: `${s.url}/bulk-data/${job.version}/files/${job.id}/${f.name}`, count: f.count })),
    error: [],
  };
}

/** The job, if it exists and belongs to the caller (someone else's answers 404, revealing nothing). */
function ownJob(s: Services, who: Caller, id: string): ExportJob {
  const job = s.exports.get(id);
  if (!job || ownerOf(job.scope) !== ownerOf(who.scope)) throw new HttpError(404, `no export ${id}`);
  return job;
}

function exportTypes(s: Services, version: FhirVersion, raw: string | null): string[] {
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
  const shared = ['Organization', 'Practitioner'].map((t) => versionType(version, t)).filter((t): t is string => !!t);
  return [...new Set([...patientTypes(s, version), ...shared])];
}

async function kickOff(s: Services, ctx: Ctx, version: FhirVersion): Promise<void> {
  const who = caller(s, ctx);
  const format = ctx.query.get('_outputFormat');
  if (format !== null && !NDJSON_FORMATS.has(format)) throw new HttpError(400, `_outputFormat ${format} is not supported: use application/fhir+ndjson`);
  const types = exportTypes(s, version, ctx.query.get('_type'));
  const sinceRaw = ctx.query.get('_since');
  const since = sinceRaw === null ? undefined : dateRange(sinceRaw)?.[0];
  if (sinceRaw !== null && since === undefined) throw new HttpError(400, `_since must be a FHIR instant, got "${sinceRaw}"`);
  if (s.exports.running(ownerOf(who.scope)) >= MAX_RUNNING) {
    throw new HttpError(429, `${MAX_RUNNING} exports are already running: wait for one to finish`, { 'Retry-After': '5' }, 'throttled');
  }
  const style = (ctx.header('x-sandbox-export-style') ?? s.options.exportStyle).trim().toLowerCase();
  if (style !== 'direct' && style !== 'async') throw new HttpError(400, 'x-sandbox-export-style must be direct or async');
  const job = s.exports.start({ version, scope: who.scope, request: ctx.url.toString(), types, since });
  if (style === 'async') {
    return sendFhir(ctx, 202, outcome('information', 'informational', `export ${job.id} started: poll the Content-Location`),
      { 'Content-Location': statusUrl(s, job) });
  }
  await job.done;
  if (job.status !== 'done') throw new HttpError(500, `export failed: ${job.error ?? job.status}`);
  sendJson(ctx, 200, manifest(s, job), { 'Content-Location': statusUrl(s, job) });
}

function status(s: Services, ctx: Ctx, id: string): Promise<void> | void {
  const who = caller(s, ctx);
  const job = ownJob(s, who, id);
  if (ctx.method === 'DELETE') {
    return s.exports.remove(job).then(() => sendFhir(ctx, 202, outcome('information', 'informational', `export ${id} cancelled and its files deleted`)));
  }
  if (job.status === 'running') {
    const pct = Math.floor(job.progress * 100);
    return send(ctx, 202, { 'X-Progress': `${pct}% written`, 'Retry-After': String(s.options.exportRetryAfterSeconds), 'Content-Type': 'text/plain; charset=utf-8' }, '');
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
  const etag = `"${job.id}-${f.name}-${f.bytes}"`;
  const ifRange = ctx.header('if-range');
  const range = ifRange && ifRange !== etag ? { kind: 'full' as const } : parseRange(ctx.header('range'), f.bytes);
  const headers = { 'Content-Type': 'application/fhir+ndjson', 'Accept-Ranges': 'bytes', ETag: etag };
  if (range.kind === 'unsatisfiable') {
    return send(ctx, 416, { ...headers, 'Content-Range': `bytes */${f.bytes}`, 'Content-Type': 'text/plain; charset=utf-8' }, 'range not satisfiable\n');
  }
  if (range.kind === 'partial') {
    const length = range.end - range.start + 1;
    return sendStream(ctx, 206, { ...headers, 'Content-Range': `bytes ${range.start}-${range.end}/${f.bytes}` },
      createReadStream(f.path, { start: range.start, end: range.end, highWaterMark: 256 * 1024 }), length);
  }
  await sendStream(ctx, 200, headers, createReadStream(f.path, { highWaterMark: 256 * 1024 }), f.bytes);
}

export function bulkRoutes(router: Router, s: Services): void {
  // a kick-off starts an export: HEAD must not (405)
  router.add('GET', new RegExp(`^/bulk-data/${VERSION}(?:/Patient|/Group/[^/]+)?/\\$export$`), (ctx, m) => kickOff(s, ctx, m[1] as FhirVersion), { head: false });
  router.add(['GET', 'DELETE'], new RegExp(`^/bulk-data/${VERSION}/\\$export-status/${JOB}$`), (ctx, m) => status(s, ctx, m[2]));
  router.add('GET', new RegExp(`^/bulk-data/${VERSION}/files/${JOB}/([A-Za-z]+-\\d+\\.ndjson)$`), (ctx, m) => file(s, ctx, m[2], m[3]));
}
