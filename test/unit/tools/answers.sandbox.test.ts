import * as assert from 'node:assert/strict';
import { asApp, asUser, type FhirClient } from '../../../src/core/api';
import { type Bundle, linkUrl, type Resource } from '../../../src/core/fhir/types';
import { answerChars } from '../../../src/core/tools/budget';
import { actingAs, readAnswer, searchAnswer } from '../../../src/core/tools/fhirAnswers';
import { PatientSummary } from '../../../src/core/tools/patientSummary';
import { resourceLine } from '../../../src/core/tools/describe';
import { type SandboxRig, startRig } from '../api/sandbox';

describe('tool answers from the sandbox\'s real bundles', () => {
  let rig: SandboxRig;
  let app: FhirClient;
  before(async () => {
    rig = await startRig({ patients: 5 });
    app = rig.client.fhir('r4', asApp());
  });
  after(() => rig.close());

  const base = { environment: 'Local Sandbox', version: 'r4', type: 'Observation', as: actingAs(undefined), offset: 0 };

  it('a search page: the total, a numbered line per resource, the next page id', async () => {
    const bundle = await app.search('Observation', { _count: 5 });
    const text = searchAnswer({ ...base, bundle, format: 'summary', next: 'page-7', maxChars: answerChars() });
    assert.match(text, new RegExp(`^FHIR search for Observation in “Local Sandbox” \\(R4\\) as the app \\(every user's data`));
    assert.match(text, new RegExp(`Matches: ${bundle.total}; this page has results 1–5\\.`));
    for (const [i, e] of (bundle.entry ?? []).entries()) assert.ok(text.includes(`${i + 1}. ${resourceLine(e.resource as Resource)}`));
    assert.match(text, new RegExp(`More available: ${bundle.total! - 5} more results\\. For the next page call oneup_searchFhir with \\{"page":"page-7"\\}\\.`));
  });

  it('a page of 100 resources as JSON stays within the budget and says how many were left out', async () => {
    const bundle = await app.search('Observation', { _count: 100 });
    assert.equal(bundle.entry?.length, 100);
    const raw = JSON.stringify(bundle).length;
    for (const budget of [answerChars(), answerChars(1000)]) {
      const text = searchAnswer({ ...base, bundle, format: 'json', next: 'page-1', maxChars: budget });
      assert.ok(text.length <= budget, `${text.length} > ${budget} (the raw page is ${raw})`);
      const shown = (text.match(/^\d+\. Observation\//gm) ?? []).length;
      const left = Number(/Not shown: the last (\d+) entries/.exec(text)?.[1]);
      assert.equal(shown + left, 100, text.slice(-400));
      assert.ok(shown >= 3, `${shown} shown`);
    }
  });

  it('a later page counts on from its offset; the last page says so', async () => {
    const bundle = await app.search('Patient', { _count: 100 });
    const text = searchAnswer({ ...base, type: 'Patient', bundle, format: 'summary', offset: 0, maxChars: answerChars() });
    assert.match(text, /This is the last page\./);
    const later = searchAnswer({ ...base, bundle: { ...bundle, entry: bundle.entry!.slice(0, 2) }, offset: 40, format: 'summary', maxChars: answerChars() });
    assert.match(later, /this page has results 41–42\./);
  });

  it('no matches: says so and what to try', async () => {
    const bundle = await app.search('Observation', { _content: 'zzzz-no-such-word-zzzz' });
    assert.match(searchAnswer({ ...base, bundle, format: 'summary', maxChars: answerChars() }), /No matches\.\nTry fewer or broader parameters/);
  });

  it('a read: the line, what was trimmed, compact JSON that parses', async () => {
    const bundle = await app.search('Patient', { _count: 1 });
    const patient = bundle.entry![0].resource!;
    const text = readAnswer({ resource: patient, environment: 'Local Sandbox', version: 'r4', as: 'as the app', narrative: false, maxChars: answerChars() });
    const lines = text.split('\n');
    assert.equal(lines[1], resourceLine(patient));
    assert.match(lines[2], /^Trimmed: narrative left out/);
    assert.equal(JSON.parse(lines[3]).id, patient.id);
  });

  it('a patient summary built page by page matches the record: counts per type, demographics, recent items', async () => {
    const fhir = rig.client.fhir('r4', asUser(rig.client.tokenManager('demo-user-1')));
    const patientId = (await fhir.search('Patient', { _count: 1 })).entry![0].resource!.id!;
    const summary = new PatientSummary(patientId);
    const counts = new Map<string, number>();
    let pages = 0;
    for await (const page of fhir.everythingPages(patientId, { _count: 7 })) {
      pages++;
      summary.addPage(page as Bundle);
      for (const e of page.entry ?? []) counts.set(e.resource!.resourceType, (counts.get(e.resource!.resourceType) ?? 0) + 1);
    }
    assert.ok(pages > 3, 'several pages');
    const text = summary.answer({ environment: 'Local Sandbox', version: 'r4', as: 'as user demo-user-1', patientId, recent: 4, truncated: false, maxChars: answerChars(), now: new Date('2026-01-01T00:00:00Z') });
    const total = [...counts.values()].reduce((a, b) => a + b, 0);
    assert.match(text, new RegExp(`Resources: ${total} in the record — `));
    for (const [type, n] of counts) assert.ok(text.includes(`${type} ${n}`), `${type} ${n}`);
    assert.match(text, /^Demographics: [^·]+ · (male|female) · born \d{4}-\d{2}-\d{2} · \d+ years/m);
    const recent = text.split('\n').filter((l) => /^- \d{4}-\d{2}-\d{2}/.test(l)).map((l) => l.slice(2, 12));
    assert.equal(recent.length, 4);
    assert.deepEqual([...recent].sort().reverse(), recent, 'newest first');
    assert.ok(text.length < JSON.stringify([...counts]).length + 4000, 'condensed');
  });

  it('the next link of a page is what the search tool pages with', async () => {
    const bundle = await app.search('Observation', { _count: 2 });
    assert.ok(linkUrl(bundle, 'next'));
  });
});
