import * as assert from 'node:assert/strict';
import type { Bundle } from '../../../src/core/fhir/types';
import { bundleView } from '../../../src/core/render/bundleView';
import { withPatientColumn } from '../../../src/core/render/patientColumn';
import { PatientRecord } from '../../../src/core/render/patientRecord';
import { timelineNote } from '../../../src/core/render/recordTimeline';
import { synthea } from '../render/fixtures';

/** Two patients' Observations read app-wide, with one of the two Patients in the page. */
function appWidePage(): Bundle {
  return {
    resourceType: 'Bundle', type: 'searchset', total: 3,
    entry: [
      { fullUrl: 'https://x/fhir/r4/Observation/o1', resource: { resourceType: 'Observation', id: 'o1', status: 'final', code: { text: 'Heart rate' }, subject: { reference: 'Patient/p1' } } },
      { fullUrl: 'https://x/fhir/r4/Observation/o2', resource: { resourceType: 'Observation', id: 'o2', status: 'final', code: { text: 'Weight' }, subject: { reference: 'Patient/p2', display: 'Jane Roe' } } },
      { fullUrl: 'https://x/fhir/r4/Patient/p1', resource: { resourceType: 'Patient', id: 'p1', name: [{ given: ['Ann'], family: 'Lee' }] } },
    ],
  };
}

describe('bundle viewer: whose rows', () => {
  it('app-wide results get a Patient column: the name when the page holds the Patient, else the reference', () => {
    const page = appWidePage();
    const view = withPatientColumn(bundleView(page, { viewId: 'v', title: 't' }), page);
    const obs = view.groups.find((g) => g.type === 'Observation')!;
    assert.equal(obs.columns[1].label, 'Patient');
    assert.deepEqual(obs.rows.map((r) => r.cells[1]), [{ t: 'Ann Lee', h: 'Patient/p1' }, { t: 'Jane Roe', h: 'Patient/p2' }]);
    assert.equal(obs.rows[0].cells.length, obs.columns.length, 'every row has a cell per column');
    assert.ok(!view.groups.find((g) => g.type === 'Patient')!.columns.some((c) => c.label === 'Patient'), 'no Patient column in the Patients table');
  });

  it('one patient\'s data (a file of one record) gets no such column when asked only for several', () => {
    const record = synthea('r4');
    const view = bundleView(record, { viewId: 'v', title: 't' });
    assert.equal(withPatientColumn(view, record, { onlyIfSeveral: true }), view);
    assert.notEqual(withPatientColumn(view, record), view);
  });
});

describe('patient record: every type with a count is on the timeline or says why not', () => {
  for (const version of ['r4', 'stu3', 'dstu2'] as const) {
    it(version, () => {
      const bundle = synthea(version);
      const record = new PatientRecord();
      const items = record.addPage(bundle);
      const onTimeline = new Set(items.map((i) => i.type));
      const why: string[] = [];
      for (const { type } of record.countList()) {
        if (!onTimeline.has(type)) {
          const note = timelineNote(type);
          assert.ok(note, `${type} is neither on the timeline nor says why`);
          why.push(type);
        }
      }
      assert.ok(why.includes('Patient'));
      // billing records stay off the clinical timeline, and their chip says so
      assert.ok(why.includes('Claim'));
      assert.match(timelineNote('Claim')!, /billing/);
      assert.equal(timelineNote('Encounter'), undefined);
    });
  }
});
