import * as assert from 'node:assert/strict';
import type { RunningSandbox } from '../../../src/core/sandbox';
import { appFields, bearer, call, post, sandbox, sleep, tokensFor } from './helpers';

type Json = Record<string, unknown>;

describe('sandbox: OAuth2 tokens', () => {
  let sb: RunningSandbox;
  before(async () => { sb = await sandbox({ tokenLifetimeSeconds: 0.6, codeLifetimeSeconds: 0.6 }); });
  after(() => sb.close());

  const code = async (appUserId = 'demo-user-1', extra: Record<string, string> = {}) =>
    String((await post<Json>(`${sb.url}/user-management/v1/user/auth-code`, { ...appFields(sb), app_user_id: appUserId, ...extra })).body.code);
  const exchange = (c: string, path = '/fhir/oauth2/token') =>
    post<Json>(`${sb.url}${path}`, { ...appFields(sb), grant_type: 'authorization_code', code: c });

  it('exchanges a code once, on both token paths', async () => {
    const first = await exchange(await code());
    assert.equal(first.status, 200);
    assert.equal(first.body.token_type, 'Bearer');
    assert.equal(first.body.expires_in, 1);
    assert.equal(first.body.scope, 'user/*.*');
    assert.equal(first.body.id_token, undefined);
    assert.equal(first.headers.get('cache-control'), 'no-store');
    const c = await code();
    assert.equal((await exchange(c, '/oauth2/token')).status, 200);
    const reused = await exchange(c);
    assert.equal(reused.status, 400);
    assert.equal(reused.body.error, 'invalid_grant');
  });

  it('answers invalid_grant for an unknown or expired code', async () => {
    const unknown = await exchange('0123456789abcdef');
    assert.equal(unknown.status, 400);
    assert.equal(unknown.body.error, 'invalid_grant');
    assert.equal(typeof unknown.body.error_description, 'string');
    const c = await code();
    await sleep(700);
    assert.equal((await exchange(c)).body.error, 'invalid_grant');
  });

  it('refuses a wrong client and an unknown grant type', async () => {
    const wrong = await post<Json>(`${sb.url}/fhir/oauth2/token`, { client_id: sb.credentials.clientId, client_secret: 'nope', grant_type: 'authorization_code', code: 'x' });
    assert.equal(wrong.status, 401);
    assert.equal(wrong.body.error, 'invalid_client');
    const grant = await post<Json>(`${sb.url}/fhir/oauth2/token`, { ...appFields(sb), grant_type: 'password' });
    assert.equal(grant.status, 400);
    assert.equal(grant.body.error, 'unsupported_grant_type');
  });

  it('takes the client in HTTP Basic and the parameters in the query string', async () => {
    const c = await code();
    const basic = Buffer.from(`${sb.credentials.clientId}:${sb.credentials.clientSecret}`).toString('base64');
    const a = await call<Json>(`${sb.url}/fhir/oauth2/token?${new URLSearchParams({ grant_type: 'authorization_code', code: c })}`,
      { method: 'POST', headers: { authorization: `Basic ${basic}` } });
    assert.equal(a.status, 200);
    assert.equal(typeof a.body.access_token, 'string');
  });

  it('lets access tokens expire, and refresh tokens rotate (the old one stops working)', async () => {
    const t = await tokensFor(sb);
    const read = (token: string) => call<Json>(`${sb.url}/fhir/r4/Patient`, { headers: bearer(token) });
    assert.equal((await read(t.access)).status, 200);
    await sleep(700);
    const expired = await read(t.access);
    assert.equal(expired.status, 401);
    assert.equal(expired.body.resourceType, 'OperationOutcome');
    assert.match(String(expired.headers.get('www-authenticate')), /invalid_token/);
    const refreshed = await post<Json>(`${sb.url}/fhir/oauth2/token`, { ...appFields(sb), grant_type: 'refresh_token', refresh_token: t.refresh });
    assert.equal(refreshed.status, 200);
    assert.notEqual(refreshed.body.refresh_token, t.refresh);
    assert.equal((await read(String(refreshed.body.access_token))).status, 200);
    const old = await post<Json>(`${sb.url}/fhir/oauth2/token`, { ...appFields(sb), grant_type: 'refresh_token', refresh_token: t.refresh });
    assert.equal(old.status, 400);
    assert.equal(old.body.error, 'invalid_grant');
  });

  it('adds an id_token naming the user when the code was asked with the openid scope', async () => {
    const a = await exchange(await code('demo-user-2', { scope: 'openid user/*.*' }));
    const [header, payload, signature] = String(a.body.id_token).split('.');
    assert.equal(JSON.parse(Buffer.from(header, 'base64url').toString()).alg, 'HS256');
    const claims = JSON.parse(Buffer.from(payload, 'base64url').toString());
    assert.equal(claims.app_user_id, 'demo-user-2');
    assert.equal(claims.aud, sb.credentials.clientId);
    assert.ok(signature.length > 20);
  });

  it('stops every token of a user who is deactivated', async () => {
    const t = await tokensFor(sb, 'short-lived-user');
    await post(`${sb.url}/user-management/v1/user`, { ...appFields(sb), oneup_user_id: t.oneupUserId, active: 'false' }, {}, 'PUT');
    assert.equal((await call(`${sb.url}/fhir/r4/Patient`, { headers: bearer(t.access) })).status, 401);
    const refresh = await post<Json>(`${sb.url}/fhir/oauth2/token`, { ...appFields(sb), grant_type: 'refresh_token', refresh_token: t.refresh });
    assert.equal(refresh.body.error, 'invalid_grant');
  });
});
