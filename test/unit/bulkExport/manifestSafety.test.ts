import * as assert from 'node:assert/strict';
import { mkdir, mkdtemp, readFile, rm, symlink } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { gzipSync } from 'node:zlib';
import { createOneUpClient, type OneUpClient } from '../../../src/core/api';
import { startBulkExport } from '../../../src/core/bulkExport';
import type { Environment } from '../../../src/core/environments';
import { type FileServer, startFileServer } from './fileServer';
import { walk } from './helpers';

const CREDS = { clientId: 'hostile-test-client', clientSecret: 'hostile-test-secret-123' };
const TOKEN = 'user-access-token-abcdef';
const patient = (id: string) => JSON.stringify({ resourceType: 'Patient', id });
const ndjson = (...lines: string[]) => `${lines.join('\n')}\n`;
const CREDENTIAL_HEADERS = ['authorization', 'client_id', 'client_secret', 'x-oneup-user-id'];

describe('bulk export: what a manifest cannot make the engine do', () => {
  let exportServer: FileServer;
  let other: FileServer;
  let client: OneUpClient;
  let root: string;
  let workspace: string;

  before(async () => {
    exportServer = await startFileServer();
    other = await startFileServer();
    const env: Environment = {
      name: 'Hostile', apiUrl: exportServer.url, fhirUrl: `${exportServer.url}/fhir`, tokenUrl: `${exportServer.url}/token`,
      bulkDataUrl: `${exportServer.url}/bulk-data`, fhirVersion: 'r4',
    };
    client = createOneUpClient({ environment: env, credentials: async () => CREDS, userAgent: 'oneup-export-test', retryBaseMs: 5, maxTries: 2 });
  });
  beforeEach(async () => {
    root = await mkdtemp(path.join(tmpdir(), 'oneup-export-hostile-'));
    workspace = path.join(root, 'workspace');
    await mkdir(workspace);
    exportServer.routes.clear();
    other.routes.clear();
    exportServer.seen.length = 0;
    other.seen.length = 0;
  });
  afterEach(() => rm(root, { recursive: true, force: true }));
  after(async () => {
    await client.dispose();
    await exportServer.close();
    await other.close();
  });

  const manifest = (output: unknown[], error: unknown[] = []) => ({ transactionTime: '2024-01-01T00:00:00Z', request: 'x', requiresAccessToken: true, output, error });
  const options = (extra = {}) => ({ transport: client.transport, retryBaseMs: 5, minPollMs: 10, maxTries: 2, ...extra });

  it('names files by type, refuses path-like types and non-http URLs, and never sends credentials to another origin', async () => {
    exportServer.routes.set('/bulk-data/r4/$export', { json: manifest([
      { type: '../../../evil', url: `${exportServer.url}/files/a.ndjson` },
      { type: 'Patient/../../../x', url: `${exportServer.url}/files/a.ndjson` },
      { type: 'Patient', url: 'file:///etc/passwd' },
      { type: 'Patient', url: `${other.url}/elsewhere/p.ndjson` },
      { type: 'Patient', url: `${exportServer.url}/files/redirect` },
      { type: 'Patient', url: `${exportServer.url}/files/a.ndjson` },
    ], [{ type: 'OperationOutcome', url: `${exportServer.url}/files/errors.ndjson` }]) });
    exportServer.routes.set('/files/a.ndjson', { body: ndjson(patient('a1'), patient('a2')) });
    exportServer.routes.set('/files/redirect', { redirect: `${other.url}/signed/q.ndjson?sig=abc` });
    exportServer.routes.set('/files/errors.ndjson', { body: ndjson(JSON.stringify({ resourceType: 'OperationOutcome', issue: [{ severity: 'error', code: 'processing', diagnostics: 'Could not export Observation 42' }] })) });
    other.routes.set('/elsewhere/p.ndjson', { body: ndjson(patient('b1')) });
    other.routes.set('/signed/q.ndjson', { body: ndjson(patient('q1')) });

    const r = await startBulkExport(workspace, { version: 'r4', scope: { kind: 'app' } }, options());

    const files = await walk(workspace);
    const inFolder = path.relative(workspace, r.folder);
    assert.deepEqual(files.filter((f) => !f.startsWith(inFolder + path.sep)), [path.join('.1uphealth', 'exports', '.gitignore')]);
    assert.deepEqual(r.summary.files.map((f) => f.name), ['Patient.ndjson', 'Patient-2.ndjson', 'Patient-3.ndjson', 'error/OperationOutcome.ndjson']);
    assert.equal(await readFile(path.join(r.folder, 'Patient.ndjson'), 'utf8'), ndjson(patient('b1')));
    assert.equal(await readFile(path.join(r.folder, 'Patient-2.ndjson'), 'utf8'), ndjson(patient('q1')));
    assert.equal(r.summary.complete, false, 'refused entries make it incomplete');
    const messages = r.summary.errors.map((e) => e.message).join('\n');
    assert.match(messages, /"\.\.\/\.\.\/\.\.\/evil", which is not a resource type/);
    assert.match(messages, /"Patient\/\.\.\/\.\.\/\.\.\/x", which is not a resource type/);
    assert.match(messages, /without a usable http\(s\) URL/);
    assert.match(messages, /The server reported: Could not export Observation 42/);

    assert.equal(other.seen.length, 2);
    for (const req of other.seen) for (const h of CREDENTIAL_HEADERS) assert.equal(req.headers[h], undefined, `${h} sent to ${req.path}`);
    const own = exportServer.seen.filter((s) => s.path.startsWith('/files/'));
    assert.ok(own.length >= 3 && own.every((s) => s.headers.client_secret === CREDS.clientSecret), 'the export server gets the credentials');
  });

  it('sends a user\'s bearer token to its own origin only, also across a redirect', async () => {
    exportServer.routes.set('/bulk-data/r4/$export', { json: manifest([
      { type: 'Patient', url: `${exportServer.url}/files/a.ndjson` }, { type: 'Patient', url: `${exportServer.url}/files/redirect` },
    ]) });
    exportServer.routes.set('/files/a.ndjson', { body: ndjson(patient('a1')) });
    exportServer.routes.set('/files/redirect', { redirect: `${other.url}/signed/q.ndjson` });
    other.routes.set('/signed/q.ndjson', { body: ndjson(patient('q1')) });
    const tokens = { accessToken: async () => TOKEN, renew: async () => TOKEN };
    const r = await startBulkExport(workspace, { version: 'r4', scope: { kind: 'user', oneupUserId: 'u1' } }, options({ tokens }));
    assert.ok(r.summary.complete, JSON.stringify(r.summary.errors));
    assert.ok(exportServer.seen.every((s) => s.headers.authorization === `Bearer ${TOKEN}`));
    assert.equal(other.seen.length, 1);
    assert.equal(other.seen[0].headers.authorization, undefined);
  });

  it('sends no token to file URLs when the manifest does not require one', async () => {
    exportServer.routes.set('/bulk-data/r4/$export', { json: { ...manifest([{ type: 'Patient', url: `${exportServer.url}/files/a.ndjson` }]), requiresAccessToken: false } });
    exportServer.routes.set('/files/a.ndjson', { body: ndjson(patient('a1')) });
    await startBulkExport(workspace, { version: 'r4', scope: { kind: 'app' } }, options());
    const file = exportServer.seen.find((s) => s.path === '/files/a.ndjson')!;
    for (const h of CREDENTIAL_HEADERS) assert.equal(file.headers[h], undefined, h);
  });

  it('does not poll a status URL on another host', async () => {
    exportServer.routes.set('/bulk-data/r4/$export', { json: {}, status: 202, headers: { 'content-location': `${other.url}/status/1` } });
    await assert.rejects(startBulkExport(workspace, { version: 'r4', scope: { kind: 'app' } }, options()), /status URL is on another host/);
    assert.equal(other.seen.length, 0);
  });

  it('refuses to write through a symlinked .1uphealth folder', async () => {
    const elsewhere = path.join(root, 'elsewhere');
    await mkdir(elsewhere);
    await symlink(elsewhere, path.join(workspace, '.1uphealth'));
    exportServer.routes.set('/bulk-data/r4/$export', { json: manifest([]) });
    await assert.rejects(startBulkExport(workspace, { version: 'r4', scope: { kind: 'app' } }, options()), { name: 'InputError', message: /symbolic link/ });
    assert.deepEqual(await walk(elsewhere), [], 'nothing was created through the link');
    assert.equal(exportServer.seen.length, 0, 'nothing was requested');
  });

  it('catches a line of the wrong resourceType, tries once more, and reports the line without keeping the file', async () => {
    exportServer.routes.set('/bulk-data/r4/$export', { json: manifest([{ type: 'Patient', url: `${exportServer.url}/files/mixed.ndjson`, count: 3 }]) });
    exportServer.routes.set('/files/mixed.ndjson', { body: ndjson(patient('p1'), patient('p2'), JSON.stringify({ resourceType: 'Observation', id: 'o1' })) });
    const r = await startBulkExport(workspace, { version: 'r4', scope: { kind: 'app' } }, options({ maxTries: 5 }));
    assert.equal(r.summary.complete, false);
    assert.match(r.summary.errors[0].message, /Patient\.ndjson, line 3: a "Observation" where the manifest announced Patient resources/);
    assert.equal(exportServer.seen.filter((s) => s.path === '/files/mixed.ndjson').length, 2, 'one more try from the start, not maxTries');
    assert.deepEqual((await walk(r.folder)).filter((f) => f.endsWith('.ndjson') || f.endsWith('.part')), []);
  });

  it('accepts gzip (asked for, or a .gz file), decodes it as it streams, and resumes a broken gzip download with a Range of the plain file', async () => {
    const big = ndjson(...Array.from({ length: 3000 }, (_, i) => patient(`g${i}`)));
    const gz = gzipSync(big);
    exportServer.routes.set('/bulk-data/r4/$export', { json: manifest([
      { type: 'Patient', url: `${exportServer.url}/files/enc.ndjson`, count: 3000 },
      { type: 'Patient', url: `${exportServer.url}/files/plain.ndjson.gz`, count: 3000 },
    ]) });
    exportServer.routes.set('/files/enc.ndjson', { body: big, gzip: true, cutAfterBytesOnce: Math.floor(gz.length / 2) });
    exportServer.routes.set('/files/plain.ndjson.gz', { body: gz });
    const r = await startBulkExport(workspace, { version: 'r4', scope: { kind: 'app' } }, options({ maxTries: 3 }));
    assert.ok(r.summary.complete, JSON.stringify(r.summary.errors));
    assert.equal(await readFile(path.join(r.folder, 'Patient.ndjson'), 'utf8'), big);
    assert.equal(await readFile(path.join(r.folder, 'Patient-2.ndjson'), 'utf8'), big);
    const tries = exportServer.seen.filter((s) => s.path === '/files/enc.ndjson');
    assert.equal(tries.length, 2);
    assert.equal(tries[0].headers['accept-encoding'], 'gzip', 'gzip is asked for');
    assert.equal(tries[1].headers['accept-encoding'], 'identity', 'the rest is asked for plain, where the decoded part stops');
    const from = Number(/^bytes=(\d+)-$/.exec(tries[1].headers.range ?? '')?.[1]);
    assert.ok(from > 0 && from < big.length, `resumed at byte ${from} of ${big.length}`);
    assert.deepEqual((await walk(r.folder)).filter((f) => f.includes('.part')), []);
  });
});
