import * as assert from 'node:assert/strict';
import { fitResource, trimResource, TRIM_LEVELS } from '../../../src/core/tools/trim';

const observation = {
  resourceType: 'Observation',
  id: 'obs-1',
  meta: { versionId: '9000000000002', lastUpdated: '2024-01-02T03:04:05Z', security: [{ code: 'R' }], source: '#abc' },
  text: { status: 'generated', div: '<div xmlns="http://www.w3.org/1999/xhtml"><p>Glucose <b>95</b> mg/dL</p></div>' },
  status: 'final',
  code: { coding: [{ system: 'http://loinc.org', code: '2339-0', display: 'Glucose' }] },
  valueQuantity: { value: 95, unit: 'mg/dL' },
  note: Array.from({ length: 30 }, (_, i) => ({ text: `note ${i}` })),
  presentedForm: [{ contentType: 'application/pdf', data: 'A'.repeat(5000) }],
  comment: 'x'.repeat(1000),
};

describe('trimming resources for a model', () => {
  it('leaves the narrative out and says so, keeps FHIR\'s shape, cuts long texts and lists with markers', () => {
    const t = trimResource(observation, { ...TRIM_LEVELS[0], narrative: false });
    const v = t.value as Record<string, unknown>;
    assert.equal(v.text, undefined);
    assert.deepEqual(v.code, observation.code);
    assert.deepEqual(v.meta, { versionId: '9000000000002', lastUpdated: '2024-01-02T03:04:05Z' });
    assert.equal((v.note as unknown[]).length, TRIM_LEVELS[0].maxItems + 1);
    assert.equal((v.note as unknown[])[TRIM_LEVELS[0].maxItems], '… 18 more items');
    assert.equal((v.presentedForm as { data: string }[])[0].data, '[base64 data left out: 5000 characters]');
    assert.match(v.comment as string, /^x{400}… \[\+600 characters\]$/);
    assert.deepEqual(t.notes, [
      `narrative left out (${observation.text.div.length} characters of XHTML)`, '1 long text cut at 400 characters', '1 list cut to 12 items', "1 attachment's data left out",
    ]);
  });

  it('gives the narrative as plain text when asked (never its markup)', () => {
    const v = trimResource(observation, { ...TRIM_LEVELS[0], narrative: true }).value as { text: { div: string } };
    assert.equal(v.text.div, 'Glucose 95 mg/dL');
  });

  it('fits JSON into a budget with the mildest trim that fits, and cuts it only as the last resort', () => {
    const roomy = fitResource(observation, 5000);
    assert.ok(roomy.json.length <= 5000);
    assert.equal(roomy.cut, false);
    assert.equal(JSON.parse(roomy.json).id, 'obs-1');
    const tight = fitResource(observation, 700);
    assert.ok(tight.json.length <= 700, `${tight.json.length}`);
    assert.equal(JSON.parse(tight.json).valueQuantity.value, 95, 'a stronger trim level, still valid JSON');
    const tiny = fitResource(observation, 100);
    assert.equal(tiny.cut, true);
    assert.ok(tiny.json.length <= 101);
    assert.match(tiny.notes.join(';'), /JSON cut at 100 of \d+ characters/);
  });
});
