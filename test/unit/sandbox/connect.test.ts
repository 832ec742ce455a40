import * as assert from 'node:assert/strict';
import type { Bundle } from '../../../src/core/fhir/types';
import type { RunningSandbox } from '../../../src/core/sandbox';
import { allPages, bearer, call, post, sandbox, tokensFor } from './helpers';
import type { UserTokens } from './helpers';

type System = { id: number; name: string; logo: string; resource_url: string; api_version: string; status: string; locations: unknown[] };

describe('sandbox: connect', () => {
  let sb: RunningSandbox;
  let user: UserTokens;
  before(async () => {
    sb = await sandbox();
    user = await tokensFor(sb, 'connector');
  });
  after(() => sb.close());

  it('lists health systems, with the health_systems_only and name filters', async () => {
    const all = await call<System[]>(`${sb.url}/connect/system/clinical`);
    assert.equal(all.status, 200);
    assert.ok(all.body.length > 20);
    const epic = all.body.find((s) => s.id === 4706)!;
    assert.equal(epic.name, 'Epic (demo)');
    assert.deepEqual(Object.keys(epic).sort(), ['api_version', 'ehr', 'id', 'locations', 'logo', 'name', 'resource_url', 'status']);
    const only = await call<System[]>(`${sb.url}/connect/system/clinical?health_systems_only=true`);
    assert.ok(only.body.length < all.body.length, 'payers are left out');
    const named = await call<System[]>(`${sb.url}/connect/system/clinical?name=cerner`);
    assert.deepEqual(named.body.map((s) => s.id), [4707]);
  });

  it('serves each system\'s SVG logo', async () => {
    const epic = (await call<System[]>(`${sb.url}/connect/system/clinical?name=epic`)).body[0];
    const logo = await call(epic.logo);
    assert.equal(logo.status, 200);
    assert.equal(logo.headers.get('content-type'), 'image/svg+xml');
    assert.match(logo.text, /^<svg [^>]*>.*<\/svg>$/);
    assert.equal((await call(`${sb.url}/connect/logos/1.svg`)).status, 404);
  });

  it('searches providers as a Bundle of Organizations carrying the system id and a logo', async () => {
    const a = await call<Bundle>(`${sb.url}/connect/system/provider/search?q=boston`, { headers: bearer(user.access) });
    assert.equal(a.status, 200);
    assert.ok(a.body.total! > 0);
    const org = a.body.entry![0].resource!;
    assert.equal(org.resourceType, 'Organization');
    for (const e of a.body.entry!) assert.match(JSON.stringify([e.resource!.name, e.resource!.address]), /boston/i);
    assert.ok((org.identifier as { value: string }[]).some((i) => /^\d+$/.test(i.value)));
    assert.ok((org.extension as { url: string; valueUrl?: string }[]).some((e) => /logo/.test(e.url) && e.valueUrl?.endsWith('.svg')));
    assert.equal((await call(`${sb.url}/connect/system/provider/search?q=boston`)).status, 401);
  });

  it('serves a self-contained picker page with a search box that filters', async () => {
    const page = await call(`${sb.url}/connect/marketplace?client_id=${sb.credentials.clientId}&access_token=${user.access}`);
    assert.equal(page.status, 200);
    assert.match(String(page.headers.get('content-type')), /text\/html/);
    const csp = String(page.headers.get('content-security-policy'));
    assert.match(csp, /default-src 'none'/);
    assert.match(csp, /frame-ancestors \*/);
    assert.equal(page.headers.get('x-frame-options'), null);
    assert.match(page.text, /<input[^>]+type="search"/);
    assert.match(page.text, new RegExp(`href="\\.\\./connect/system/clinical/4706\\?client_id=[^"]*access_token=${user.access}`));
    assert.doesNotMatch(page.text, /(src|href)="https?:/, 'nothing external');
    const filtered = await call(`${sb.url}/connect?q=cerner`);
    assert.match(filtered.text, /Cerner \(demo\)/);
    assert.doesNotMatch(filtered.text, /Epic \(demo\)/);
    const hostile = await call(`${sb.url}/connect?q=${encodeURIComponent('"><script>alert(1)</script>')}`);
    assert.doesNotMatch(hostile.text, /<script>alert/);
    assert.match(hostile.text, /&quot;&gt;&lt;script&gt;/);
  });

  it('runs the whole flow: login page, Authorize, redirect, and the system\'s records in the user\'s data', async () => {
    const before = await allPages(`${sb.url}/fhir/r4/Encounter?_count=100`, bearer(user.access));
    const login = await call(`${sb.url}/connect/system/clinical/4706?client_id=${sb.credentials.clientId}&access_token=${user.access}`);
    assert.equal(login.status, 200);
    assert.match(login.text, /Epic \(demo\)/);
    assert.match(login.text, /<form method="post" action="\.\.\/\.\.\/\.\.\/connect\/system\/clinical\/4706">/);
    assert.match(login.text, /<button[^>]*value="allow"[^>]*>Authorize<\/button>/);

    const authorize = await post(`${sb.url}/connect/system/clinical/4706`, {
      client_id: sb.credentials.clientId, access_token: user.access, redirect_uri: 'http://127.0.0.1:9/callback?app=1', state: 'xyz', decision: 'allow',
    });
    assert.equal(authorize.status, 303);
    const to = new URL(authorize.headers.get('location')!);
    assert.equal(to.origin + to.pathname, 'http://127.0.0.1:9/callback');
    assert.equal(to.searchParams.get('app'), '1');
    assert.equal(to.searchParams.get('state'), 'xyz');
    assert.equal(to.searchParams.get('system_id'), '4706');

    const after = await allPages(`${sb.url}/fhir/r4/Encounter?_count=100`, bearer(user.access));
    assert.ok(after.resources.length > before.resources.length);
    const fromEpic = after.resources.filter((r) => (r.meta?.tag as { code?: string }[] | undefined)?.some((t) => t.code === '4706'));
    assert.equal(fromEpic.length, after.resources.length - before.resources.length);
    assert.ok(fromEpic.every((r) => (r.subject as { reference: string }).reference === `Patient/${sb.state.user(user.oneupUserId)!.patientIds[0]}`));
    assert.deepEqual(sb.state.connectedSystems(user.oneupUserId).map((s) => s.name), ['Epic (demo)']);
  });

  it('redirects to its own "connected" page without redirect_uri, and records nothing when denied', async () => {
    const other = await tokensFor(sb, 'denier');
    const denied = await post(`${sb.url}/connect/system/clinical/4707`, { access_token: other.access, decision: 'deny' });
    assert.equal(denied.status, 303);
    const page = await call(new URL(denied.headers.get('location')!, `${sb.url}/connect/system/clinical/4707`).toString());
    assert.match(page.text, /Not connected/);
    assert.deepEqual(sb.state.connectedSystems(other.oneupUserId), []);
    const ok = await post(`${sb.url}/connect/system/clinical/4707`, { access_token: other.access, decision: 'allow' });
    assert.match((await call(new URL(ok.headers.get('location')!, `${sb.url}/connect/system/clinical/4707`).toString())).text, /Cerner \(demo\) is connected/);
  });

  it('keeps every link, logo, form and redirect under the path it was opened at (VS Code in a browser forwards it as /proxy/<port>/)', async () => {
    // what a browser does with the pages' relative addresses when the sandbox is reached through a prefix
    const prefix = 'https://vscode.example/proxy/4010';
    const addresses = (html: string) => [...html.matchAll(/\b(?:href|src|action)="([^"]*)"/g)].map((m) => m[1].replace(/&amp;/g, '&'));
    const pages = [
      `/connect?access_token=${user.access}`,
      `/connect/marketplace?access_token=${user.access}`,
      `/connect/marketplace/?access_token=${user.access}`,
      `/connect/system/clinical/4706?access_token=${user.access}`,
    ];
    for (const at of pages) {
      const page = await call(`${sb.url}${at}`);
      assert.equal(page.status, 200, at);
      const found = addresses(page.text);
      assert.ok(found.length >= 2, `${at} links somewhere (${found.length})`);
      for (const a of found) {
        const resolved = new URL(a, `${prefix}${at}`);
        assert.ok(resolved.href.startsWith(`${prefix}/connect/`), `${a} on ${at} leaves the prefix: ${resolved.href}`);
        // and the same address answers on the sandbox itself
        const direct = await call(`${sb.url}${resolved.href.slice(prefix.length)}`);
        assert.notEqual(direct.status, 404, `${resolved.href} is a page of the sandbox`);
      }
    }
    const other = await tokensFor(sb, 'prefixed');
    const done = await post(`${sb.url}/connect/system/clinical/4707`, { access_token: other.access, decision: 'allow' });
    const to = new URL(done.headers.get('location')!, `${prefix}/connect/system/clinical/4707`);
    assert.equal(to.origin + to.pathname, `${prefix}/connect/connected`);
  });

  it('explains a missing or wrong token, an unknown system, and refuses script redirects', async () => {
    const none = await call(`${sb.url}/connect/system/clinical/4706`);
    assert.equal(none.status, 401);
    assert.match(none.text, /access_token/);
    assert.equal((await call(`${sb.url}/connect/system/clinical/4706?access_token=nope`)).status, 401);
    assert.equal((await call(`${sb.url}/connect/system/clinical/1?access_token=${user.access}`)).status, 404);
    const js = await post(`${sb.url}/connect/system/clinical/4706`, { access_token: user.access, redirect_uri: 'javascript:alert(1)' });
    assert.equal(js.status, 400);
  });
});
