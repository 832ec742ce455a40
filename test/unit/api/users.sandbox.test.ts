import * as assert from 'node:assert/strict';
import { createOneUpClient } from '../../../src/core/api';
import { sandboxEnvironment } from '../../../src/core/environments';
import { AuthError } from '../../../src/core/errors';
import { type SandboxRig, startRig } from './sandbox';

describe('users and tokens against the sandbox', () => {
  let rig: SandboxRig;
  before(async () => {
    rig = await startRig();
  });
  after(() => rig.close());

  it('listUsers lists the app users and filters by either id; no match is an empty list', async () => {
    const all = await rig.client.users.listUsers();
    const demo = all.find((u) => u.appUserId === 'demo-user-1');
    assert.ok(demo, JSON.stringify(all));
    assert.ok(demo.oneupUserId);
    assert.equal(demo.active, true);
    assert.deepEqual(await rig.client.users.listUsers({ appUserId: 'demo-user-1' }), [demo]);
    assert.deepEqual(await rig.client.users.listUsers({ oneupUserId: demo.oneupUserId }), [demo]);
    assert.deepEqual(await rig.client.users.listUsers({ appUserId: 'nobody-here' }), []);
  });

  it('createUser creates a user with a code, and answers "exists" for a second try', async () => {
    const made = await rig.client.users.createUser('new-user-a');
    assert.equal(made.kind, 'created');
    assert.ok(made.kind === 'created' && made.code && made.user.oneupUserId && made.user.appUserId === 'new-user-a');
    const again = await rig.client.users.createUser('new-user-a');
    assert.equal(again.kind, 'exists');
    assert.match(again.kind === 'exists' ? again.message : '', /already exist/i);
    const withCode = await rig.client.users.createUser('new-user-a', { onExists: 'auth-code' });
    assert.ok(withCode.kind === 'exists' && withCode.authCode?.code, JSON.stringify(withCode));
  });

  it('updateUser renames a user and deactivates it; the oneup_user_id stays', async () => {
    const made = await rig.client.users.createUser('rename-me');
    assert.ok(made.kind === 'created');
    const id = made.user.oneupUserId;
    const res = await rig.client.users.updateUser(id, { appUserId: 'renamed', active: false });
    assert.deepEqual(res, { oneupUserId: id, success: true });
    const [u] = await rig.client.users.listUsers({ oneupUserId: id });
    assert.deepEqual(u, { oneupUserId: id, appUserId: 'renamed', active: false });
  });

  it('createAuthCode by app_user_id or oneup_user_id; the code exchanges for tokens once', async () => {
    const [demo] = await rig.client.users.listUsers({ appUserId: 'demo-user-2' });
    const byApp = await rig.client.users.createAuthCode({ appUserId: 'demo-user-2' });
    const byOneup = await rig.client.users.createAuthCode({ oneupUserId: demo.oneupUserId });
    assert.equal(byApp.oneupUserId, demo.oneupUserId);
    assert.equal(byOneup.appUserId, 'demo-user-2');
    const sent = Date.now();
    const t = await rig.client.tokens.exchangeCode(byApp.code);
    assert.ok(t.accessToken && t.refreshToken);
    assert.equal(t.tokenType.toLowerCase(), 'bearer');
    // the sandbox's default lifetime is 7200 s; expiresAt is absolute
    assert.ok(t.expiresAt >= sent + 7_190_000 && t.expiresAt <= Date.now() + 7_200_000, String(t.expiresAt - sent));
    const refreshed = await rig.client.tokens.refreshToken(t.refreshToken);
    assert.notEqual(refreshed.accessToken, t.accessToken);
  });

  it('a refused code is tried again twice (codes take a moment at 1up), then AuthError(token-rejected)', async () => {
    const before = rig.count('POST /fhir/oauth2/token');
    const err = await rig.client.tokens.exchangeCode('not-a-real-code-0001').catch((e: unknown) => e);
    assert.ok(err instanceof AuthError, String(err));
    assert.equal(err.problem, 'token-rejected');
    assert.equal(rig.count('POST /fhir/oauth2/token') - before, 3);
  });

  it('a wrong client secret is AuthError(invalid-credentials)', async () => {
    const bad = createOneUpClient({
      environment: sandboxEnvironment(rig.sb.url), userAgent: 'test',
      credentials: async () => ({ clientId: rig.sb.credentials.clientId, clientSecret: 'wrong-secret-000' }),
    });
    for (const call of [() => bad.users.listUsers(), () => bad.users.createAuthCode({ appUserId: 'demo-user-1' })]) {
      const err = await call().catch((e: unknown) => e);
      assert.ok(err instanceof AuthError, String(err));
      assert.equal(err.problem, 'invalid-credentials');
    }
    await bad.dispose();
  });

  it('counts user-management calls against the hourly budget and tells listeners', async () => {
    const seen: number[] = [];
    const sub = rig.client.budget.onDidChange((s) => seen.push(s.remaining));
    const before = rig.client.budget.state().remaining;
    await rig.client.users.listUsers();
    await rig.client.users.listUsers({ appUserId: 'demo-user-1' });
    sub.dispose();
    assert.deepEqual(seen, [before - 1, before - 2]);
    assert.equal(rig.client.budget.state().limit, 300);
  });
});
