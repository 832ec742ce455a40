import * as assert from 'node:assert/strict';
import { MockAgent } from 'undici';
import { asUser, type BearerSource } from '../../../src/core/api';
import { json, JSON_HEADERS, MOCK_CREDS, MOCK_ENV, mockClient, USER_AGENT } from './helpers';

interface Seen {
  origin: string;
  method: string;
  path: string;
  headers: Record<string, string>;
  body: string;
}

/** A MockAgent that answers every request from `answer` and records what the client sent. */
function recorder(answer: (s: Seen) => unknown) {
  const agent = new MockAgent();
  agent.disableNetConnect();
  const seen: Seen[] = [];
  for (const origin of ['https://api.mock.test', 'https://auth.mock.test']) {
    for (const method of ['GET', 'POST', 'PUT', 'DELETE']) {
      agent.get(origin).intercept({ path: () => true, method }).reply((o) => {
        const s: Seen = { origin, method, path: o.path, headers: o.headers as Record<string, string>, body: typeof o.body === 'string' ? o.body : '' };
        seen.push(s);
        return { statusCode: 200, data: json(answer(s)), responseOptions: { headers: JSON_HEADERS } };
      }).persist();
    }
  }
  return { agent, seen };
}

const form = (body: string) => Object.fromEntries(new URLSearchParams(body));
const query = (path: string) => Object.fromEntries(new URLSearchParams(path.split('?')[1] ?? ''));
const fixedToken: BearerSource = { accessToken: async () => 'user-access-token-1', renew: async () => 'user-access-token-2' };

// The exact requests the reference describes, seen on the wire.
describe('request shapes', () => {
  it('user management: keys as form fields on POST/PUT, as query parameters on GET', async () => {
    const { agent, seen } = recorder(() => ({ success: true, code: 'code-000001', oneup_user_id: '42', app_user_id: 'alice', active: true, oneUpUserId: 42 }));
    const { client } = mockClient(agent);
    await client.users.listUsers({ appUserId: 'alice' });
    await client.users.createUser('alice', { active: true });
    await client.users.updateUser('42', { appUserId: 'alice2', active: false });
    await client.users.createAuthCode({ oneupUserId: '42' });
    assert.deepEqual(seen.map((s) => `${s.method} ${s.path.split('?')[0]}`), [
      'GET /user-management/v1/user', 'POST /user-management/v1/user', 'PUT /user-management/v1/user', 'POST /user-management/v1/user/auth-code',
    ]);
    assert.deepEqual(query(seen[0].path), { app_user_id: 'alice', client_id: MOCK_CREDS.clientId, client_secret: MOCK_CREDS.clientSecret });
    const keys = { client_id: MOCK_CREDS.clientId, client_secret: MOCK_CREDS.clientSecret };
    assert.deepEqual(form(seen[1].body), { app_user_id: 'alice', active: 'true', ...keys });
    assert.deepEqual(form(seen[2].body), { oneup_user_id: '42', app_user_id: 'alice2', active: 'false', ...keys });
    // the auth code names the user by both ids: app_user_id (the reference's field) as the update renamed it
    assert.deepEqual(form(seen[3].body), { app_user_id: 'alice2', oneup_user_id: '42', ...keys });
    for (const s of seen.slice(1)) assert.equal(s.headers['content-type'], 'application/x-www-form-urlencoded');
    for (const s of seen) assert.equal(s.headers['user-agent'], USER_AGENT);
    await agent.close();
  });

  it('user management in an environment set to userManagementKeys: headers sends the keys only as headers', async () => {
    const { agent, seen } = recorder(() => ({ success: true, code: 'code-000001', oneup_user_id: '42', app_user_id: 'alice' }));
    const { client } = mockClient(agent, { environment: { ...MOCK_ENV, userManagementKeys: 'headers' } });
    await client.users.listUsers();
    await client.users.createAuthCode({ appUserId: 'alice' });
    assert.equal(seen[0].path, '/user-management/v1/user');
    assert.deepEqual(form(seen[1].body), { app_user_id: 'alice', oneup_user_id: '42' });
    for (const s of seen) assert.deepEqual([s.headers.client_id, s.headers.client_secret], [MOCK_CREDS.clientId, MOCK_CREDS.clientSecret]);
    await agent.close();
  });

  it('tokens: form POST to the token URL with the grant, code or refresh token and the keys', async () => {
    const { agent, seen } = recorder(() => ({ access_token: 'at-000001', refresh_token: 'rt-000001', token_type: 'Bearer', expires_in: 7200, scope: 'user/*.*' }));
    const { client } = mockClient(agent);
    const t = await client.tokens.exchangeCode('code-000001');
    await client.tokens.refreshToken('rt-000001');
    assert.equal(seen[0].origin, 'https://auth.mock.test');
    assert.equal(seen[0].path, '/oauth2/token');
    const keys = { client_id: MOCK_CREDS.clientId, client_secret: MOCK_CREDS.clientSecret };
    assert.deepEqual(form(seen[0].body), { grant_type: 'authorization_code', code: 'code-000001', ...keys });
    assert.deepEqual(form(seen[1].body), { grant_type: 'refresh_token', refresh_token: 'rt-000001', ...keys });
    assert.equal(t.expiresAt, Date.parse('2026-01-01T00:00:00Z') + 7_200_000);
    assert.equal(t.scope, 'user/*.*');
    await agent.close();
  });

  it('FHIR as a user sends the bearer token; as the app, the key headers with x-oneup-user-id: client', async () => {
    const { agent, seen } = recorder((s) => (s.method === 'DELETE' && !s.path.includes('_permission')
      ? { resourceType: 'OperationOutcome', issue: [{ severity: 'information', diagnostics: 'deleted' }] }
      : s.path.includes('_permission') ? { oneUpUserId: 77, success: true } : { resourceType: 'Bundle', entry: [] }));
    const { client } = mockClient(agent);
    await client.fhir('r4', asUser(fixedToken)).everything('pat-1', { _type: 'Observation' });
    await client.fhir('stu3').search('Patient');
    await client.fhir('r4', asUser(fixedToken)).deleteEverything('pat-1');
    await client.fhir('r4', asUser(fixedToken)).grantPermission('77');
    await client.fhir('r4', asUser(fixedToken)).revokePermission('77');
    await client.fhir('r4', asUser(fixedToken)).search('Patient');
    await client.fhir('r4', undefined).search('Patient');
    assert.deepEqual(seen.map((s) => `${s.method} ${s.path}`), [
      'GET /fhir/r4/Patient/pat-1/$everything?_type=Observation',
      'GET /fhir/stu3/Patient',
      'DELETE /fhir/r4/Patient/pat-1/$everything',
      'PUT /fhir/dstu2/Patient/patientid/_permission/77',
      'DELETE /fhir/dstu2/Patient/patientid/_permission/77',
      'GET /fhir/r4/Patient',
      'GET /fhir/r4/Patient',
    ]);
    assert.equal(seen[0].headers.authorization, 'Bearer user-access-token-1');
    assert.equal(seen[0].headers.client_secret, undefined);
    assert.equal(seen[1].headers.authorization, undefined);
    assert.deepEqual([seen[1].headers.client_id, seen[1].headers.client_secret, seen[1].headers['x-oneup-user-id']], [MOCK_CREDS.clientId, MOCK_CREDS.clientSecret, 'client']);
    await agent.close();
  });
});
