import * as assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import type { RunningSandbox } from '../../../src/core/sandbox';
import { appFields, call, post, sandbox } from './helpers';

const run = promisify(execFile);
type Json = Record<string, unknown>;

describe('sandbox: user management', () => {
  let sb: RunningSandbox;
  let users: string;
  before(async () => {
    sb = await sandbox({ rateLimitPerHour: 0 });
    users = `${sb.url}/user-management/v1/user`;
  });
  after(() => sb.close());

  it('lists the demo users with their 1up ids', async () => {
    const a = await call<{ success: boolean; entry: Json[] }>(`${users}?${new URLSearchParams(appFields(sb))}`);
    assert.equal(a.status, 200);
    assert.equal(a.body.success, true);
    assert.ok(a.body.entry.length >= 10);
    assert.deepEqual(Object.keys(a.body.entry[0]).sort(), ['active', 'app_user_id', 'oneup_user_id']);
    assert.equal(a.body.entry[0].app_user_id, 'demo-user-1');
    assert.match(String(a.body.entry[0].oneup_user_id), /^\d+$/);
  });

  it('filters by app_user_id and oneup_user_id, and answers 404 {error} when nothing matches', async () => {
    const q = (o: Json) => `${users}?${new URLSearchParams({ ...appFields(sb), ...o } as Record<string, string>)}`;
    const byApp = await call<{ entry: Json[] }>(q({ app_user_id: 'demo-user-2' }));
    assert.equal(byApp.body.entry.length, 1);
    const byOneup = await call<{ entry: Json[] }>(q({ oneup_user_id: String(byApp.body.entry[0].oneup_user_id) }));
    assert.equal(byOneup.body.entry[0].app_user_id, 'demo-user-2');
    const none = await call<Json>(q({ app_user_id: 'nobody' }));
    assert.equal(none.status, 404);
    assert.equal(typeof none.body.error, 'string');
  });

  it('creates a user with a code, and says so when the user already exists', async () => {
    const created = await post<Json>(users, { ...appFields(sb), app_user_id: 'alice' });
    assert.equal(created.status, 200);
    assert.equal(created.body.success, true);
    assert.equal(created.body.app_user_id, 'alice');
    assert.equal(created.body.active, true);
    assert.match(String(created.body.code), /^[0-9a-f]{20,}$/);
    // 1up's reference: the call "won't fail" but answers an error; its published answer for a
    // create that cannot be done is 400 with only {"error": "..."} (no code, no second user)
    const count = sb.state.users().length;
    const again = await post<Json>(users, { ...appFields(sb), app_user_id: 'alice' });
    assert.equal(again.status, 400);
    assert.deepEqual(again.body, { error: 'this user already exists' });
    assert.equal(sb.state.users().length, count);
    assert.equal(sb.state.user('alice')!.oneupUserId, String(created.body.oneup_user_id));
    const missing = await post<Json>(users, appFields(sb));
    assert.equal(missing.status, 400);
    assert.match(String(missing.body.error), /app_user_id/);
  });

  it('accepts the app credentials as form fields, query parameters, headers or JSON', async () => {
    const q = new URLSearchParams(appFields(sb));
    assert.equal((await post(`${users}?${q}`, { app_user_id: 'by-query' })).status, 200);
    assert.equal((await post(users, { app_user_id: 'by-header' }, { client_id: sb.credentials.clientId, client_secret: sb.credentials.clientSecret })).status, 200);
    const json = await call(users, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ ...appFields(sb), app_user_id: 'by-json' }) });
    assert.equal(json.status, 200);
  });

  it('refuses missing or wrong credentials with 401 {error}', async () => {
    const none = await call<Json>(users);
    assert.equal(none.status, 401);
    assert.equal(typeof none.body.error, 'string');
    const wrong = await post<Json>(users, { client_id: sb.credentials.clientId, client_secret: 'not-the-secret', app_user_id: 'x' });
    assert.equal(wrong.status, 401);
    assert.match(String(wrong.body.error), /invalid/);
  });

  it('updates app_user_id and active; the 1up id never changes', async () => {
    const created = await post<Json>(users, { ...appFields(sb), app_user_id: 'bob' });
    const id = String(created.body.oneup_user_id);
    const upd = await post<Json>(users, { ...appFields(sb), oneup_user_id: id, app_user_id: 'bobby', active: 'false' }, {}, 'PUT');
    assert.equal(upd.status, 200);
    assert.deepEqual(upd.body, { oneUpUserId: Number(id), success: true });
    const listed = await call<{ entry: Json[] }>(`${users}?${new URLSearchParams({ ...appFields(sb), oneup_user_id: id })}`);
    assert.deepEqual(listed.body.entry[0], { oneup_user_id: id, app_user_id: 'bobby', active: false });
    const taken = await post<Json>(users, { ...appFields(sb), oneup_user_id: id, app_user_id: 'alice' }, {}, 'PUT');
    assert.equal(taken.status, 400);
    const unknown = await post<Json>(users, { ...appFields(sb), oneup_user_id: '1', active: 'true' }, {}, 'PUT');
    assert.equal(unknown.status, 404);
    const bad = await post<Json>(users, { ...appFields(sb), oneup_user_id: id, active: 'maybe' }, {}, 'PUT');
    assert.equal(bad.status, 400);
  });

  it('mints auth codes by app_user_id or oneup_user_id, but not for inactive users', async () => {
    const created = await post<Json>(users, { ...appFields(sb), app_user_id: 'carol' });
    const id = String(created.body.oneup_user_id);
    const byApp = await post<Json>(`${users}/auth-code`, { ...appFields(sb), app_user_id: 'carol' });
    assert.equal(byApp.status, 200);
    assert.equal(byApp.body.oneup_user_id, id);
    assert.notEqual(byApp.body.code, created.body.code);
    const byOneup = await post<Json>(`${users}/auth-code`, { ...appFields(sb), oneup_user_id: id });
    assert.equal(byOneup.body.app_user_id, 'carol');
    await post(users, { ...appFields(sb), oneup_user_id: id, active: 'false' }, {}, 'PUT');
    const inactive = await post<Json>(`${users}/auth-code`, { ...appFields(sb), oneup_user_id: id });
    assert.equal(inactive.status, 403);
    assert.match(String(inactive.body.error), /not active/);
    assert.equal((await post(`${users}/auth-code`, { ...appFields(sb), app_user_id: 'nobody' })).status, 404);
  });

  it('answers plain HTTP a user can call with curl', async () => {
    const { stdout } = await run('curl', ['-s', '-X', 'POST', users, '-H', `client_id: ${sb.credentials.clientId}`,
      '-H', `client_secret: ${sb.credentials.clientSecret}`, '-d', 'app_user_id=curl-user', '-w', '\n%{http_code}']);
    const [body, status] = stdout.trim().split('\n');
    assert.equal(status, '200');
    assert.equal(JSON.parse(body).app_user_id, 'curl-user');
  });
});

describe('sandbox: user-management rate limit', () => {
  let sb: RunningSandbox;
  before(async () => { sb = await sandbox({ rateLimitPerHour: 3 }); });
  after(() => sb.close());

  it('answers 429 with Retry-After once an app used up its calls for the hour', async () => {
    const url = `${sb.url}/user-management/v1/user?${new URLSearchParams(appFields(sb))}`;
    for (let i = 0; i < 3; i++) assert.equal((await call(url)).status, 200);
    const limited = await call<Json>(url);
    assert.equal(limited.status, 429);
    assert.match(String(limited.body.error), /rate limit/);
    const retry = Number(limited.headers.get('retry-after'));
    assert.ok(retry > 3000 && retry <= 3600, `Retry-After ${retry}`);
  });
});
