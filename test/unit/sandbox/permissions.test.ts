import * as assert from 'node:assert/strict';
import type { OperationOutcome } from '../../../src/core/fhir/types';
import type { RunningSandbox } from '../../../src/core/sandbox';
import { allPages, appHeaders, bearer, call, sandbox, tokensFor } from './helpers';
import type { UserTokens } from './helpers';

describe('sandbox: permissions between users', () => {
  let sb: RunningSandbox;
  let owner: UserTokens;
  let friend: UserTokens;
  let ownerPatient: string;
  before(async () => {
    sb = await sandbox();
    owner = await tokensFor(sb, 'demo-user-4');
    friend = await tokensFor(sb, 'demo-user-5');
    ownerPatient = sb.state.user('demo-user-4')!.patientIds[0];
  });
  after(() => sb.close());

  const patientsSeenBy = async (t: UserTokens) =>
    (await allPages(`${sb.url}/fhir/r4/Patient?_count=100`, bearer(t.access))).resources.map((r) => r.id).sort();
  const permission = (method: string, as: UserTokens, target: string, patient = 'patientid') =>
    call<Record<string, unknown>>(`${sb.url}/fhir/dstu2/Patient/${patient}/_permission/${target}`, { method, headers: bearer(as.access) });

  it('grants and revokes what another user\'s token can read', async () => {
    const own = sb.state.user('demo-user-5')!.patientIds[0];
    assert.deepEqual(await patientsSeenBy(friend), [own]);
    assert.equal((await call(`${sb.url}/fhir/r4/Patient/${ownerPatient}`, { headers: bearer(friend.access) })).status, 404);

    const granted = await permission('PUT', owner, friend.oneupUserId);
    assert.equal(granted.status, 200);
    assert.deepEqual(granted.body, { oneUpUserId: Number(friend.oneupUserId), success: true });
    assert.deepEqual(await patientsSeenBy(friend), [own, ownerPatient].sort());
    assert.equal((await call(`${sb.url}/fhir/r4/Patient/${ownerPatient}`, { headers: bearer(friend.access) })).status, 200);
    const theirObs = await allPages(`${sb.url}/fhir/r4/Observation?patient=${ownerPatient}&_count=100`, bearer(friend.access));
    assert.ok(theirObs.resources.length > 0);
    assert.deepEqual(await patientsSeenBy(owner), [ownerPatient], 'the grant goes one way');
    assert.deepEqual(sb.state.grants(), [{ from: owner.oneupUserId, to: friend.oneupUserId, patient: '*' }]);

    const del = await call<OperationOutcome>(`${sb.url}/fhir/r4/Patient/${ownerPatient}/$everything`, { method: 'DELETE', headers: bearer(friend.access) });
    assert.equal(del.status, 403, 'read access does not allow deleting');

    const revoked = await permission('DELETE', owner, friend.oneupUserId);
    assert.equal(revoked.status, 200);
    assert.deepEqual(await patientsSeenBy(friend), [own]);
    assert.equal((await call(`${sb.url}/fhir/r4/Patient/${ownerPatient}`, { headers: bearer(friend.access) })).status, 404);
  });

  it('accepts a real patient id in place of the literal "patientid", but only the caller\'s own', async () => {
    assert.equal((await permission('PUT', owner, friend.oneupUserId, ownerPatient)).status, 200);
    assert.ok((await patientsSeenBy(friend)).includes(ownerPatient));
    assert.equal((await permission('PUT', owner, friend.oneupUserId, 'gen-0')).status, 403);
    await permission('DELETE', owner, friend.oneupUserId, ownerPatient);
    assert.ok(!(await patientsSeenBy(friend)).includes(ownerPatient));
  });

  it('refuses unknown users, granting to oneself, and app-wide callers', async () => {
    assert.equal((await permission('PUT', owner, '999')).status, 404);
    assert.equal((await permission('PUT', owner, owner.oneupUserId)).status, 400);
    const app = await call(`${sb.url}/fhir/dstu2/Patient/patientid/_permission/${friend.oneupUserId}`, { method: 'PUT', headers: appHeaders(sb) });
    assert.equal(app.status, 400);
  });

  it('lets the app read as one user through x-oneup-user-id', async () => {
    const asOwner = await allPages(`${sb.url}/fhir/r4/Patient`, appHeaders(sb, owner.oneupUserId));
    assert.deepEqual(asOwner.resources.map((r) => r.id), [ownerPatient]);
    assert.equal((await call(`${sb.url}/fhir/r4/Patient`, { headers: appHeaders(sb, '424242') })).status, 401);
  });
});
