import * as assert from 'node:assert/strict';
import type { RunningSandbox } from '../../../src/core/sandbox';
import { appFields, bearer, call, post, sandbox, tokensFor } from './helpers';

// The request log is how tests check a client's requests against the endpoint table: it keeps
// where each parameter came (query, form, JSON body, headers), never a secret value.
describe('sandbox: request log', () => {
  let sb: RunningSandbox;
  before(async () => { sb = await sandbox(); });
  after(() => sb.close());
  const last = (path: string) => sb.state.calls().filter((c) => c.path === path).at(-1)!;

  it('keeps query parameters and form fields in order, with secret values masked', async () => {
    const { clientId, clientSecret } = sb.credentials;
    await call(`${sb.url}/connect/system/clinical?name=epic&client_id=${clientId}&client_secret=${clientSecret}`);
    assert.deepEqual(last('/connect/system/clinical').query, [['name', 'epic'], ['client_id', clientId], ['client_secret', '••••']]);
    await post(`${sb.url}/user-management/v1/user/auth-code`, { app_user_id: 'demo-user-1', ...appFields(sb) });
    const rec = last('/user-management/v1/user/auth-code');
    assert.deepEqual(rec.body, { kind: 'form', fields: [['app_user_id', 'demo-user-1'], ['client_id', clientId], ['client_secret', '••••']] });
    assert.equal(rec.headers['content-type'], 'application/x-www-form-urlencoded');
    assert.ok(!JSON.stringify(sb.state.calls()).includes(clientSecret));
  });

  it('keeps the form fields of a body no handler reads (grant permission), and headers with the bearer token masked', async () => {
    const t = await tokensFor(sb, 'demo-user-1');
    const grantee = sb.state.user('demo-user-2')!.oneupUserId;
    const path = `/fhir/dstu2/Patient/patientid/_permission/${grantee}`;
    const res = await post(`${sb.url}${path}`, appFields(sb), bearer(t.access), 'PUT');
    assert.equal(res.status, 200);
    const rec = last(path);
    assert.deepEqual(rec.body?.fields.map(([k]) => k), ['client_id', 'client_secret']);
    assert.equal(rec.headers.authorization, 'Bearer ••••');
    assert.ok(!JSON.stringify(rec).includes(t.access));
  });

  it('keeps the field names of a JSON body, not its values', async () => {
    const t = await tokensFor(sb, 'demo-user-1');
    await call(`${sb.url}/fhir/r4/Observation`, {
      method: 'POST', headers: { ...bearer(t.access), 'content-type': 'application/fhir+json' },
      body: JSON.stringify({ resourceType: 'Observation', status: 'final', code: { text: 'synthetic' } }),
    });
    assert.deepEqual(last('/fhir/r4/Observation').body, { kind: 'json', fields: [['resourceType', ''], ['status', ''], ['code', '']] });
  });
});
