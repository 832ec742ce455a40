import * as assert from 'node:assert/strict';
import type { Bundle } from '../../../src/core/fhir/types';
import { ageInYears, PatientRecord, TIMELINE_TYPES } from '../../../src/core/render/patientRecord';
import { synthea } from './fixtures';

/** The fixture cut into `$everything`-like pages of `size` entries. */
function pages(bundle: Bundle, size: number): Bundle[] {
  const entries = bundle.entry ?? [];
  const out: Bundle[] = [];
  for (let i = 0; i < entries.length; i += size) out.push({ resourceType: 'Bundle', type: 'searchset', total: entries.length, entry: entries.slice(i, i + size) });
  return out;
}

describe('patient record', () => {
  for (const version of ['r4', 'stu3', 'dstu2'] as const) {
    it(`${version}: builds header, counts and a dated timeline page by page`, () => {
      const bundle = synthea(version);
      const record = new PatientRecord();
      const added = pages(bundle, 10).flatMap((p) => record.addPage(p));
      assert.equal(record.loaded, bundle.entry!.length);
      assert.equal(record.total, bundle.entry!.length);
      const header = record.header(new Date('2020-06-01T00:00:00Z'));
      assert.deepEqual({ name: header?.name, age: header?.age, gender: header?.gender, birthDate: header?.birthDate }, { name: 'Mr. Wm Bergstrom', age: '29 years', gender: 'male', birthDate: '1990-11-18' });
      assert.ok(header?.identifiers.some((c) => c.t.endsWith('999-71-2777')));
      const counts = Object.fromEntries(record.countList().map((c) => [c.type, c.count]));
      const expected: Record<string, number> = {};
      for (const e of bundle.entry!) expected[e.resource!.resourceType] = (expected[e.resource!.resourceType] ?? 0) + 1;
      assert.deepEqual(counts, expected);
      assert.ok(added.length > 50);
      assert.ok(added.every((i) => TIMELINE_TYPES.includes(i.type)), 'only clinical events on the timeline');
      assert.deepEqual(record.items().map((i) => i.key), added.map((i) => i.key));
      const burn = added.find((i) => i.type === 'Condition' && i.title.t === 'Second degree burn');
      assert.equal(burn?.date.t, '2010-09-18 03:01');
      assert.equal(burn?.time, Date.parse('2010-09-18T03:01:46-04:00'));
      assert.match(burn?.detail?.t ?? '', /resolved · until 2010-10-23/);
      const med = added.find((i) => /^Medication(Order|Request)$/.test(i.type));
      assert.equal(med?.title.t, 'Amoxicillin 500 MG Oral Tablet');
      assert.equal(med?.status, 'stopped');
      assert.ok(added.some((i) => i.type === 'Encounter' && i.title.t === 'Emergency room admission (procedure)'));
      assert.ok(added.some((i) => i.type === 'Immunization' && i.date.t.startsWith('2013-01-20')));
      assert.ok(added.some((i) => i.type === 'Observation' && i.detail?.t === '4 {score}'));
    });
  }

  it('finds resources by key and by fullUrl / Type/id for references', () => {
    const record = new PatientRecord();
    const bundle = synthea('r4');
    record.addPage(bundle);
    const patient = bundle.entry![0];
    assert.equal(record.entries.get(patient.fullUrl!), 0);
    assert.equal(record.entries.get(`Patient/${patient.resource!.id}`), 0);
    assert.equal(record.resource(0), patient.resource);
  });

  it('prefers the Patient it was asked for when a page holds several', () => {
    const record = new PatientRecord('p2');
    record.addPage({ resourceType: 'Bundle', entry: [{ resource: { resourceType: 'Patient', id: 'p1', name: [{ text: 'Linked One' }] } }, { resource: { resourceType: 'Patient', id: 'p2', name: [{ text: 'Asked For' }] } }] });
    assert.equal(record.header()?.name, 'Asked For');
  });

  it('ages: whole years, a death date ends them', () => {
    assert.equal(ageInYears('1990-11-18', new Date('2020-11-17T00:00:00Z')), 29);
    assert.equal(ageInYears('1990-11-18', new Date('2020-11-18T00:00:00Z')), 30);
    assert.equal(ageInYears('1990', new Date('2020-06-01T00:00:00Z')), 30);
    assert.equal(ageInYears('garbage', new Date()), undefined);
    const record = new PatientRecord();
    record.addPage({ resourceType: 'Bundle', entry: [{ resource: { resourceType: 'Patient', id: 'd', birthDate: '1930-01-01', deceasedDateTime: '1990-06-01' } }] });
    assert.equal(record.header(new Date('2024-01-01'))?.age, 'died at 60');
  });
});
