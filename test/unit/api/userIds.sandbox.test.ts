import * as assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { MockAgent } from 'undici';
import { asUser } from '../../../src/core/api';
import { startBulkExport } from '../../../src/core/bulkExport';
import type { CallRecord } from '../../../src/core/sandbox';
import { json, JSON_HEADERS, MOCK_CREDS, mockClient } from './helpers';
import { type SandboxRig, startRig } from './sandbox';

const AUTH_CODE = '/user-management/v1/user/auth-code';
const form = (rec: CallRecord) => Object.fromEntries((rec.body?.fields ?? []).filter(([k]) => !k.startsWith('client_')));

describe('auth codes name the user by app_user_id (the reference\'s field) and oneup_user_id', () => {
  let rig: SandboxRig;
  beforeEach(async () => {
    rig = await startRig();
  });
  afterEach(() => rig.close());

  /** Requests the sandbox saw after `from`, as `METHOD path` with the auth-code form (keys left out). */
  const since = (from: number) => rig.sb.state.calls().slice(from).map((c) => (c.path === AUTH_CODE ? `${c.method} ${c.path} ${JSON.stringify(form(c))}` : `${c.method} ${c.path}`));
  const oneupOf = (appUserId: string) => rig.sb.state.user(appUserId)!.oneupUserId;

  it('a user known only by oneup_user_id is looked up once, then asked for by both ids', async () => {
    const id = oneupOf('demo-user-2');
    const from = rig.sb.state.calls().length;
    await rig.client.users.createAuthCode({ oneupUserId: id });
    await rig.client.users.createAuthCode({ oneupUserId: id });
    assert.deepEqual(since(from), [
      'GET /user-management/v1/user',
      `POST ${AUTH_CODE} {"app_user_id":"demo-user-2","oneup_user_id":"${id}"}`,
      `POST ${AUTH_CODE} {"app_user_id":"demo-user-2","oneup_user_id":"${id}"}`,
    ]);
  });

  it('users listed (as the App Users view lists them) sign in without a lookup, and one user has one token manager', async () => {
    const users = await rig.client.users.listUsers();
    const u = users.find((x) => x.appUserId === 'demo-user-1')!;
    const tm = rig.client.tokenManager({ oneupUserId: u.oneupUserId });
    assert.equal(rig.client.tokenManager('demo-user-1'), tm, 'named by app_user_id, the same user\'s manager');
    const from = rig.sb.state.calls().length;
    await rig.client.fhir('r4', asUser(tm)).everything(rig.sb.state.user('demo-user-1')!.patientIds[0]);
    assert.deepEqual(since(from), [
      `POST ${AUTH_CODE} {"app_user_id":"demo-user-1","oneup_user_id":"${u.oneupUserId}"}`,
      'POST /fhir/oauth2/token',
      `GET /fhir/r4/Patient/${rig.sb.state.user('demo-user-1')!.patientIds[0]}/$everything`,
    ]);
  });

  it('after Update User renames a user, the next sign-in sends the new app_user_id', async () => {
    const [u] = await rig.client.users.listUsers({ appUserId: 'demo-user-3' });
    const tm = rig.client.tokenManager(u);
    await rig.client.users.updateUser(u.oneupUserId, { appUserId: 'demo-user-3-renamed' });
    const from = rig.sb.state.calls().length;
    await tm.signIn();
    assert.equal(since(from)[0], `POST ${AUTH_CODE} {"app_user_id":"demo-user-3-renamed","oneup_user_id":"${u.oneupUserId}"}`);
  });

  it('a user named only by app_user_id (a command argument) signs in with that alone', async () => {
    const from = rig.sb.state.calls().length;
    const t = await rig.client.tokenManager('demo-user-4').signIn();
    assert.ok(t.accessToken);
    assert.equal(since(from)[0], `POST ${AUTH_CODE} {"app_user_id":"demo-user-4"}`);
  });

  it('a user export started by oneup_user_id (as the Exports command does) signs in with the app_user_id', async () => {
    const workspace = await mkdtemp(path.join(tmpdir(), 'oneup-userids-'));
    try {
      const id = oneupOf('demo-user-5');
      const from = rig.sb.state.calls().length;
      const r = await startBulkExport(workspace, { version: 'r4', scope: { kind: 'user', oneupUserId: id }, types: ['Patient'] }, {
        transport: rig.client.transport, tokensFor: (oneupUserId) => rig.client.tokenManager({ oneupUserId }), retryBaseMs: 5,
      });
      assert.ok(r.summary.complete);
      assert.ok(since(from).includes(`POST ${AUTH_CODE} {"app_user_id":"demo-user-5","oneup_user_id":"${id}"}`), since(from).join('\n'));
    } finally {
      await rm(workspace, { recursive: true, force: true });
    }
  });
});

describe('auth codes against a server that knows a user by another app_user_id', () => {
  /** A MockAgent user-management server whose one user is 42 / `current`, recording what was asked. */
  function server(known: string | undefined) {
    const agent = new MockAgent();
    agent.disableNetConnect();
    const asked: string[] = [];
    const pool = agent.get('https://api.mock.test');
    pool.intercept({ path: (p) => p.startsWith('/user-management/v1/user?'), method: 'GET' }).reply((o) => {
      asked.push(`GET ${new URLSearchParams(o.path.split('?')[1]).get('oneup_user_id')}`);
      return known ? { statusCode: 200, data: json([{ oneup_user_id: '42', app_user_id: known, active: true }]), responseOptions: { headers: JSON_HEADERS } }
        : { statusCode: 404, data: json({ error: 'Could not find a user matching this query.' }), responseOptions: { headers: JSON_HEADERS } };
    }).persist();
    pool.intercept({ path: '/user-management/v1/user/auth-code', method: 'POST' }).reply((o) => {
      const f = Object.fromEntries(new URLSearchParams(String(o.body)));
      assert.deepEqual([f.client_id, f.client_secret], [MOCK_CREDS.clientId, MOCK_CREDS.clientSecret]);
      asked.push(`POST ${f.app_user_id ?? '-'} ${f.oneup_user_id ?? '-'}`);
      // this server goes by app_user_id, as the reference's form shows
      if (!known || f.app_user_id !== known) return { statusCode: 404, data: json({ error: 'user not found' }), responseOptions: { headers: JSON_HEADERS } };
      return { statusCode: 200, data: json({ success: true, code: 'code-000042', oneup_user_id: '42', app_user_id: known, active: true }), responseOptions: { headers: JSON_HEADERS } };
    }).persist();
    return { agent, asked };
  }

  it('an app_user_id it does not know (renamed elsewhere) is looked up by oneup_user_id and the code asked again, once', async () => {
    const { agent, asked } = server('current');
    const { client } = mockClient(agent);
    const code = await client.users.createAuthCode({ oneupUserId: '42', appUserId: 'before-rename' });
    assert.deepEqual([code.code, code.appUserId], ['code-000042', 'current']);
    assert.deepEqual(asked, ['POST before-rename 42', 'GET 42', 'POST current 42']);
    await client.users.createAuthCode({ oneupUserId: '42', appUserId: 'before-rename' });
    assert.deepEqual(asked.slice(3), ['POST current 42'], 'the server\'s app_user_id is remembered over the caller\'s');
    await agent.close();
  });

  it('when the server knows no such user, the error says so after one lookup', async () => {
    const { agent, asked } = server(undefined);
    const { client } = mockClient(agent);
    await assert.rejects(client.users.createAuthCode({ oneupUserId: '42' }), { name: 'ApiError', status: 404 });
    assert.deepEqual(asked, ['GET 42', 'POST - 42']);
    await assert.rejects(client.tokenManager({ oneupUserId: '42' }).signIn(), { name: 'AuthError', problem: 'no-user' });
    await agent.close();
  });
});
