import * as assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import * as path from 'node:path';
import { createOneUpClient } from '../../../src/core/api';
import { type ExportSummary, listExportFiles, startBulkExport } from '../../../src/core/bulkExport';
import { sandboxEnvironment } from '../../../src/core/environments';
import type { Bundle, Resource } from '../../../src/core/fhir/types';
import { type ExportRig, serverFile, sha256, startExportRig } from './helpers';

const lines = async (file: string): Promise<Resource[]> => (await readFile(file, 'utf8')).split('\n').filter(Boolean).map((l) => JSON.parse(l) as Resource);
const app = (rig: ExportRig) => ({ client_id: rig.sb.credentials.clientId, client_secret: rig.sb.credentials.clientSecret, 'x-oneup-user-id': 'client' });
const KICKOFF = '^/bulk-data/r4/\\$export$';

describe('bulk export against the Bulk Data spec (sandbox)', () => {
  let rig: ExportRig;
  before(async () => {
    rig = await startExportRig({ exportStyle: 'direct', patients: 4, exportMaxResourcesPerFile: 5000 });
  });
  after(() => rig.close());

  it('downloads the deleted entries of an incremental export into deleted/ and counts them in summary.json', async () => {
    const since = new Date(Date.now() - 60_000).toISOString();
    const found = await fetch(`${rig.sb.url}/fhir/r4/Observation?_count=3`, { headers: app(rig) }).then((r) => r.json()) as Bundle;
    const ids = found.entry!.map((e) => e.resource!.id!);
    for (const id of ids) assert.equal((await fetch(`${rig.sb.url}/fhir/r4/Observation/${id}`, { method: 'DELETE', headers: app(rig) })).status, 200);
    const r = await startBulkExport(rig.workspace, { version: 'r4', scope: { kind: 'app' }, types: ['Observation'], since }, rig.options());
    assert.ok(r.summary.complete, JSON.stringify(r.summary.errors));
    assert.deepEqual(r.summary.files, [{ name: 'deleted/Bundle.ndjson', type: 'Bundle', kind: 'deleted', resources: 3, bytes: r.summary.files[0].bytes }]);
    assert.equal(r.summary.deleted, 3);
    const deletions = (await lines(path.join(r.folder, 'deleted', 'Bundle.ndjson'))) as Bundle[];
    assert.deepEqual(deletions.map((b) => (b.entry![0].request as { url: string }).url).sort(), ids.map((id) => `Observation/${id}`).sort());
    const onDisk = JSON.parse(await readFile(path.join(r.folder, 'summary.json'), 'utf8')) as ExportSummary;
    assert.equal(onDisk.files[0].kind, 'deleted');
    assert.deepEqual((await listExportFiles(r.folder)).filter((f) => f.kind === 'deleted').map((f) => f.name), ['deleted/Bundle.ndjson']);
  });

  it('keeps the server\'s error files as they came under error/, unchecked, and reports their issue texts', async () => {
    const r = await startBulkExport(rig.workspace, {
      version: 'r4', scope: { kind: 'app' }, types: ['Patient', 'Observation'], typeFilters: ['Observation?date=not-a-date'],
    }, rig.options());
    const errorFile = r.summary.files.find((f) => f.kind === 'error')!;
    assert.deepEqual({ ...errorFile, bytes: 0 }, { name: 'error/OperationOutcome.ndjson', type: 'OperationOutcome', kind: 'error', resources: 1, bytes: 0 });
    const manifest = JSON.parse(await readFile(path.join(r.folder, 'manifest.json'), 'utf8')) as { error: { url: string }[]; request: string };
    assert.equal(await sha256(path.join(r.folder, 'error', 'OperationOutcome.ndjson')), await sha256(await serverFile(rig.dataDir, manifest.error[0].url)), 'byte for byte');
    const reported = r.summary.errors.filter((e) => e.source === 'server');
    assert.equal(reported.length, 1);
    assert.match(reported[0].message, /^The server reported: _typeFilter "Observation\?date=not-a-date".*not applied/);
    assert.match(decodeURIComponent(manifest.request), /_typeFilter=Observation\?date=not-a-date/);
    assert.ok(r.summary.files.some((f) => f.kind === 'data' && f.type === 'Observation'), 'the data came too');
  });

  it('asks for gzip and decodes it as it streams: the wire carries several times fewer bytes than land on disk', async () => {
    const o = rig.options();
    const r = await startBulkExport(rig.workspace, { version: 'r4', scope: { kind: 'app' }, types: ['Observation'] }, o);
    assert.ok(r.summary.complete);
    const wire = o.events.at(-1)!.bytes;
    assert.ok(wire > 0 && wire * 5 < r.summary.bytes, `${wire} bytes received for ${r.summary.bytes} bytes of NDJSON`);
  });

  it('kicks off at Patient and Group level with _type, _typeFilter and _outputFormat', async () => {
    const before = rig.calls().length;
    const patient = await startBulkExport(rig.workspace, { version: 'r4', scope: { kind: 'app' }, level: { kind: 'patient' }, outputFormat: 'application/fhir+ndjson' }, rig.options());
    assert.ok(!patient.summary.files.some((f) => f.type === 'Organization'), 'a Patient-level export holds the patients\' compartments');
    const group = await startBulkExport(rig.workspace, {
      version: 'r4', scope: { kind: 'app' }, level: { kind: 'group', groupId: 'generated-patients' }, types: ['Patient', 'Observation'],
      typeFilters: ['Observation?_lastUpdated=ge2000-01-01'],
    }, rig.options());
    const patients = await lines(path.join(group.folder, 'Patient.ndjson'));
    assert.equal(patients.length, 4, 'the four generated patients, not the demo ones');
    const kicks = rig.calls().slice(before).filter((c) => c.includes('$export ')).map((c) => c.split(' → ')[0]);
    assert.deepEqual(kicks, ['GET /bulk-data/r4/Patient/$export', 'GET /bulk-data/r4/Group/generated-patients/$export']);
    const request = (JSON.parse(await readFile(path.join(group.folder, 'manifest.json'), 'utf8')) as { request: string }).request;
    assert.match(decodeURIComponent(request), /_type=Patient,Observation&_typeFilter=Observation\?_lastUpdated=ge2000-01-01/);
    assert.deepEqual(group.summary.level, { kind: 'group', groupId: 'generated-patients' });
  });

  it('kicks off on a FHIR base given as the bulk data URL (https://host/fhir/r4 style)', async () => {
    const client = createOneUpClient({
      environment: { ...sandboxEnvironment(rig.sb.url), bulkDataUrl: `${rig.sb.url}/fhir/r4` }, credentials: async () => rig.sb.credentials, userAgent: 'oneup-export-test',
    });
    try {
      const before = rig.calls().length;
      const r = await startBulkExport(rig.workspace, { version: 'r4', scope: { kind: 'app' }, types: ['Patient'] }, { ...rig.options(), transport: client.transport });
      assert.ok(r.summary.complete, JSON.stringify(r.summary.errors));
      assert.deepEqual(rig.calls().slice(before).filter((c) => c.includes('$export ')), ['GET /fhir/r4/$export → 200']);
      await assert.rejects(startBulkExport(rig.workspace, { version: 'dstu2', scope: { kind: 'app' } }, { ...rig.options(), transport: client.transport }),
        { name: 'InputError', message: /a r4 server/ });
    } finally {
      await client.dispose();
    }
  });

  it('spends one budget of tries on a failing kick-off, not the engine\'s times the transport\'s', async () => {
    // the rig's client would try 3 times itself; the engine's 3 tries must be all there are
    rig.sb.addFault({ route: KICKOFF, times: 50, fault: { kind: 'status', status: 503, retryAfter: '0' } });
    try {
      const before = rig.calls().length;
      await assert.rejects(startBulkExport(rig.workspace, { version: 'r4', scope: { kind: 'app' } }, rig.options({ maxTries: 3 })), { name: 'ApiError', status: 503 });
      assert.equal(rig.calls().slice(before).filter((c) => c.startsWith('GET /bulk-data/r4/$export ')).length, 3);
    } finally {
      // use the rest of the fault up
      for (let i = 0; i < 50; i++) await fetch(`${rig.sb.url}/bulk-data/r4/$export?_type=Patient`, { headers: app(rig) });
    }
  });
});

describe('bulk export: Retry-After as a point in time', () => {
  for (const style of ['epoch-seconds', 'epoch-ms'] as const) {
    it(`waits until the time a ${style} Retry-After names, not a clamped default`, async function () {
      this.timeout(30_000);
      // 100 patients' Observations: the export is still being written at the first poll
      const rig = await startExportRig({ exportStyle: 'async', exportRetryAfter: style, exportRetryAfterSeconds: 2, patients: 100, exportMaxResourcesPerFile: 100_000 });
      try {
        // the status polls say when, not how long
        const kick = await fetch(`${rig.sb.url}/bulk-data/r4/$export?_type=Observation`, { headers: { ...app(rig), 'x-sandbox-export-style': 'async' } });
        const first = await fetch(kick.headers.get('content-location')!, { headers: app(rig) });
        assert.match(String(first.headers.get('retry-after')), style === 'epoch-seconds' ? /^\d{10}$/ : /^\d{13}$/);
        await fetch(kick.headers.get('content-location')!, { method: 'DELETE', headers: app(rig) });
        const o = rig.options({ minPollMs: 0 });
        const t0 = Date.now();
        const r = await startBulkExport(rig.workspace, { version: 'r4', scope: { kind: 'app' }, types: ['Observation'] }, o);
        assert.ok(r.summary.complete);
        const polls = rig.calls().filter((c) => c.startsWith('GET /bulk-data/r4/$export-status/'));
        assert.ok(polls[0].endsWith('202') && polls.at(-1)!.endsWith('200'), polls.join('\n'));
        const took = Date.now() - t0;
        // about 2 s per 202 (HTTP dates have whole seconds), nowhere near the 120 s the old clamp waited
        assert.ok(took >= 900 && took < 15_000, `${took} ms for ${polls.length} polls`);
      } finally {
        await rig.close();
      }
    });
  }
});
