import * as assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { createOneUpClient } from '../../../src/core/api';
import { sandboxEnvironment } from '../../../src/core/environments';
import { duckDbQuery } from '../../../src/core/explore/duckdb';
import { readExportFolder } from '../../../src/core/explore/exportFolder';
import { patientOf } from '../../../src/core/explore/facts';
import { collectPatient, listPatients } from '../../../src/core/explore/patient';
import type { WorkerPool } from '../../../src/core/explore/pool';
import { patientDistribution, summarizeExport } from '../../../src/core/explore/summary';
import type { Resource } from '../../../src/core/fhir/types';
import { PatientRecord } from '../../../src/core/render/patientRecord';
import { type RunningSandbox, startSandbox } from '../../../src/core/sandbox';
import { addProblems, type GeneratedExport, sandboxExport } from '../../explore/generate';
import { testPool } from './bridge';

const TYPES = ['Patient', 'Encounter', 'Condition', 'Observation', 'DiagnosticReport', 'MedicationRequest', 'Immunization', 'Procedure', 'AllergyIntolerance'];

describe('an export at a glance, and from an export to a patient (against the sandbox)', function () {
  this.timeout(120_000);
  let dir: string;
  let sb: RunningSandbox;
  let e: GeneratedExport;
  let clean: GeneratedExport;
  let pool: WorkerPool;
  let problems: Awaited<ReturnType<typeof addProblems>>;

  before(async () => {
    dir = mkdtempSync(path.join(tmpdir(), 'oneup-export-explore-'));
    sb = await startSandbox({ patients: 12, exportMaxResourcesPerFile: 400 });
    e = await sandboxExport(path.join(dir, '2026-01-01T00-00-00Z'), { patients: 12, types: TYPES, sandbox: sb });
    clean = await sandboxExport(path.join(dir, '2026-01-02T00-00-00Z'), { patients: 12, sandbox: sb });
    problems = await addProblems(e);
    pool = testPool();
  });

  after(async () => {
    await pool?.close();
    await sb?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  function allResources(): Resource[] {
    return e.files.filter((f) => f.kind === 'data' && !f.name.includes('-bad')).flatMap((f) => readFileSync(path.join(e.folder, f.name), 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l) as Resource));
  }

  it('reads the folder\'s layout: data files per type (split ones too), deleted entries, error reports, and each file\'s state', async () => {
    const info = await readExportFolder(e.folder);
    assert.equal(info.fhirVersion, 'r4');
    const byName = new Map(info.files.map((f) => [f.name, f]));
    assert.ok([...byName.keys()].some((n) => /^Observation-2\.ndjson$/.test(n)), 'a type split into several files');
    assert.equal(byName.get('deleted/Observation.ndjson')?.kind, 'deleted');
    assert.equal(byName.get('error/OperationOutcome.ndjson')?.kind, 'error');
    assert.equal(byName.get(problems.badFile)?.state, 'incomplete');
    assert.equal(byName.get('Observation.ndjson')?.state, 'verified');
  });

  it('summarizes: resources per type, patients by resource count, dates, files, error reports and deleted entries', async () => {
    const steps: number[] = [];
    const view = await summarizeExport(e.folder, pool, (_v, p) => steps.push(p.filesDone));
    const resources = allResources();
    const perType = new Map<string, number>();
    for (const r of resources) perType.set(r.resourceType, (perType.get(r.resourceType) ?? 0) + 1);
    perType.set('Condition', (perType.get('Condition') ?? 0) + 29 /* the bad file's whole lines */);
    const got = new Map(view.byType.map((b) => [b.label, b.value]));
    for (const [t, n] of perType) assert.equal(got.get(t), n, t);
    const perPatient = new Map<string, number>();
    for (const r of resources) {
      const p = patientOf(r);
      if (p) perPatient.set(p, (perPatient.get(p) ?? 0) + 1);
    }
    assert.equal(view.patients.count, perPatient.size);
    assert.deepEqual(view.patients.histogram.map((b) => b.value).reduce((a, b) => a + b, 0), perPatient.size);
    assert.ok(view.timeline.bars.length > 1 && view.timeline.bars.reduce((a, b) => a + b.value, 0) > 0, 'dates on a timeline');
    assert.equal(view.deleted.entries, 3);
    assert.deepEqual(Object.fromEntries(view.deleted.byType.map((b) => [b.label, b.value])), problems.deleted);
    assert.equal(view.errors.reports, problems.errorReports);
    assert.deepEqual(Object.fromEntries(view.errors.bySeverity.map((b) => [b.label, b.value])), { error: 1, warning: 1 });
    assert.equal(view.badLines, 2, 'the non-JSON line and the cut last line');
    assert.equal(view.files.find((f) => f.name === problems.badFile)?.state, 'incomplete');
    assert.ok(view.errors.problems.some((p) => p.includes('could not be exported')));
    assert.ok(steps.length >= e.files.length, 'progress per file');
  });

  it('builds the histogram of resources per patient over fixed bins', () => {
    const d = patientDistribution([1, 3, 3, 7, 120]);
    assert.deepEqual(d.histogram.map((b) => [b.label, b.value]), [['1', 1], ['2–5', 2], ['6–10', 1], ['11–25', 0], ['26–50', 0], ['51–100', 0], ['101–250', 1]]);
    assert.equal(d.median, 3);
    assert.equal(d.max, 120);
  });

  it('a patient\'s record from the export holds what the live $everything answers for the same patient', async () => {
    const { patients } = await listPatients(clean.folder);
    assert.equal(patients.length, sb.state.patientCount());
    const client = createOneUpClient({ environment: sandboxEnvironment(sb.url), userAgent: 'test', credentials: async () => sb.credentials });
    try {
      for (const p of [patients[0], patients[patients.length - 1]]) {
        const live = new PatientRecord(p.id);
        for await (const page of client.fhir('r4').everythingPages(p.id)) live.addPage(page);
        const fromExport = new PatientRecord(p.id);
        const found = await collectPatient(clean.folder, p.id, pool);
        fromExport.addPage({ resourceType: 'Bundle', type: 'collection', entry: found.resources.map((resource) => ({ resource })) });
        const key = (r: PatientRecord) => r.items().map((i) => `${i.type}/${r.resource(i.key)?.id} ${i.time} ${i.title.t}`).sort();
        assert.ok(live.loaded > 5, `the live record has resources (${live.loaded})`);
        assert.deepEqual(fromExport.countList(), live.countList(), `counts per type for Patient/${p.id}`);
        assert.deepEqual(key(fromExport), key(live), `timeline of Patient/${p.id}`);
        assert.equal(fromExport.header()?.name, live.header()?.name);
      }
    } finally {
      await client.dispose();
    }
  });

  it('writes a DuckDB query over the type\'s files, or one over every file for the whole export', async () => {
    const info = await readExportFolder(e.folder);
    const q = duckDbQuery(info, 'Observation');
    const files = info.files.filter((f) => f.kind === 'data' && f.type === 'Observation');
    assert.ok(files.length >= 2);
    for (const f of files) assert.ok(q.includes(`'${f.path.replace(/'/g, "''")}'`), f.name);
    assert.match(q, /^SELECT \*$/m);
    assert.match(q, /read_ndjson\(/);
    assert.ok(!q.includes('deleted/') && !q.includes('error/'), 'data files only');
    const all = duckDbQuery(info);
    assert.match(all, /read_ndjson_objects\(/);
    assert.equal((all.match(/\.ndjson'/g) ?? []).length, info.files.filter((f) => f.kind === 'data').length);
    assert.throws(() => duckDbQuery(info, 'Claim'), /no Claim data files/);
  });
});
