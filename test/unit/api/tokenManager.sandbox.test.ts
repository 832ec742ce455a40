import * as assert from 'node:assert/strict';
import { asUser, createOneUpClient, type TokenManager } from '../../../src/core/api';
import { sandboxEnvironment } from '../../../src/core/environments';
import { AuthError } from '../../../src/core/errors';
import { USER_AGENT } from './helpers';
import { type SandboxRig, startRig } from './sandbox';

const TOKEN = 'POST /fhir/oauth2/token';
const AUTH_CODE = 'POST /user-management/v1/user/auth-code';

describe('TokenManager against the sandbox', () => {
  let rig: SandboxRig;
  let tm: TokenManager;
  beforeEach(async () => {
    rig = await startRig();
    tm = rig.client.tokenManager('demo-user-1');
  });
  afterEach(() => rig.close());

  const search = () => rig.client.fhir('r4', asUser(tm)).search('Patient', { _count: 1 });

  it('signs in with an auth code on first use, keeps the tokens in the store and says until when they are valid', async () => {
    assert.deepEqual(await tm.state(), { kind: 'none' });
    assert.equal((await search()).resourceType, 'Bundle');
    const state = await tm.state();
    assert.equal(state.kind, 'valid');
    assert.equal(rig.count(AUTH_CODE), 1);
    assert.equal(rig.count(TOKEN), 1);
    // a client started later (VS Code restarted) uses the stored tokens without signing in
    const again = createOneUpClient({ environment: sandboxEnvironment(rig.sb.url), credentials: async () => rig.sb.credentials, userAgent: USER_AGENT, tokenStore: rig.store });
    await again.fhir('r4', asUser(again.tokenManager('demo-user-1'))).search('Patient', { _count: 1 });
    assert.equal(rig.count(TOKEN), 1);
    await again.dispose();
  });

  it('50 concurrent calls with an expired token make exactly one refresh', async () => {
    const t = await tm.signIn();
    await tm.setTokens({ ...t, expiresAt: Date.now() - 1000 });
    assert.equal((await tm.state()).kind, 'expired');
    const before = rig.count(TOKEN);
    const pages = await Promise.all(Array.from({ length: 50 }, () => search()));
    assert.equal(pages.length, 50);
    assert.equal(rig.count(TOKEN) - before, 1);
    assert.equal(rig.count(AUTH_CODE), 1); // only the first sign-in
    assert.equal((await tm.state()).kind, 'valid');
  });

  it('refreshes ahead of expiry, not only after it', async () => {
    const t = await tm.signIn();
    await tm.setTokens({ ...t, expiresAt: Date.now() + 30_000 });
    const before = rig.count(TOKEN);
    await search();
    assert.equal(rig.count(TOKEN) - before, 1);
  });

  it('after a 401 renews the token once and repeats the request', async () => {
    const t = await tm.signIn();
    await tm.setTokens({ ...t, accessToken: 'revoked-access-token-0001' });
    const before = rig.count(TOKEN);
    assert.equal((await search()).resourceType, 'Bundle');
    assert.equal(rig.count(/GET \/fhir\/r4\/Patient.* → 401/), 1);
    assert.equal(rig.count(TOKEN) - before, 1);
    assert.notEqual((await tm.accessToken()), 'revoked-access-token-0001');
  });

  it('signs in again with a new auth code when the refresh token is refused', async () => {
    const t = await tm.signIn();
    await tm.setTokens({ ...t, refreshToken: 'refused-refresh-token-0001', expiresAt: Date.now() - 1000 });
    const codesBefore = rig.count(AUTH_CODE);
    assert.equal((await search()).resourceType, 'Bundle');
    assert.equal(rig.count(AUTH_CODE) - codesBefore, 1);
    assert.equal(rig.count(/POST \/fhir\/oauth2\/token → 4\d\d/), 1);
    assert.equal((await tm.state()).kind, 'valid');
  });

  it('answers AuthError(no-user) for a user the app does not have', async () => {
    const nobody = rig.client.tokenManager('no-such-user-9');
    const err = await rig.client.fhir('r4', asUser(nobody)).search('Patient').catch((e: unknown) => e);
    assert.ok(err instanceof AuthError, String(err));
    assert.equal(err.problem, 'no-user');
  });
});
