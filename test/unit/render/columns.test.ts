import * as assert from 'node:assert/strict';
import type { FhirVersion } from '../../../src/core/environments';
import { bundleView } from '../../../src/core/render/bundleView';
import type { BundleView, GroupView } from '../../../src/core/webviewProtocol/bundleViewer';
import { synthea } from './fixtures';

function group(view: BundleView, type: string): GroupView {
  const g = view.groups.find((x) => x.type === type);
  assert.ok(g, `no ${type} group`);
  return g;
}

/** The row whose cells include `text` in the column `label`. */
function row(g: GroupView, label: string, text: string): string[] {
  const i = g.columns.findIndex((c) => c.label === label);
  const r = g.rows.find((x) => x.cells[i].t.includes(text));
  assert.ok(r, `no ${g.type} row with ${label} ~ ${text}`);
  return r.cells.map((c) => c.t);
}

function cellTitle(g: GroupView, label: string, text: string): string | undefined {
  const i = g.columns.findIndex((c) => c.label === label);
  return g.rows.find((x) => x.cells[i].t.includes(text))?.cells[i].h;
}

const VERSIONS: FhirVersion[] = ['r4', 'stu3', 'dstu2'];

describe('bundle viewer columns on the Synthea fixtures', () => {
  for (const version of VERSIONS) {
    describe(version, () => {
      const view = bundleView(synthea(version), { viewId: 'v', title: 't' });

      it('groups every entry by type, in order of first appearance', () => {
        assert.equal(view.groups[0].type, 'Patient');
        assert.equal(view.groups.reduce((a, g) => a + g.rows.length, 0), view.entries);
        assert.deepEqual(view.types, view.groups.map((g) => g.type));
      });

      it('Patient: name, gender, birth date, identifiers', () => {
        const g = group(view, 'Patient');
        assert.deepEqual(g.columns.map((c) => c.label), ['Name', 'Gender', 'Birth date', 'Identifiers']);
        const [name, gender, birth, ids] = row(g, 'Name', 'Bergstrom');
        assert.equal(name, 'Mr. Wm Bergstrom');
        assert.equal(gender, 'male');
        assert.equal(birth, '1990-11-18');
        assert.match(ids, /999-71-2777/);
      });

      it('Observation: code, value with unit, date, status; the code on hover', () => {
        const g = group(view, 'Observation');
        assert.deepEqual(g.columns.map((c) => c.label), ['Code', 'Value', 'Date', 'Status']);
        const [, value, date, status] = row(g, 'Code', 'Pain severity');
        assert.equal(value, '4 {score}');
        assert.equal(date, '2010-12-21 02:01');
        assert.equal(status, 'final');
        assert.match(cellTitle(g, 'Code', 'Pain severity') ?? '', /http:\/\/loinc\.org \| 72514-3/);
      });

      it('Condition: code, clinical status (string or CodeableConcept), onset, abatement', () => {
        const g = group(view, 'Condition');
        assert.deepEqual(row(g, 'Condition', 'Second degree burn').slice(1), ['resolved', '2010-09-18 03:01', '2010-10-23 03:01']);
      });

      it('Encounter: type, class in words (EMER is "emergency"), reason, period', () => {
        const g = group(view, 'Encounter');
        assert.deepEqual(g.columns.map((c) => c.label), ['Type', 'Class', 'Reason', 'Period', 'Status']);
        const [type, cls, , period] = row(g, 'Type', 'Emergency room admission');
        assert.equal(cls, 'emergency');
        assert.equal(type, 'Emergency room admission (procedure)');
        assert.equal(period, '2010-09-18 03:01 – 04:01');
        assert.deepEqual(row(g, 'Reason', 'Second degree burn').slice(0, 2), ["Encounter for 'check-up'", 'ambulatory']);
      });

      it(`${version === 'dstu2' ? 'MedicationOrder: medication, status, written' : 'MedicationRequest: medication, intent, status, authored'}`, () => {
        const g = group(view, version === 'dstu2' ? 'MedicationOrder' : 'MedicationRequest');
        if (version === 'dstu2') {
          assert.deepEqual(g.columns.map((c) => c.label), ['Medication', 'Status', 'Written', 'Prescriber', 'Dosage']);
          assert.deepEqual(row(g, 'Medication', 'Amoxicillin').slice(0, 3), ['Amoxicillin 500 MG Oral Tablet', 'stopped', '2010-09-18 03:01']);
        } else {
          assert.deepEqual(row(g, 'Medication', 'Amoxicillin').slice(0, 4), ['Amoxicillin 500 MG Oral Tablet', 'order', 'stopped', '2010-09-18 03:01']);
        }
      });

      it('Immunization: vaccine, date', () => {
        const g = group(view, 'Immunization');
        assert.deepEqual(row(g, 'Vaccine', 'Influenza').slice(0, 2), ['Influenza, seasonal, injectable, preservative free', '2013-01-20 02:01']);
      });

      it('Procedure, DiagnosticReport and Claim show their own columns', () => {
        assert.deepEqual(row(group(view, 'Procedure'), 'Procedure', 'wisdom tooth').slice(1), ['2010-12-21 02:01 – 02:16', '', 'completed']);
        const report = row(group(view, 'DiagnosticReport'), 'Report', 'Complete blood count');
        assert.equal(report[2], '2013-01-20 02:01');
        assert.match(report[3], /^\d+ results?$/);
        const claims = group(view, 'Claim');
        assert.deepEqual(claims.columns.map((c) => c.label), ['Type', 'Status', 'Billable period', 'Provider', 'Total']);
        assert.ok(claims.rows.some((r) => /\d+(\.\d+)? USD/.test(r.cells[4].t)), 'a claim total in USD');
      });

      it('CarePlan (named by its category and activities, not its status) and Organization have their own columns', () => {
        const g = group(view, 'CarePlan');
        assert.deepEqual(g.columns.map((c) => c.label), ['Plan', 'Activities', 'Status', 'Period']);
        assert.deepEqual(row(g, 'Plan', 'Burn care').slice(0, 3), ['Burn care', 'Dressing change management, Behavior to prevent sun exposure, Behavior to prevent infection', 'completed']);
        const org = group(view, 'Organization');
        assert.match(row(org, 'Name', 'BERKSHIRE')[2], /PITTSFIELD/);
      });
    });
  }

  it('R4 ExplanationOfBenefit shows its type, billable period and submitted total', () => {
    const g = group(bundleView(synthea('r4'), { viewId: 'v', title: 't' }), 'ExplanationOfBenefit');
    assert.ok(g.rows.every((r) => r.cells[2].t.startsWith('20')));
    assert.ok(g.rows.some((r) => /\d/.test(r.cells[4].t)));
  });

  it('any other type gets id, last updated and a summary from its fields (the narrative only when they say nothing)', () => {
    const div = '<div xmlns="http://www.w3.org/1999/xhtml"><p>Fall&nbsp;risk</p> <b>high</b></div>';
    const bundle = { resourceType: 'Bundle' as const, entry: [
      { resource: { resourceType: 'Flag', id: 'f1', meta: { lastUpdated: '2021-03-04T05:06:07Z' }, code: { text: 'Fall risk' }, text: { div: '<div>Generated narrative: everything</div>' } } },
      { resource: { resourceType: 'Flag', id: 'f2', text: { div } } },
    ] };
    const g = group(bundleView(bundle, { viewId: 'v', title: 't' }), 'Flag');
    assert.deepEqual(g.columns.map((c) => c.label), ['Id', 'Last updated', 'Summary']);
    assert.deepEqual(g.rows.map((r) => r.cells.map((c) => c.t)), [['f1', '2021-03-04 05:06', 'Fall risk'], ['f2', '', 'Fall risk high']]);
  });

  it('AllergyIntolerance in R4 and DSTU2 shapes', () => {
    const bundle = {
      resourceType: 'Bundle' as const,
      entry: [
        { resource: { resourceType: 'AllergyIntolerance', code: { coding: [{ system: 'http://snomed.info/sct', code: '300916003', display: 'Latex allergy' }] }, criticality: 'high', clinicalStatus: { coding: [{ code: 'active' }] }, recordedDate: '2019-02-03' } },
        { resource: { resourceType: 'AllergyIntolerance', substance: { text: 'Penicillin' }, criticality: 'CRITL', status: 'confirmed', recordedDate: '2012-05-06T10:00:00Z' } },
      ],
    };
    const g = group(bundleView(bundle, { viewId: 'v', title: 't' }), 'AllergyIntolerance');
    assert.deepEqual(g.rows.map((r) => r.cells.map((c) => c.t)), [
      ['Latex allergy', 'high', '', 'active', '2019-02-03'],
      ['Penicillin', 'low', '', 'confirmed', '2012-05-06 10:00'],
    ]);
    assert.equal(g.rows[1].cells[1].h, 'CRITL', 'the code stays on hover');
  });

  it('a resource of an unknown shape gives empty cells, not an error', () => {
    const bundle = { resourceType: 'Bundle' as const, entry: [{ resource: { resourceType: 'Observation', code: 42, valueQuantity: 'x', component: 'y' } }, { resource: undefined }, {}] };
    const view = bundleView(bundle as never, { viewId: 'v', title: 't' });
    assert.equal(view.groups.length, 1);
    assert.equal(view.groups[0].rows.length, 1);
  });

  it('passes the page links and paging the host worked out', () => {
    const view = bundleView(synthea('r4'), { viewId: 'v', title: 't', links: { next: true }, page: 2, pages: 3 });
    assert.deepEqual(view.links, { first: false, previous: false, next: true, last: false });
    assert.equal(view.page, 2);
    assert.equal(view.pages, 3);
    assert.equal(view.bundleType, 'transaction');
  });
});
