import * as assert from 'node:assert/strict';
import { asUser, type FhirClient } from '../../../src/core/api';
import { ApiError, InputError } from '../../../src/core/errors';
import { type Bundle, linkUrl, type Resource } from '../../../src/core/fhir/types';
import { type SandboxRig, startRig } from './sandbox';

const ids = (b: Bundle) => (b.entry ?? []).map((e) => `${e.resource?.resourceType}/${e.resource?.id}`);

describe('FHIR against the sandbox', () => {
  let rig: SandboxRig;
  let fhir: FhirClient;
  let patient: Resource;
  before(async () => {
    rig = await startRig();
    fhir = rig.client.fhir('r4', asUser(rig.client.tokenManager('demo-user-1')));
    const b = await fhir.search('Patient');
    patient = b.entry?.[0].resource as Resource;
    assert.ok(patient?.id, 'demo-user-1 has a Patient');
  });
  after(() => rig.close());

  it('search answers one Bundle page of at most _count entries with a next link', async () => {
    const b = await fhir.search('Observation', { _count: 3 });
    assert.equal(b.resourceType, 'Bundle');
    assert.equal(b.entry?.length, 3);
    assert.ok(linkUrl(b, 'next'));
  });

  it('pages follows next links through at least 5 pages without repeating a resource', async () => {
    const seen: string[] = [];
    let pages = 0;
    for await (const page of fhir.pages('Observation', { _count: 2 }, { maxPages: 6 })) {
      pages++;
      seen.push(...ids(page));
    }
    assert.equal(pages, 6);
    assert.equal(new Set(seen).size, seen.length);
    assert.equal(seen.length, 12);
  });

  it('fetchPage follows production\'s next link (?_afterid=<last id>) as given', async () => {
    const first = await fhir.search('Observation', { _count: 2 });
    const next = linkUrl(first, 'next') as string;
    assert.equal(new URL(next).searchParams.get('_afterid'), first.entry!.at(-1)!.resource!.id);
    const second = await fhir.fetchPage(next);
    assert.equal(second.entry!.length, 2);
    assert.ok(!ids(second).some((id) => ids(first).includes(id)));
    assert.equal(linkUrl(second, 'previous'), undefined, 'production links no previous page');
  });

  it('_content finds a patient by text anywhere in the resource', async () => {
    const family = ((patient.name as { family?: string | string[] }[])[0].family);
    const name = Array.isArray(family) ? family[0] : family;
    const b = await fhir.search('Patient', { _content: name });
    assert.ok(ids(b).includes(`Patient/${patient.id}`), ids(b).join());
  });

  it('read answers the resource; an unknown id is an ApiError 404 with the OperationOutcome text', async () => {
    const p = await fhir.read('Patient', patient.id as string);
    assert.equal(p.id, patient.id);
    const err = await fhir.read('Patient', 'no-such-patient').catch((e: unknown) => e);
    assert.ok(err instanceof ApiError);
    assert.equal(err.status, 404);
    assert.ok(err.message.length > 3 && err.message !== '404 Not Found', err.message);
  });

  it('create checks the type against the version and answers the stored resource', async () => {
    const made = await fhir.create<Resource>({
      resourceType: 'Observation', status: 'final', code: { text: 'Body weight' },
      subject: { reference: `Patient/${patient.id}` }, valueQuantity: { value: 70, unit: 'kg' },
    });
    assert.ok(made.id);
    assert.equal((await fhir.read('Observation', made.id)).id, made.id);
    const posts = rig.count('POST /fhir/r4/');
    await assert.rejects(fhir.create({ resourceType: 'MedicationOrder' }), InputError); // DSTU2 only
    await assert.rejects(fhir.create({ resourceType: 'Banana' }), InputError);
    assert.equal(rig.count('POST /fhir/r4/'), posts);
  });

  it('everything pages through all of one patient\'s resources', async () => {
    const first = await fhir.everything(patient.id as string, { _count: 5 });
    assert.ok((first.entry?.length ?? 0) > 0);
    const all: string[] = [];
    for await (const page of fhir.everythingPages(patient.id as string, { _count: 5 }, { maxPages: 50 })) all.push(...ids(page));
    assert.ok(all.includes(`Patient/${patient.id}`));
    assert.equal(new Set(all).size, all.length);
  });

  it('the app acting as `client` reads across all users', async () => {
    const app = rig.client.fhir('r4');
    const b = await app.search('Patient', { _count: 100 });
    assert.ok((b.entry?.length ?? 0) > 1, 'more than one user\'s patient');
  });

  it('grantPermission lets another user read, revokePermission takes it back', async () => {
    const [other] = await rig.client.users.listUsers({ appUserId: 'demo-user-2' });
    const asOther = rig.client.fhir('r4', asUser(rig.client.tokenManager('demo-user-2')));
    const visible = async () => ids(await asOther.search('Patient', { _count: 100 })).includes(`Patient/${patient.id}`);
    assert.equal(await visible(), false);
    assert.deepEqual(await fhir.grantPermission(other.oneupUserId), { oneupUserId: other.oneupUserId, success: true });
    assert.equal(await visible(), true);
    assert.equal((await fhir.revokePermission(other.oneupUserId)).success, true);
    assert.equal(await visible(), false);
  });

  it('deleteEverything answers the OperationOutcome and the patient\'s data is gone', async () => {
    const other = rig.client.fhir('r4', asUser(rig.client.tokenManager('demo-user-2')));
    const p = (await other.search('Patient')).entry?.[0].resource as Resource;
    const oo = await other.deleteEverything(p.id as string);
    assert.equal(oo.resourceType, 'OperationOutcome');
    assert.ok(JSON.stringify(oo.issue).includes(p.id as string));
    const after = await other.search('Observation', { patient: p.id as string });
    assert.equal(after.entry?.length ?? 0, 0);
  });
});
