import * as assert from 'node:assert/strict';
import { mkdir, mkdtemp, readFile, rm } from 'node:fs/promises';
import type { ServerResponse } from 'node:http';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { gzipSync } from 'node:zlib';
import { createOneUpClient, type OneUpClient } from '../../../src/core/api';
import { type EngineOptions, startBulkExport } from '../../../src/core/bulkExport';
import type { Environment } from '../../../src/core/environments';
import { type FileServer, startFileServer } from './fileServer';
import { walk } from './helpers';

const CREDS = { clientId: 'hardening-client', clientSecret: 'hardening-secret-123' };
const patient = (id: string) => JSON.stringify({ resourceType: 'Patient', id });
const ndjson = (...lines: string[]) => `${lines.join('\n')}\n`;

/** A body that never ends: a Patient line after another for as long as the client reads. */
function endless(res: ServerResponse): void {
  res.writeHead(200, { 'content-type': 'application/fhir+ndjson' });
  const line = Buffer.from(`${patient('x'.repeat(200))}\n`.repeat(500));
  const more = () => {
    while (!res.destroyed) if (!res.write(line)) return void res.once('drain', more);
  };
  res.on('error', () => undefined);
  more();
}

/** A body at one byte every 100 ms, forever. */
function trickle(res: ServerResponse): void {
  res.writeHead(200, { 'content-type': 'application/fhir+ndjson' });
  const text = `${patient('slow')}\n`;
  let i = 0;
  const timer = setInterval(() => {
    if (res.destroyed) return clearInterval(timer);
    res.write(text[i++ % text.length]);
  }, 100);
  res.on('close', () => clearInterval(timer));
}

describe('bulk export: files without bounds', () => {
  let server: FileServer;
  let client: OneUpClient;
  let env: Environment;
  let root: string;
  let workspace: string;

  before(async () => {
    server = await startFileServer();
    // the bulk data URL is a plain FHIR base, without 1up's /{version}
    env = {
      name: 'Hardening', apiUrl: server.url, fhirUrl: `${server.url}/fhir`, tokenUrl: `${server.url}/token`, bulkDataUrl: `${server.url}/fhir`, fhirVersion: 'r4',
    };
    client = createOneUpClient({ environment: env, credentials: async () => CREDS, userAgent: 'oneup-export-test', retryBaseMs: 5, maxTries: 3 });
  });
  beforeEach(async () => {
    root = await mkdtemp(path.join(tmpdir(), 'oneup-export-hardening-'));
    workspace = path.join(root, 'workspace');
    await mkdir(workspace);
    server.routes.clear();
    server.seen.length = 0;
  });
  afterEach(() => rm(root, { recursive: true, force: true }));
  after(async () => {
    await client.dispose();
    await server.close();
  });

  const serve = (files: { type?: string; url: string; count?: number }[]) => server.routes.set('/fhir/$export', {
    json: { transactionTime: '2024-01-01T00:00:00Z', request: 'x', requiresAccessToken: false, output: files.map((f) => ({ type: 'Patient', ...f })) },
  });
  const run = (extra: Partial<EngineOptions> = {}) => startBulkExport(workspace, { version: 'r4', scope: { kind: 'app' } },
    { transport: client.transport, retryBaseMs: 5, minPollMs: 10, maxTries: 3, ...extra });
  const tries = (p: string) => server.seen.filter((s) => s.path === p).length;

  it('refuses a manifest over the size limit with the URL and the setting, downloading nothing', async () => {
    // a manifest of 30,000 entries (~2.5 MB) against a 1 MB limit: the client's own cap, not a file's
    const small = createOneUpClient({ environment: env, credentials: async () => CREDS, userAgent: 'oneup-export-test', retryBaseMs: 5, maxTries: 3, maxResponseBytes: 1024 * 1024 });
    try {
      serve(Array.from({ length: 30_000 }, (_, i) => ({ url: `${server.url}/files/p-${i}-${'x'.repeat(40)}.ndjson` })));
      const e = await startBulkExport(workspace, { version: 'r4', scope: { kind: 'app' } }, { transport: small.transport, retryBaseMs: 5, minPollMs: 10, maxTries: 3 })
        .then(() => undefined, (err: unknown) => err as Error & { hint?: string });
      assert.ok(e, 'the export fails');
      assert.match(e.message, /\$export is more than 1 MB/);
      assert.match(String(e.hint), /oneup\.maxResponseSizeMB/);
      assert.equal(server.seen.filter((x) => x.path.startsWith('/files/')).length, 0, 'no file was asked for');
    } finally {
      await small.dispose();
    }
  });

  it('kicks off on a FHIR base without a version, at Group level', async () => {
    server.routes.set('/fhir/Group/cohort-7/$export', { json: { output: [{ type: 'Patient', url: `${server.url}/files/p.ndjson` }] } });
    server.routes.set('/files/p.ndjson', { body: ndjson(patient('p1')) });
    const r = await startBulkExport(workspace, { version: 'r4', scope: { kind: 'app' }, level: { kind: 'group', groupId: 'cohort-7' } }, { transport: client.transport });
    assert.ok(r.summary.complete);
    assert.equal(server.seen[0].path, '/fhir/Group/cohort-7/$export');
  });

  it('keeps a file short of its announced count after one more try, marked incomplete with a warning', async () => {
    serve([{ url: `${server.url}/files/short.ndjson`, count: 3 }]);
    server.routes.set('/files/short.ndjson', { body: ndjson(patient('p1'), patient('p2')) });
    const r = await run({ maxTries: 5 });
    assert.equal(tries('/files/short.ndjson'), 2, 'retried at most once');
    assert.equal(r.summary.complete, false);
    const [f] = r.summary.files;
    assert.equal(f.name, 'Patient.ndjson');
    assert.equal(f.resources, 2);
    assert.equal(f.incomplete, true);
    assert.match(f.warning!, /holds 2 resources but the manifest announced 3.*Kept the 2 resources.*incomplete/);
    assert.equal(await readFile(path.join(r.folder, 'Patient.ndjson'), 'utf8'), ndjson(patient('p1'), patient('p2')), 'the valid resources are kept');
    assert.ok(r.summary.errors.some((e) => e.file === 'Patient.ndjson' && e.message === f.warning));
  });

  it('stops an endless file at the first resource past its announced count and keeps the announced ones', async function () {
    this.timeout(10_000);
    serve([{ url: `${server.url}/files/endless.ndjson`, count: 2 }]);
    server.routes.set('/files/endless.ndjson', { write: endless });
    const r = await run();
    const [f] = r.summary.files;
    assert.equal(f.resources, 2);
    assert.equal(f.incomplete, true);
    assert.match(f.warning!, /more than the 2 resources the manifest announced/);
    const kept = await readFile(path.join(r.folder, 'Patient.ndjson'), 'utf8');
    assert.equal(kept.split('\n').filter(Boolean).length, 2);
    assert.deepEqual((await walk(r.folder)).filter((x) => x.endsWith('.part')), []);
  });

  it('stops a file that grows past the largest size one file may have', async () => {
    serve([{ url: `${server.url}/files/endless.ndjson` }]);
    server.routes.set('/files/endless.ndjson', { write: endless });
    const r = await run({ maxFileBytes: 2 * 1024 * 1024 });
    assert.equal(r.summary.complete, false);
    assert.match(r.summary.errors[0].message, /Patient\.ndjson grew past 2\.0 MB, the most one export file may hold/);
    assert.equal(tries('/files/endless.ndjson'), 1, 'not tried again');
    assert.deepEqual((await walk(r.folder)).filter((x) => x.endsWith('.ndjson') || x.endsWith('.part')), []);
  });

  it('stops gzip that expands like a decompression bomb', async function () {
    this.timeout(20_000);
    const bomb = Buffer.from(`${patient('b')}\n`.repeat(1_400_000)); // ~38 MB that gzip takes to ~100 KB
    serve([{ url: `${server.url}/files/bomb.ndjson` }]);
    server.routes.set('/files/bomb.ndjson', { body: gzipSync(bomb, { level: 9 }), headers: { 'content-encoding': 'gzip' } });
    const r = await run();
    assert.equal(r.summary.complete, false);
    assert.match(r.summary.errors[0].message, /expanded more than 100× .*decompression bomb/);
    assert.equal(tries('/files/bomb.ndjson'), 1, 'not tried again');
    assert.deepEqual((await walk(r.folder)).filter((x) => x.endsWith('.ndjson') || x.endsWith('.part')), []);
  });

  it('drops a body that trickles in below the minimum throughput instead of waiting forever', async function () {
    this.timeout(10_000);
    serve([{ url: `${server.url}/files/slow.ndjson` }]);
    server.routes.set('/files/slow.ndjson', { write: trickle });
    const t0 = Date.now();
    const r = await run({ maxTries: 2, minBytesPerSecond: 100, throughputWindowSeconds: 0.5 });
    assert.ok(Date.now() - t0 < 5000, 'gave up in seconds');
    assert.equal(tries('/files/slow.ndjson'), 2, 'tried again (resumed), then gave up');
    assert.match(r.summary.errors[0].message, /Patient\.ndjson: the server sent \d+ bytes in \d+ s, less than the minimum of 100 bytes\/s/);
  });
});
