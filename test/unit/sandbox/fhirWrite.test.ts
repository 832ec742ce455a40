import * as assert from 'node:assert/strict';
import type { Bundle, OperationOutcome, Resource } from '../../../src/core/fhir/types';
import type { RunningSandbox } from '../../../src/core/sandbox';
import { allPages, appHeaders, bearer, bundle, call, sandbox, tokensFor } from './helpers';

function postJson<T = Resource>(url: string, body: unknown, headers: Record<string, string>) {
  return call<T>(url, { method: 'POST', headers: { 'content-type': 'application/fhir+json', ...headers }, body: typeof body === 'string' ? body : JSON.stringify(body) });
}

describe('sandbox: FHIR create, $everything and delete', () => {
  let sb: RunningSandbox;
  let alice: Record<string, string>;
  let aliceId: string;
  let patientId: string;
  before(async () => {
    sb = await sandbox();
    const t = await tokensFor(sb, 'alice');
    alice = bearer(t.access);
    aliceId = t.oneupUserId;
    patientId = sb.state.user(aliceId)!.patientIds[0];
  });
  after(() => sb.close());

  it('gives every new user a patient record with a history', async () => {
    const p = await bundle(`${sb.url}/fhir/r4/Patient`, alice);
    assert.equal(p.total, 1);
    assert.equal(p.entry![0].resource!.id, patientId);
    for (const type of ['Encounter', 'Observation', 'Immunization']) {
      assert.ok((await bundle(`${sb.url}/fhir/r4/${type}?_count=1`, alice)).total! > 0, type);
    }
  });

  it('creates a resource: 201, Location, id and meta; it is then readable and searchable', async () => {
    const obs = {
      resourceType: 'Observation', status: 'final', code: { text: 'Home glucose reading' },
      subject: { reference: `Patient/${patientId}` }, effectiveDateTime: '2025-05-01T08:00:00Z',
      valueQuantity: { value: 5.4, unit: 'mmol/L' },
    };
    const created = await postJson(`${sb.url}/fhir/r4/Observation`, obs, alice);
    assert.equal(created.status, 201);
    assert.ok(created.body.id);
    assert.match(created.body.id!, new RegExp(`^${patientId}[0-9a-f]{36}$`), 'a patient\'s record carries the patient\'s id');
    assert.equal(created.body.meta?.versionId, '9000000000001');
    assert.ok(created.body.meta?.lastUpdated);
    assert.equal(created.headers.get('location'), `${sb.url}/fhir/r4/Observation/${created.body.id}/_history/9000000000001`);
    assert.deepEqual((await call(`${sb.url}/fhir/r4/Observation/${created.body.id}`, { headers: alice })).body, created.body);
    const found = await bundle(`${sb.url}/fhir/r4/Observation?_content=home+glucose`, alice);
    assert.deepEqual(found.entry!.map((e) => e.resource!.id), [created.body.id]);
    assert.equal(sb.state.createdCount(), 1);
  });

  it('refuses bodies that are not the path\'s resource, with an OperationOutcome', async () => {
    const cases: [unknown, RegExp][] = [
      ['{not json', /not valid JSON/],
      [[1, 2], /JSON object/],
      [{ resourceType: 'Condition' }, /does not match the path/],
      [{ status: 'final' }, /resourceType is missing/],
      [{ resourceType: 'Observation', status: null }, /null/],
      [{ resourceType: 'Observation', category: [] }, /empty array/],
      [{ resourceType: 'Observation', id: 'has spaces' }, /id must be/],
      [{ resourceType: 'Observation', text: { status: 'generated', div: 'plain' } }, /text\.div/],
    ];
    for (const [body, why] of cases) {
      const a = await postJson<OperationOutcome>(`${sb.url}/fhir/r4/Observation`, body, alice);
      assert.equal(a.status, 400, JSON.stringify(body));
      assert.equal(a.body.resourceType, 'OperationOutcome');
      assert.match(a.body.issue![0].diagnostics!, why);
    }
  });

  it('keeps records created through one version\'s path in that version', async () => {
    const c = await postJson(`${sb.url}/fhir/dstu2/Condition`, {
      resourceType: 'Condition', patient: { reference: `Patient/${patientId}` }, code: { text: 'Seasonal allergies' }, verificationStatus: 'confirmed',
    }, alice);
    assert.equal(c.status, 201);
    assert.equal((await call(`${sb.url}/fhir/dstu2/Condition/${c.body.id}`, { headers: alice })).status, 200);
    assert.equal((await call(`${sb.url}/fhir/r4/Condition/${c.body.id}`, { headers: alice })).status, 404);
  });

  it('refuses to add records to a patient the token cannot see', async () => {
    const other = sb.state.user('demo-user-1')!.patientIds[0];
    const a = await postJson<OperationOutcome>(`${sb.url}/fhir/r4/Observation`, { resourceType: 'Observation', status: 'final', code: { text: 'x' }, subject: { reference: `Patient/${other}` } }, alice);
    assert.equal(a.status, 403);
  });

  it('pages Patient/{id}/$everything, Patient first, with _type and _since', async () => {
    const { resources, pages, totals } = await allPages(`${sb.url}/fhir/r4/Patient/${patientId}/$everything`, alice);
    assert.equal(resources[0].resourceType, 'Patient');
    assert.ok(pages > 1);
    assert.equal(resources.length, totals[0]);
    const types = new Set(resources.map((r) => r.resourceType));
    for (const t of ['Encounter', 'Observation', 'Condition']) assert.ok(types.has(t), t);
    const only = await allPages(`${sb.url}/fhir/r4/Patient/${patientId}/$everything?_type=Encounter,Condition&_count=50`, alice);
    assert.ok(only.resources.every((r) => r.resourceType === 'Encounter' || r.resourceType === 'Condition'));
    const since = await allPages(`${sb.url}/fhir/r4/Patient/${patientId}/$everything?_since=2025-05-01T00:00:00Z`, alice);
    assert.ok(since.resources.some((r) => (r.code as { text?: string } | undefined)?.text === 'Home glucose reading'));
    assert.ok(since.resources.length < resources.length);
    const bad = await call<OperationOutcome>(`${sb.url}/fhir/r4/Patient/${patientId}/$everything?_type=Nonsense`, { headers: alice });
    assert.equal(bad.status, 404);
    const encoded = await call<Bundle>(`${sb.url}/fhir/r4/Patient/${patientId}/%24everything?_count=1`, { headers: alice });
    assert.equal(encoded.status, 200);
  });

  it('deletes one resource (410 afterwards) and refuses unknown ones', async () => {
    const imm = (await bundle(`${sb.url}/fhir/r4/Immunization?_count=1`, alice)).entry![0].resource!;
    const del = await call<OperationOutcome>(`${sb.url}/fhir/r4/Immunization/${imm.id}`, { method: 'DELETE', headers: alice });
    assert.equal(del.status, 200);
    assert.equal((await call(`${sb.url}/fhir/r4/Immunization/${imm.id}`, { headers: alice })).status, 410);
    assert.equal((await call(`${sb.url}/fhir/r4/Immunization/nope-imm-1`, { method: 'DELETE', headers: alice })).status, 404);
  });

  it('DELETE $everything removes the patient\'s records: reads answer 410, searches are empty', async () => {
    const enc = (await bundle(`${sb.url}/fhir/r4/Encounter?_count=1`, alice)).entry![0].resource!;
    const del = await call<OperationOutcome>(`${sb.url}/fhir/r4/Patient/${patientId}/$everything`, { method: 'DELETE', headers: alice });
    assert.equal(del.status, 200);
    assert.equal(del.body.resourceType, 'OperationOutcome');
    assert.match(del.body.issue![0].diagnostics!, new RegExp(patientId));
    assert.equal((await call(`${sb.url}/fhir/r4/Encounter/${enc.id}`, { headers: alice })).status, 410);
    assert.equal((await call(`${sb.url}/fhir/r4/Patient/${patientId}`, { headers: alice })).status, 410);
    assert.equal((await call(`${sb.url}/fhir/dstu2/Patient/${patientId}`, { headers: alice })).status, 410);
    assert.equal((await bundle(`${sb.url}/fhir/r4/Observation`, alice)).total, 0);
    assert.equal((await call(`${sb.url}/fhir/r4/Patient/${patientId}/$everything`, { headers: alice })).status, 410);
    const client = await bundle(`${sb.url}/fhir/r4/Patient?_id=${patientId}`, appHeaders(sb));
    assert.equal(client.total, 0);
  });
});
