import * as assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import type { Bundle, OperationOutcome, Resource } from '../../../src/core/fhir/types';
import type { RunningSandbox } from '../../../src/core/sandbox';
import { allPages, appHeaders, bearer, bundle, call, sandbox, tokensFor } from './helpers';

const run = promisify(execFile);

describe('sandbox: FHIR search', () => {
  let sb: RunningSandbox;
  let client: Record<string, string>;
  let user: Record<string, string>;
  before(async () => {
    sb = await sandbox({ patients: 6 });
    client = appHeaders(sb);
    user = bearer((await tokensFor(sb, 'demo-user-3')).access);
  });
  after(() => sb.close());

  it('pages 10 at a time by default, at most 100, to the last page through next links', async () => {
    const first = await bundle(`${sb.url}/fhir/r4/Observation`, client);
    assert.equal(first.type, 'searchset');
    assert.equal(first.entry?.length, 10);
    assert.ok(first.total! > 200);
    assert.equal((await bundle(`${sb.url}/fhir/r4/Observation?_count=500`, client)).entry?.length, 100);
    const { resources, pages, totals } = await allPages(`${sb.url}/fhir/r4/Observation?_count=100`, client);
    assert.equal(resources.length, first.total);
    assert.equal(pages, Math.ceil(first.total! / 100));
    assert.ok(totals.every((t) => t === first.total));
    assert.equal(new Set(resources.map((r) => r.id)).size, resources.length, 'no resource twice');
    assert.ok(resources.every((r) => r.resourceType === 'Observation'));
  });

  it('pages as production: no link on a single page, then self (no query) and next ?_afterid=<last id> keeping the search', async () => {
    const single = await bundle(`${sb.url}/fhir/r4/Patient?_count=100`, user);
    assert.equal(single.entry!.length, 1);
    assert.equal(single.link, undefined, 'a single page has no link at all');
    const p1 = await bundle(`${sb.url}/fhir/r4/Condition?_count=2&_content=disorder`, client);
    const self = p1.link!.find((l) => l.relation === 'self')!.url;
    assert.equal(self, `${sb.url}/fhir/r4/Condition`);
    assert.deepEqual(p1.link!.map((l) => l.relation), ['self', 'next']);
    const next = new URL(p1.link!.find((l) => l.relation === 'next')!.url);
    assert.equal(next.searchParams.get('_afterid'), p1.entry!.at(-1)!.resource!.id);
    assert.equal(next.searchParams.get('_content'), 'disorder');
    const p2 = await bundle(next.toString(), client);
    assert.notEqual(p2.entry![0].resource!.id, p1.entry![1].resource!.id);
    assert.ok(!p2.link!.some((l) => l.relation === 'previous' || l.relation === 'first'));
    // an _afterid written by hand (the page cache plays no part) lands on the same page
    const byHand = await bundle(`${sb.url}/fhir/r4/Condition?_content=disorder&_count=2&_afterid=${p1.entry![1].resource!.id}`, client);
    assert.deepEqual(byHand.entry!.map((e) => e.resource!.id), p2.entry!.map((e) => e.resource!.id));
    const unknown = await call<OperationOutcome>(`${sb.url}/fhir/r4/Condition?_afterid=000000000000`, { headers: client });
    assert.equal(unknown.status, 400);
    assert.equal(unknown.body.resourceType, 'OperationOutcome');
  });

  it('--mode spec links self, first, previous and next with an opaque cursor, and refuses a cursor from another search', async () => {
    const spec = await sandbox({ patients: 2, mode: 'spec' });
    try {
      const headers = appHeaders(spec);
      const p1 = await bundle(`${spec.url}/fhir/r4/Condition?_count=2`, headers);
      const next = p1.link!.find((l) => l.relation === 'next')!.url;
      assert.match(next, /_cursor=/);
      assert.ok(!p1.link!.some((l) => l.relation === 'previous'));
      const p2 = await bundle(next, headers);
      const prev = p2.link!.find((l) => l.relation === 'previous')!.url;
      assert.deepEqual((await bundle(prev, headers)).entry!.map((e) => e.resource!.id), p1.entry!.map((e) => e.resource!.id));
      assert.equal(p2.link!.find((l) => l.relation === 'self')!.url, next);
      const cursor = new URL(next).searchParams.get('_cursor')!;
      const wrong = await call<OperationOutcome>(`${spec.url}/fhir/r4/Condition?_count=2&_content=sinusitis&_cursor=${cursor}`, { headers });
      assert.equal(wrong.status, 400);
      assert.equal(wrong.body.resourceType, 'OperationOutcome');
    } finally {
      await spec.close();
    }
  });

  it('stops _skip at 9990 with an OperationOutcome', async () => {
    assert.equal((await call(`${sb.url}/fhir/r4/Observation?_skip=20&_count=5`, { headers: client })).status, 200);
    const far = await call<OperationOutcome>(`${sb.url}/fhir/r4/Observation?_skip=9991`, { headers: client });
    assert.equal(far.status, 400);
    assert.equal(far.body.issue?.[0].code, 'too-costly');
  });

  it('searches the whole resource text with _content (every word must appear)', async () => {
    const { resources } = await allPages(`${sb.url}/fhir/r4/Observation?_content=body+weight&_count=100`, client);
    assert.ok(resources.length > 5);
    assert.ok(resources.every((r) => JSON.stringify(r).toLowerCase().includes('body weight')));
    const none = await bundle(`${sb.url}/fhir/r4/Observation?_content=xylophone`, client);
    assert.equal(none.total, 0);
    assert.deepEqual(none.entry, []);
  });

  it('filters by _id, patient/subject, date ranges, _lastUpdated and code', async () => {
    const some = await bundle(`${sb.url}/fhir/r4/Encounter?_count=3`, client);
    const ids = some.entry!.map((e) => e.resource!.id!);
    assert.deepEqual((await bundle(`${sb.url}/fhir/r4/Encounter?_id=${ids.join(',')}`, client)).entry!.map((e) => e.resource!.id), ids);

    const patient = sb.state.generatedPatientId(2);
    const own = await allPages(`${sb.url}/fhir/r4/Observation?patient=${patient}&_count=100`, client);
    assert.ok(own.resources.length > 0);
    assert.ok(own.resources.every((r) => (r.subject as { reference: string }).reference === `Patient/${patient}`));
    const bySubject = await bundle(`${sb.url}/fhir/r4/Observation?subject=Patient/${patient}&_count=1`, client);
    assert.equal(bySubject.total, own.resources.length);

    const ranged = await allPages(`${sb.url}/fhir/r4/Encounter?date=ge2020-01-01&date=lt2022-01-01&_count=100`, client);
    assert.ok(ranged.resources.length > 0);
    for (const r of ranged.resources) {
      const start = Date.parse((r.period as { start: string }).start);
      assert.ok(start >= Date.UTC(2020, 0, 1) && start < Date.UTC(2022, 0, 1), String(r.period));
    }
    const recent = await allPages(`${sb.url}/fhir/r4/Condition?_lastUpdated=gt2024&_count=100`, client);
    assert.ok(recent.resources.every((r) => Date.parse(r.meta!.lastUpdated!) >= Date.UTC(2025, 0, 1)));
    const glucose = await allPages(`${sb.url}/fhir/r4/Observation?code=http://loinc.org|2339-0&_count=100`, client);
    assert.ok(glucose.resources.length > 0);
    assert.ok(glucose.resources.every((r) => JSON.stringify(r.code).includes('2339-0')));
    const bad = await call<OperationOutcome>(`${sb.url}/fhir/r4/Encounter?date=yesterday`, { headers: client });
    assert.equal(bad.status, 400);
  });

  it('answers _summary=count with the total only', async () => {
    const b = await bundle(`${sb.url}/fhir/r4/Patient?_summary=count`, client);
    assert.equal(b.total, sb.state.patientCount());
    assert.deepEqual(b.entry, []);
  });

  it('shows a user only their own records, and the app everything', async () => {
    const mine = await allPages(`${sb.url}/fhir/r4/Patient?_count=100`, user);
    assert.equal(mine.resources.length, 1);
    const theirs = sb.state.user('demo-user-3')!.patientIds[0];
    assert.equal(mine.resources[0].id, theirs);
    const obs = await allPages(`${sb.url}/fhir/r4/Observation?_count=100`, user);
    assert.ok(obs.resources.every((r) => (r.subject as { reference: string }).reference === `Patient/${theirs}`));
    const all = await bundle(`${sb.url}/fhir/r4/Patient`, client);
    assert.equal(all.total, sb.state.patientCount());
  });

  it('counts a new user\'s patient in the app-wide view at once', async () => {
    const before = (await bundle(`${sb.url}/fhir/r4/Patient?_summary=count`, client)).total!;
    await tokensFor(sb, 'newcomer');
    assert.equal((await bundle(`${sb.url}/fhir/r4/Patient?_summary=count`, client)).total, before + 1);
  });

  it('serves the same paths without /fhir, and answers unknown types and missing auth with OperationOutcome', async () => {
    const a = await bundle(`${sb.url}/r4/Patient?_count=1`, client);
    assert.equal(a.link![0].url, `${sb.url}/r4/Patient`);
    const unknown = await call<OperationOutcome>(`${sb.url}/fhir/r4/Spaceship`, { headers: user });
    assert.equal(unknown.status, 404);
    assert.equal(unknown.body.resourceType, 'OperationOutcome');
    const anon = await call<OperationOutcome>(`${sb.url}/fhir/r4/Patient`);
    assert.equal(anon.status, 401);
    assert.equal(anon.body.issue?.[0].code, 'login');
    const noUser = await call(`${sb.url}/fhir/r4/Patient`, { headers: { client_id: sb.credentials.clientId, client_secret: sb.credentials.clientSecret } });
    assert.equal(noUser.status, 401);
  });

  it('serves DSTU2 and STU3 shapes where they differ', async () => {
    const orders = await bundle(`${sb.url}/fhir/dstu2/MedicationOrder?_count=1`, client);
    const order = orders.entry![0].resource!;
    assert.equal(order.resourceType, 'MedicationOrder');
    assert.ok(order.patient && order.dateWritten && !order.subject && !order.authoredOn);
    assert.equal((await call(`${sb.url}/fhir/dstu2/MedicationRequest`, { headers: client })).status, 404);
    const cond2 = (await bundle(`${sb.url}/fhir/dstu2/Condition?_count=1`, client)).entry![0].resource!;
    assert.equal(typeof cond2.clinicalStatus, 'string');
    assert.ok(cond2.patient && !cond2.subject);
    const cond3 = (await bundle(`${sb.url}/fhir/stu3/Condition?_count=1`, client)).entry![0].resource!;
    assert.equal(typeof cond3.clinicalStatus, 'string');
    assert.ok(cond3.subject && !cond3.encounter);
    const obs2 = (await bundle(`${sb.url}/fhir/dstu2/Observation?_count=1`, client)).entry![0].resource!;
    assert.ok(!Array.isArray(obs2.category));
    assert.match(JSON.stringify(obs2.category), /hl7\.org\/fhir\/observation-category/);
    const obs4 = (await bundle(`${sb.url}/fhir/r4/Observation?_count=1`, client)).entry![0].resource!;
    assert.equal(obs2.id, obs4.id, 'the same record in each version');
    const p2 = (await bundle(`${sb.url}/fhir/dstu2/Patient?_count=1`, client)).entry![0].resource!;
    assert.equal(p2.resourceType, 'Patient');
  });

  it('reads by id: 404 when unknown, the resource when visible', async () => {
    const r4 = (await bundle(`${sb.url}/fhir/r4/Immunization?_count=1`, client)).entry![0].resource!;
    const read = await call<Resource>(`${sb.url}/fhir/r4/Immunization/${r4.id}`, { headers: client });
    assert.equal(read.status, 200);
    assert.deepEqual(read.body, r4);
    assert.match(r4.id!, /^[0-9a-f]{48}$/);
    assert.match(r4.meta!.versionId!, /^9\d{12}$/);
    assert.equal(read.headers.get('etag'), `W/"${r4.meta!.versionId}"`);
    const unknown = r4.id!.slice(0, 47) + (r4.id!.endsWith('0') ? '1' : '0');
    assert.equal((await call(`${sb.url}/fhir/r4/Immunization/${unknown}`, { headers: client })).status, 404);
    assert.equal((await call(`${sb.url}/fhir/r4/Immunization/${r4.id}`, { headers: user })).status, 404, 'another patient\'s record is not found');
  });

  it('carries narratives on generated records', async () => {
    const b = await bundle(`${sb.url}/fhir/r4/AllergyIntolerance?_count=100`, client);
    assert.ok(b.entry!.length > 0);
    for (const e of b.entry!) assert.match(String(e.resource!.text?.div), /^<div xmlns="http:\/\/www\.w3\.org\/1999\/xhtml">.+<\/div>$/);
  });

  it('answers curl with a FHIR Bundle', async () => {
    const { stdout } = await run('curl', ['-s', `${sb.url}/fhir/r4/Patient?_count=2`, '-H', `client_id: ${client.client_id}`,
      '-H', `client_secret: ${client.client_secret}`, '-H', 'x-oneup-user-id: client']);
    const b = JSON.parse(stdout) as Bundle;
    assert.equal(b.resourceType, 'Bundle');
    assert.equal(b.entry!.length, 2);
  });
});
