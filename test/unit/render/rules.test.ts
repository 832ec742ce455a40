import * as assert from 'node:assert/strict';
import type { FhirVersion } from '../../../src/core/environments';
import { isResourceType } from '../../../src/core/fhir/resourceTypes';
import type { Resource } from '../../../src/core/fhir/types';
import { bundleView } from '../../../src/core/render/bundleView';
import { describeResource, detailView } from '../../../src/core/render/detail';
import { textOfXhtml } from '../../../src/core/render/escape';
import { PatientRecord } from '../../../src/core/render/patientRecord';
import { describe as describeR, FALLBACK, RULES, ruleFor } from '../../../src/core/render/rules';
import { resourceLabel } from '../../../src/tree/labels';
import { allOf, hl7Example, hl7Examples, ONEUP_TYPES, productionLike, readBundle } from './labelFixtures';

const VERSIONS: FhirVersion[] = ['dstu2', 'stu3', 'r4'];

function narrativeText(r: Resource): string {
  const text = (r as { text?: { div?: unknown } }).text;
  return typeof text?.div === 'string' ? textOfXhtml(text.div) : '';
}

function byId(resources: Resource[], type: string, id: string): Resource {
  const r = resources.find((x) => x.resourceType === type && x.id === id);
  assert.ok(r, `${type}/${id}`);
  return r;
}

describe('label rules: one table for every type and version', () => {
  it('has a rule (not the fallback) for every type 1upHealth serves', () => {
    for (const type of ONEUP_TYPES) assert.notEqual(ruleFor(type), FALLBACK, type);
    assert.equal(ruleFor('Flag'), FALLBACK);
  });

  for (const version of VERSIONS) {
    it(`${version}: every type of the version gets a readable label from a realistic resource, never the narrative or Type/id`, () => {
      const all = allOf(version, ONEUP_TYPES);
      for (const type of ONEUP_TYPES.filter((t) => isResourceType(version, t))) {
        const of = all.filter((x) => x.resource.resourceType === type);
        assert.ok(of.length > 0, `${version} has a fixture of ${type}`);
        const labelled = of.filter(({ resource }) => {
          const { label } = resourceLabel(resource);
          return label !== `${type}/${resource.id}` && label !== narrativeText(resource);
        });
        assert.ok(labelled.length > 0, `${version} ${type}: no fixture got a label`);
      }
    });

    it(`${version}: never a narrative as a label, on every resource of every example (and never an error)`, () => {
      const all = allOf(version);
      assert.ok(all.length > (version === 'dstu2' ? 100 : 1000));
      let withNarrative = 0;
      for (const { source, resource } of all) {
        const d = describeR(resource);
        // the narrative has no say: the same resource without it reads the same everywhere
        const { text, ...bare } = resource as Resource & { text?: unknown };
        if (text !== undefined) withNarrative++;
        assert.deepEqual(describeR(bare as Resource), d, `${source} ${resource.resourceType}/${resource.id}`);
        assert.deepEqual(resourceLabel(bare as Resource), resourceLabel(resource), source);
        assert.equal(describeResource(bare as Resource), describeResource(resource), source);
        assert.doesNotMatch(d.label.t, /Generated Narrative|Patient Name\s*:/i, source);
      }
      assert.ok(withNarrative >= 5, 'the fixtures carry narratives');
    });
  }
});

describe('label rules on production-like DSTU2 (tree labels, columns, detail titles, timeline)', () => {
  const resources = productionLike('dstu2');

  it('names every resource in the tree with what it is about, and dates the ones that happened', () => {
    const expected: [string, string, string, string][] = [
      ['Patient', 'a1b2c3d4e5f6a1b2c3d4e5f6a1b2c3d4e5f6a1b2c3d4e5f6', 'Rivera, Alexis T', '1978-03-04 · female'],
      ['Practitioner', '4f2e1d0c9b8a', 'Jordan Q Lee, MD', 'Doctor'],
      ['Encounter', '106df2011222', 'Emergency', 'Chest pain · 2019-01-20 18:08'],
      ['Encounter', '106df2011223', 'Outpatient encounter', '2018-06-01 09:00'],
      ['Observation', '2b3c4d5e6f70', 'Heart rate', '88 /min · 2019-01-20 18:30'],
      ['Condition', '3c4d5e6f7081', 'Chest pain', 'active · 2019-01-20 17:00'],
      ['Procedure', '4d5e6f708192', 'ECG', 'Chest pain · 2019-01-20 18:40'],
      ['AllergyIntolerance', '5e6f708192a0', 'Latex', 'low criticality · Rash · 2017-01-15 10:00'],
      ['AllergyIntolerance', '5e6f708192a1', 'Penicillin', 'high criticality · Anaphylaxis · 2017-02-15 10:00'],
      ['AllergyIntolerance', '5e6f708192a2', 'Shellfish', 'unable to assess criticality · Hives · 2017-03-15 10:00'],
      ['MedicationStatement', '6f708192a3b4', 'amLODIPine 5 mg oral tablet', '5 mg, Oral, Daily · 2019-01-20 18:08'],
      ['MedicationOrder', '708192a3b4c5', 'aspirin 81 mg oral tablet, chewable', '81 mg, Oral, Daily · 2019-01-21 01:30'],
      ['MedicationDispense', '8192a3b4c5d6', 'aspirin 81 mg oral tablet, chewable', '30 tablet · 30 days · 2019-01-21 09:00'],
      ['MedicationAdministration', '92a3b4c5d6e7', 'nitroglycerin 0.4 mg sublingual tablet', '0.4 mg · 2019-01-20 18:45'],
      ['Medication', 'a3b4c5d6e7f8', 'aspirin 81 MG Oral Tablet', 'Tablet, chewable'],
      ['Immunization', 'b4c5d6e7f809', 'Influenza, seasonal, injectable, preservative free', 'lot SYN123 · 2018-10-02 11:00'],
      ['DiagnosticReport', 'c5d6e7f8091a', 'XR Chest 2 Views', 'HTML, PDF · 2019-01-20 19:10'],
      ['DocumentReference', 'd6e7f8091a2b', 'Discharge summary', 'ED discharge summary · PDF, text · 2019-01-21 02:20'],
      ['CarePlan', 'e7f8091a2b3c', 'Angina self management plan', 'Low salt diet, Daily walk, 30 minutes · 2019-01-21'],
      ['Goal', 'f8091a2b3c4d', 'Blood pressure below 130/80', 'due 2019-07-01 · 2019-01-21'],
      ['FamilyMemberHistory', '091a2b3c4d5e', 'Father (Robert Rivera)', 'Myocardial infarction (onset 61 years), Type 2 diabetes · deceased · 2019-01-20'],
      ['RelatedPerson', '1a2b3c4d5e60', 'Morgan Rivera', 'sister · of Rivera, Alexis T'],
      ['DetectedIssue', '2b3c4d5e6f71', 'Drug Interaction Alert', 'high severity · aspirin and warfarin together raise the risk of bleeding · 2019-01-21 01:31'],
      ['Device', '3c4d5e6f7082', 'Cardiac pacemaker', 'Synthetic Devices Inc PM-2000 · UDI (01)00844588003288(17)141120(10)7654321D(21)10987654d321'],
      ['Coverage', '4d5e6f708193', 'Synthetic Health Plan · Gold PPO', 'extended healthcare · subscriber SUB-77001 · 2018-01-01'],
      ['Claim', '5e6f708192a5', 'Professional claim', '540.5 USD · Jordan Q Lee, MD · 2019-01-22'],
      ['ExplanationOfBenefit', '6f708192a3b5', 'Claim settled as per contract.', 'Synthetic Health Plan · 2019-02-10'],
      ['Provenance', '708192a3b4c6', 'legally authenticated', 'Jordan Q Lee, MD · 2 targets · 2019-01-21 03:00'],
      ['ImagingStudy', '8192a3b4c5d7', 'XR Chest 2 Views', 'DX · 1 series, 2 instances · 2019-01-20 19:05'],
      ['Location', '6f5e4d3c2b1a', 'Baseline East ED', 'Emergency room'],
      ['Organization', '1a2b3c4d5e6f', 'Springfield Synthetic Medical Center', 'Healthcare Provider · 100 Main St, Springfield, MO 65802'],
    ];
    for (const [type, id, label, description] of expected) {
      const l = resourceLabel(byId(resources, type, id));
      assert.deepEqual([l.label, l.description ?? ''], [label, description], `${type}/${id}`);
    }
    assert.equal(expected.length, resources.length, 'every resource of the fixture is checked');
  });

  it('Encounter: a Cerner-style narrative is never the label, title or timeline title; type, class and reason are', () => {
    const enc = byId(resources, 'Encounter', '106df2011222');
    assert.match(narrativeText(enc), /Patient Name: Rivera, Alexis T Location: Baseline East/, 'narrative text without a stray space before each colon');
    assert.equal(describeResource(enc), 'Encounter · Emergency');
    assert.equal(detailView(enc).view.title, 'Encounter · Emergency');
    const g = bundleView({ resourceType: 'Bundle', entry: resources.map((resource) => ({ resource })) }, { viewId: 'v', title: 't' }).groups.find((x) => x.type === 'Encounter')!;
    assert.deepEqual(g.rows[0].cells.map((c) => c.t), ['Emergency', 'emergency', 'Chest pain', '2019-01-20 18:08 – 2019-01-21 02:11', 'finished']);
    const record = new PatientRecord();
    const items = record.addPage({ resourceType: 'Bundle', entry: resources.map((resource) => ({ resource })) });
    const item = items.find((i) => i.type === 'Encounter' && i.title.t === 'Emergency');
    assert.ok(item);
    assert.equal(item.date.t, '2019-01-20 18:08');
    assert.equal(item.detail?.t, 'Chest pain');
  });

  it('AllergyIntolerance criticality in words for every version: CRITL/CRITH/CRITU, low/high/unable-to-assess (the code on hover)', () => {
    const crit = (r: object) => RULES.AllergyIntolerance.columns.find((c) => c.label === 'Criticality')!.value(r as never);
    assert.deepEqual(['5e6f708192a0', '5e6f708192a1', '5e6f708192a2'].map((id) => crit(byId(resources, 'AllergyIntolerance', id))), [
      { t: 'low', h: 'CRITL' }, { t: 'high', h: 'CRITH' }, { t: 'unable to assess', h: 'CRITU' },
    ]);
    assert.deepEqual(crit({ criticality: 'unable-to-assess' }), { t: 'unable to assess', h: 'unable-to-assess' });
    assert.equal(crit(hl7Example('stu3', 'AllergyIntolerance-example.json')).t, 'high');
    assert.equal(crit(hl7Example('r4', 'AllergyIntolerance-example.json')).t, 'high');
    assert.equal(crit(byId(productionLike('r4'), 'AllergyIntolerance', '9a0b1c2d3e4f')).t, 'unable to assess');
  });

  it('MedicationStatement: columns named by what they hold (Effective, not Authored), an open period in words, tree labels dated', () => {
    const g = bundleView({ resourceType: 'Bundle', entry: resources.map((resource) => ({ resource })) }, { viewId: 'v', title: 't' }).groups.find((x) => x.type === 'MedicationStatement')!;
    assert.deepEqual(g.columns.map((c) => c.label), ['Medication', 'Status', 'Effective', 'Asserted', 'Dosage']);
    assert.deepEqual(g.rows[0].cells.map((c) => c.t), ['amLODIPine 5 mg oral tablet', 'active', 'since 2019-01-20 18:08', '2019-01-20 19:00', '5 mg, Oral, Daily']);
    for (const r of [byId(productionLike('r4'), 'MedicationStatement', '8f9a0b1c2d3e'), ...hl7Examples('r4', ['MedicationStatement']).map((x) => x.resource)]) {
      const d = describeR(r);
      if (d.date.cell.t) assert.match(resourceLabel(r).description ?? '', new RegExp(d.date.cell.t), 'the date is in the tree description');
    }
    assert.match(resourceLabel(byId(productionLike('r4'), 'MedicationStatement', '8f9a0b1c2d3e')).description ?? '', /2019-01-20 18:08$/);
  });

  it('CarePlan: named by title, category or activities, never by its status', () => {
    assert.equal(resourceLabel(byId(resources, 'CarePlan', 'e7f8091a2b3c')).label, 'Angina self management plan');
    assert.equal(resourceLabel(hl7Example('r4', 'CarePlan-example.json')).label, 'Weight management plan');
    assert.equal(resourceLabel(hl7Example('r4', 'CarePlan-f201.json')).label, 'Potassium supplementation, Echography of kidney');
    // Synthea's first category is US Core's generic assess-plan: the specific one names the plan
    const synthea = allOf('r4', ['CarePlan']).filter((x) => x.source.startsWith('synthea'));
    assert.ok(synthea.length > 0);
    for (const { resource } of synthea) {
      const label = resourceLabel(resource).label;
      assert.notEqual(label, (resource as { status?: string }).status);
      assert.doesNotMatch(label, /assess-plan/);
    }
  });

  it('RelatedPerson: name and relationship (DSTU2 single name with a family list, R4 relationship list)', () => {
    assert.deepEqual(resourceLabel(byId(resources, 'RelatedPerson', '1a2b3c4d5e60')), { label: 'Morgan Rivera', description: 'sister · of Rivera, Alexis T', tooltip: undefined });
    const benedicte = resourceLabel(hl7Example('r4', 'RelatedPerson-benedicte.json'));
    assert.equal(benedicte.label, 'Bénédicte du Marché');
    assert.match(benedicte.description ?? '', /next of kin/);
    assert.match(resourceLabel(hl7Example('stu3', 'RelatedPerson-f001.json')).description ?? '', /significant other/);
  });

  it('FamilyMemberHistory: relationship and conditions, not only a name', () => {
    const father = resourceLabel(hl7Example('r4', 'FamilyMemberHistory-father.json'));
    assert.equal(father.label, 'Father');
    assert.match(father.description ?? '', /^Heart Attack \(onset 74 years\)/);
    assert.match(resourceLabel(hl7Example('stu3', 'FamilyMemberHistory-mother.json')).description ?? '', /Stroke/);
  });

  it('DiagnosticReport with presentedForm: its attachments in the Contents column and the detail, not an empty Results', () => {
    const report = byId(resources, 'DiagnosticReport', 'c5d6e7f8091a');
    const g = bundleView({ resourceType: 'Bundle', entry: [{ resource: report }] }, { viewId: 'v', title: 't' }).groups[0];
    assert.equal(g.rows[0].cells[g.columns.findIndex((c) => c.label === 'Contents')].t, 'HTML, PDF');
    const { view, attachments } = detailView(report);
    assert.equal(attachments.length, 3);
    assert.deepEqual(view.attachments?.map((a) => [a.title, a.kind, a.where]), [
      ['XR Chest 2 Views', 'HTML', 'presentedForm[0]'], ['XR Chest 2 Views.pdf', 'PDF', 'presentedForm[1]'], ['PDF attachment', 'PDF', 'presentedForm[2]'],
    ]);
    assert.match(view.attachments![2].details, /stored on the server/);
    assert.ok(!view.fieldsHtml.includes((report as unknown as { presentedForm: { data: string }[] }).presentedForm[1].data.slice(0, 40)), 'no base64 in the fields');
    assert.equal(hl7Examples('r4', ['DiagnosticReport']).filter((x) => describeR(x.resource).facts.t.includes('PDF')).length > 0, true);
  });

  it('Procedure: the date once on the timeline (not again as the detail), and in the tree description', () => {
    const all = [...resources, ...allOf('r4', ['Procedure']).map((x) => x.resource)];
    const record = new PatientRecord();
    const items = record.addPage({ resourceType: 'Bundle', entry: all.map((resource) => ({ resource })) }).filter((i) => i.type === 'Procedure');
    assert.ok(items.length > 5);
    for (const i of items) {
      if (i.date.t && i.detail) assert.ok(!i.detail.t.includes(i.date.t.slice(0, 10)), `${i.title.t}: date repeated in "${i.detail.t}"`);
    }
    for (const r of all.filter((x) => x.resourceType === 'Procedure')) {
      const d = describeR(r);
      if (d.date.cell.t) assert.ok(resourceLabel(r).description?.endsWith(d.date.cell.t), `${r.id}: ${resourceLabel(r).description}`);
    }
  });

  it('the patient record puts every dated clinical type on the timeline, with its title from the same rules', () => {
    const record = new PatientRecord();
    const items = record.addPage(readBundle('test/fixtures/dstu2/production-like.json'));
    const types = new Set(items.map((i) => i.type));
    for (const t of ['Encounter', 'Condition', 'Observation', 'Procedure', 'AllergyIntolerance', 'MedicationStatement', 'MedicationOrder', 'MedicationDispense', 'MedicationAdministration', 'Immunization', 'DiagnosticReport', 'DocumentReference', 'CarePlan', 'Goal', 'ImagingStudy']) {
      assert.ok(types.has(t), t);
    }
    for (const i of items) {
      const r = record.resource(i.key)!;
      assert.equal(i.title.t, resourceLabel(r).label, 'the same words as the tree');
      assert.ok(i.time !== undefined, `${i.type} is dated`);
    }
    assert.ok(!types.has('Patient') && !types.has('Organization') && !types.has('Coverage'));
  });
});
