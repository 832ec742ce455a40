import * as assert from 'node:assert/strict';
import type { Resource } from '../../../src/core/fhir/types';
import type { RunningSandbox } from '../../../src/core/sandbox';
import type { Directory } from '../../../src/core/sandbox/data/build';
import { buildType, countType, GENERATED_TYPES } from '../../../src/core/sandbox/data/build';
import { Ids } from '../../../src/core/sandbox/data/ids';
import { planPatient } from '../../../src/core/sandbox/data/plan';
import { appHeaders, bundle, call, sandbox } from './helpers';

const dir: Directory = {
  organizations: [{ id: 'org-a', name: 'Hospital A' }, { id: 'org-b', name: 'Hospital B' }],
  practitioners: [{ id: 'pr-a', name: 'Dr. A' }],
};

function patient(seed: number, index: number): Record<string, Resource[]> {
  const plan = planPatient(seed, index, dir, new Ids(seed).generatedPatient(index));
  return Object.fromEntries(GENERATED_TYPES.map((t) => [t, buildType(plan, t, dir)]));
}

describe('sandbox: patient generator', () => {
  it('builds the same patient from the same (seed, index), and another from another', () => {
    assert.deepEqual(patient(7, 42), patient(7, 42));
    assert.notDeepEqual(patient(7, 42).Patient, patient(8, 42).Patient);
    assert.notDeepEqual(patient(7, 42).Patient, patient(7, 43).Patient);
  });

  it('counts each type without building it, exactly', () => {
    for (let i = 0; i < 150; i++) {
      const plan = planPatient(3, i, dir, new Ids(3).generatedPatient(i));
      for (const t of GENERATED_TYPES) assert.equal(countType(plan, t), buildType(plan, t, dir).length, `patient ${i} ${t}`);
    }
  });

  it('gives patients 12-hex ids that lead back to them, distinct and stable per seed', () => {
    const ids = new Ids(1);
    const seen = new Set<string>();
    for (let i = 0; i < 5000; i++) {
      const id = ids.generatedPatient(i);
      assert.match(id, /^[0-9a-f]{12}$/);
      assert.equal(ids.generatedIndex(id), i);
      seen.add(id);
    }
    assert.equal(seen.size, 5000);
    assert.equal(new Ids(1).generatedPatient(7), ids.generatedPatient(7));
    assert.notEqual(new Ids(2).generatedPatient(7), ids.generatedPatient(7));
  });

  it('makes realistic, linked records: narratives, production-style meta, identifiers, 48-hex ids under the patient\'s, references that resolve', () => {
    const seen = new Set<string>();
    for (let i = 0; i < 40; i++) {
      const pid = new Ids(1).generatedPatient(i);
      const p = patient(1, i);
      const ids = new Set(Object.values(p).flat().map((r) => `${r.resourceType}/${r.id}`));
      for (const [type, list] of Object.entries(p)) {
        for (const r of list) {
          seen.add(type);
          assert.match(String(r.text?.div), /^<div xmlns="http:\/\/www\.w3\.org\/1999\/xhtml">.+<\/div>$/);
          assert.ok(r.meta?.lastUpdated && !Number.isNaN(Date.parse(r.meta.lastUpdated)));
          assert.match(String(r.meta?.versionId), /^9\d{12}$/);
          assert.ok(Array.isArray(r.identifier) && (r.identifier as { system?: string; value?: string }[]).every((x) => x.system && x.value), `${type} identifier`);
          if (type === 'Patient') assert.equal(r.id, pid);
          else assert.match(r.id!, new RegExp(`^${pid}[0-9a-f]{36}$`));
          const refs = JSON.stringify(r).match(/"reference":"(Encounter|Observation|Condition|Patient|Medication|MedicationStatement)\/[^"]+"/g) ?? [];
          for (const ref of refs) assert.ok(ids.has(ref.slice(13, -1)), `${r.id} → ${ref}`);
        }
      }
      assert.equal(ids.size, Object.values(p).flat().length, 'no id twice');
    }
    for (const t of GENERATED_TYPES) assert.ok(seen.has(t), `some patient has ${t}`);
  });

  it('keeps vital signs plausible', () => {
    for (let i = 0; i < 30; i++) {
      for (const o of patient(5, i).Observation) {
        const code = (o.code as { coding: { code: string }[] }).coding[0].code;
        const v = (o.valueQuantity as { value: number } | undefined)?.value;
        if (code === '8302-2') assert.ok(v! > 30 && v! < 220, `height ${v}`);
        if (code === '29463-7') assert.ok(v! > 1 && v! < 250, `weight ${v}`);
        if (code === '8867-4') assert.ok(v! > 30 && v! < 200, `heart rate ${v}`);
      }
    }
  });
});

describe('sandbox: 10,000 generated patients', () => {
  let sb: RunningSandbox;
  before(async () => { sb = await sandbox({ patients: 10_000 }); });
  after(() => sb.close());

  it('serves any of them on demand, counts them all, and pages far without rescanning', async () => {
    const client = appHeaders(sb);
    assert.equal((await bundle(`${sb.url}/fhir/r4/Patient?_summary=count`, client)).total, 10_000 + 10);
    const id = (n: number) => sb.state.generatedPatientId(n);
    const last = await call<Resource>(`${sb.url}/fhir/r4/Patient/${id(9999)}`, { headers: client });
    assert.equal(last.status, 200);
    assert.equal(last.body.id, id(9999));
    assert.equal((await call(`${sb.url}/fhir/r4/Patient/${id(10000)}`, { headers: client })).status, 404);
    const far = await bundle(`${sb.url}/fhir/r4/Patient?_skip=9980&_count=20`, client);
    assert.deepEqual(far.entry!.map((e) => e.resource!.id), Array.from({ length: 20 }, (_, i) => id(9970 + i)));
    const next = await bundle(far.link!.find((l) => l.relation === 'next')!.url, client);
    assert.equal(next.entry![0].resource!.id, id(9990), 'the page after _skip follows on by _afterid');
    const obs = await bundle(`${sb.url}/fhir/r4/Observation?patient=${id(5000)}&_count=1`, client);
    assert.ok(obs.entry![0].resource!.id!.startsWith(id(5000)));
  });
});
