import * as assert from 'node:assert/strict';
import { detailView } from '../../../src/core/render/detail';
import { resourcesOf, synthea } from './fixtures';

describe('resource detail', () => {
  it('shows every field, references as numbered links, codings with their codes on hover', () => {
    const obs = resourcesOf(synthea('r4'), 'Observation')[0];
    const { view, references } = detailView(obs, { key: 3, fromServer: true });
    assert.equal(view.key, 3);
    assert.equal(view.title, `Observation · ${(obs.code as { text: string }).text}`);
    assert.match(view.subtitle ?? '', new RegExp(`id ${obs.id}`));
    assert.equal(view.fromServer, true);
    assert.equal(view.isPatient, false);
    assert.deepEqual(references, [(obs.subject as { reference: string }).reference, (obs.encounter as { reference: string }).reference]);
    assert.match(view.fieldsHtml, /<a href="#" class="ref" data-ref="0" title="urn:uuid:[^"]+">urn:uuid:/);
    assert.match(view.fieldsHtml, /title="http:\/\/loinc\.org \| \d+-\d"/);
    for (const key of Object.keys(obs).filter((k) => k !== 'resourceType' && k !== 'text')) {
      assert.ok(view.fieldsHtml.includes(`<dt>${key}</dt>`), key);
    }
    assert.deepEqual(JSON.parse(view.json), obs);
  });

  it('names references to resources at hand instead of showing their address', () => {
    const obs = resourcesOf(synthea('r4'), 'Observation')[0];
    const subject = (obs.subject as { reference: string }).reference;
    const { view } = detailView(obs, { describeReference: (ref) => (ref === subject ? 'Patient · Mr. Wm Bergstrom' : undefined) });
    assert.match(view.fieldsHtml, new RegExp(`data-ref="0" title="${subject}">Patient · Mr\\. Wm Bergstrom</a>`));
    assert.match(view.fieldsHtml, /data-ref="1" title="urn:uuid:[^"]+">urn:uuid:/);
  });

  it('passes the narrative on raw (the webview sanitizes it) and keeps it out of the fields', () => {
    const patient = resourcesOf(synthea('dstu2'), 'Patient')[0];
    const { view } = detailView(patient);
    assert.equal(view.narrative, (patient.text as { div: string }).div);
    assert.ok(!view.fieldsHtml.includes('<dt>text</dt>'));
    assert.equal(view.isPatient, true);
    assert.equal(view.title, 'Patient · Mr. Wm Bergstrom');
  });

  it('escapes keys and values, whatever the data holds', () => {
    const evil = '<img src=x onerror=alert(1)>';
    const { view } = detailView({ resourceType: 'Basic', id: 'b', [evil]: evil, note: [{ text: evil }], code: { text: evil }, subject: { reference: `Patient/1" onclick="alert(1)`, display: evil } } as never);
    assert.ok(!view.fieldsHtml.includes('<img'));
    assert.ok(!view.fieldsHtml.includes('onclick="'));
    assert.ok(!view.fieldsHtml.includes('onerror="'));
    assert.ok(view.fieldsHtml.includes('&lt;img src=x onerror=alert(1)&gt;'));
  });

  it('shows contained resources and extensions by name, with the URL on hover', () => {
    const eob = resourcesOf(synthea('r4'), 'ExplanationOfBenefit')[0];
    const { view } = detailView(eob);
    assert.match(view.fieldsHtml, /<div class="contained-head">ServiceRequest #referral<\/div>/);
    const patient = resourcesOf(synthea('r4'), 'Patient')[0];
    assert.match(detailView(patient).view.fieldsHtml, /<span class="ext" title="http:\/\/hl7\.org\/fhir\/StructureDefinition\/patient-birthPlace">patient-birthPlace<\/span>/);
  });

  it('stops at a size a pane can hold and says so', () => {
    const many = Object.fromEntries(Array.from({ length: 25_000 }, (_, i) => [`f${i}`, i]));
    const { view } = detailView({ resourceType: 'Basic', ...many });
    assert.match(view.fieldsHtml, /too large to show every field/);
    let deep: Record<string, unknown> = { leaf: 'x' };
    for (let i = 0; i < 50; i++) deep = { nested: deep };
    assert.match(detailView({ resourceType: 'Basic', deep } as never).view.fieldsHtml, /too large/);
  });

  it('says whether it can go back', () => {
    assert.equal(detailView({ resourceType: 'Basic' }, { canGoBack: true }).view.canGoBack, true);
    assert.equal(detailView({ resourceType: 'Basic' }).view.canGoBack, false);
  });
});
