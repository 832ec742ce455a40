// What a web page in the user's browser, a slow or hostile client and a flood of creates must
// not be able to do to the sandbox (it runs inside the extension host, on the user's machine).
import * as assert from 'node:assert/strict';
import { connect, type Socket } from 'node:net';
import type { Bundle, OperationOutcome, Resource } from '../../../src/core/fhir/types';
import type { RunningSandbox } from '../../../src/core/sandbox';
import { appFields, appHeaders, bearer, bundle, call, post, sandbox, tokensFor } from './helpers';

type Json = Record<string, unknown>;

function rawSocket(sb: RunningSandbox): Promise<Socket> {
  const { hostname, port } = new URL(sb.url);
  return new Promise((resolve, reject) => {
    const s = connect(Number(port), hostname, () => resolve(s));
    s.once('error', reject);
  });
}

/** Resolves with what the server sent once it closes the socket, or undefined if it is still open after `ms`. */
function closedWithin(s: Socket, ms: number): Promise<string | undefined> {
  let got = '';
  s.on('data', (d: Buffer) => { got += d.toString('latin1'); });
  s.on('error', () => undefined);
  return new Promise((resolve) => {
    const t = setTimeout(() => resolve(undefined), ms);
    s.once('close', () => { clearTimeout(t); resolve(got); });
  });
}

describe('sandbox: HEAD never changes anything', () => {
  let sb: RunningSandbox;
  let client: Record<string, string>;
  before(async () => {
    sb = await sandbox();
    client = appHeaders(sb);
  });
  after(() => sb.close());

  it('answers HEAD on a resource like GET, without a body, and does not delete it', async () => {
    const imm = (await bundle(`${sb.url}/fhir/r4/Immunization?_count=1`, client)).entry![0].resource!;
    const url = `${sb.url}/fhir/r4/Immunization/${imm.id}`;
    const get = await call(url, { headers: client });
    const head = await call(url, { method: 'HEAD', headers: client });
    assert.equal(head.status, 200);
    assert.equal(head.text, '');
    assert.equal(head.headers.get('content-length'), get.headers.get('content-length'));
    assert.equal(head.headers.get('etag'), get.headers.get('etag'));
    assert.equal((await call(url, { headers: client })).status, 200, 'still there after HEAD');
    assert.equal(sb.state.deletedCount(), 0);

    const t = await tokensFor(sb, 'demo-user-2');
    const patient = sb.state.user('demo-user-2')!.patientIds[0];
    const everything = await call(`${sb.url}/fhir/r4/Patient/${patient}/$everything`, { method: 'HEAD', headers: bearer(t.access) });
    assert.equal(everything.status, 200);
    assert.equal(everything.text, '');
    assert.equal((await call(`${sb.url}/fhir/r4/Patient/${patient}`, { headers: bearer(t.access) })).status, 200, 'not purged');
  });

  it('does not update a user on HEAD (as a no-cors fetch from a web page could ask)', async () => {
    const user = sb.state.user('demo-user-3')!;
    const q = new URLSearchParams({ ...appFields(sb), oneup_user_id: user.oneupUserId, app_user_id: 'renamed-by-head', active: 'false' });
    const head = await call(`${sb.url}/user-management/v1/user?${q}`, { method: 'HEAD' });
    assert.equal(head.status, 404, 'as GET: a list filtered by an app_user_id nobody has');
    assert.equal(head.text, '');
    assert.equal(sb.state.user(user.oneupUserId)!.active, true);
    assert.equal(sb.state.user(user.oneupUserId)!.appUserId, 'demo-user-3');
  });

  it('does not create a resource or start an export on HEAD', async () => {
    const created = sb.state.createdCount();
    const head = await call(`${sb.url}/fhir/r4/Observation`, { method: 'HEAD', headers: client });
    assert.equal(head.status, 200, 'HEAD on a type is a search');
    assert.equal(sb.state.createdCount(), created);
    const kick = await call(`${sb.url}/bulk-data/r4/$export`, { method: 'HEAD', headers: client });
    assert.equal(kick.status, 405);
    assert.match(String(kick.headers.get('allow')), /GET/);
    assert.equal(sb.state.exports().length, 0);
  });
});

describe('sandbox: requests from other web sites', () => {
  let sb: RunningSandbox;
  before(async () => { sb = await sandbox({ patients: 1 }); });
  after(() => sb.close());

  it('refuses a cross-site form POST (Origin of another site): no user, no code', async () => {
    const before = sb.state.users().length;
    const a = await post<Json>(`${sb.url}/user-management/v1/user`, { ...appFields(sb), app_user_id: 'csrf-user' }, { origin: 'https://evil.example' });
    assert.equal(a.status, 403);
    assert.match(String(a.body.error), /another site/);
    const code = await post<Json>(`${sb.url}/user-management/v1/user/auth-code`, { ...appFields(sb), app_user_id: 'demo-user-1' }, { origin: 'null' });
    assert.equal(code.status, 403);
    assert.equal(code.body.code, undefined);
    assert.equal(sb.state.users().length, before);
  });

  it('refuses by Sec-Fetch-Site when a browser sends no Origin, and lets same-origin and plain clients in', async () => {
    const fields = { ...appFields(sb), app_user_id: 'demo-user-1' };
    const cross = await post(`${sb.url}/user-management/v1/user/auth-code`, fields, { 'sec-fetch-site': 'cross-site' });
    assert.equal(cross.status, 403);
    const sameSite = await post(`${sb.url}/user-management/v1/user/auth-code`, fields, { 'sec-fetch-site': 'same-site' });
    assert.equal(sameSite.status, 403, 'another port on localhost is another origin');
    const own = await post(`${sb.url}/user-management/v1/user/auth-code`, fields, { origin: sb.url, 'sec-fetch-site': 'same-origin' });
    assert.equal(own.status, 200);
    assert.equal((await post(`${sb.url}/user-management/v1/user/auth-code`, fields)).status, 200);
  });

  it('refuses a text/plain body that looks like a form (415) and FHIR creates that are not JSON', async () => {
    const before = sb.state.users().length;
    const a = await call<Json>(`${sb.url}/user-management/v1/user`, {
      method: 'POST', headers: { 'content-type': 'text/plain' },
      body: new URLSearchParams({ ...appFields(sb), app_user_id: 'text-plain-user' }).toString(),
    });
    assert.equal(a.status, 415);
    assert.equal(sb.state.users().length, before);
    const created = sb.state.createdCount();
    const fhir = await call<OperationOutcome>(`${sb.url}/fhir/r4/Observation`, {
      method: 'POST', headers: { ...appHeaders(sb), 'content-type': 'text/plain' },
      body: JSON.stringify({ resourceType: 'Observation', status: 'final', code: { text: 'x' } }),
    });
    assert.equal(fhir.status, 415);
    assert.equal(fhir.body.resourceType, 'OperationOutcome');
    assert.equal(sb.state.createdCount(), created);
  });

  it('still serves the Connect pages and logos to a browser from another site, but not their Authorize POST', async () => {
    const page = await call(`${sb.url}/connect`, { headers: { 'sec-fetch-site': 'cross-site' } });
    assert.equal(page.status, 200);
    const id = sb.state.healthSystems()[0].id;
    const logo = await call(`${sb.url}/connect/logos/${id}.svg`, { headers: { 'sec-fetch-site': 'cross-site' } });
    assert.equal(logo.status, 200);
    const t = await tokensFor(sb, 'demo-user-1');
    const authorize = await post(`${sb.url}/connect/system/clinical/${id}`, { access_token: t.access, client_id: sb.credentials.clientId },
      { origin: 'https://evil.example' });
    assert.equal(authorize.status, 403);
    assert.deepEqual(sb.state.connectedSystems(t.oneupUserId), []);
  });
});

describe('sandbox: slow clients and connection floods', () => {
  it('closes a connection whose headers never finish (slowloris) and one whose body never arrives', async () => {
    const sb = await sandbox({ patients: 0, headersTimeoutMs: 300, requestTimeoutMs: 600 });
    try {
      const host = new URL(sb.url).host;
      const slowHead = await rawSocket(sb);
      slowHead.write(`GET / HTTP/1.1\r\nHost: ${host}\r\nX-Slow: 1`);
      const slowBody = await rawSocket(sb);
      slowBody.write(`POST /user-management/v1/user HTTP/1.1\r\nHost: ${host}\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: 100\r\n\r\napp_user_id=`);
      const [a, b] = await Promise.all([closedWithin(slowHead, 4000), closedWithin(slowBody, 4000)]);
      assert.notEqual(a, undefined, 'the slow-header connection is still open');
      assert.notEqual(b, undefined, 'the slow-body connection is still open');
      assert.match(String(b), /^HTTP\/1\.1 408/);
    } finally {
      await sb.close();
    }
  });

  it('caps open connections: one past the cap is closed at once', async () => {
    const sb = await sandbox({ patients: 0, maxConnections: 4 });
    const open: Socket[] = [];
    try {
      for (let i = 0; i < 4; i++) open.push(await rawSocket(sb));
      const extra = await rawSocket(sb);
      open.push(extra);
      assert.notEqual(await closedWithin(extra, 2000), undefined, 'the fifth connection was kept open');
      const first = open[0];
      first.write(`GET / HTTP/1.1\r\nHost: ${new URL(sb.url).host}\r\nConnection: close\r\n\r\n`);
      assert.match(String(await closedWithin(first, 2000)), /^HTTP\/1\.1 200/, 'the first four still work');
    } finally {
      for (const s of open) s.destroy();
      await sb.close();
    }
  });
});

describe('sandbox: bounded memory for created resources', () => {
  it('answers 507 with an OperationOutcome once the store is full, and takes creates again after deletes', async () => {
    const sb = await sandbox({ patients: 1, maxCreatedResources: 3, maxCreatedBytes: 200_000 });
    try {
      const headers = { ...appHeaders(sb), 'content-type': 'application/fhir+json' };
      const create = (text: string) => call<Resource & OperationOutcome>(`${sb.url}/fhir/r4/Basic`, {
        method: 'POST', headers, body: JSON.stringify({ resourceType: 'Basic', code: { text } }),
      });
      const ids: string[] = [];
      for (let i = 0; i < 3; i++) {
        const a = await create(`note ${i}`);
        assert.equal(a.status, 201);
        ids.push(a.body.id!);
      }
      const full = await create('one too many');
      assert.equal(full.status, 507);
      assert.equal(full.body.resourceType, 'OperationOutcome');
      assert.match(full.body.issue![0].diagnostics!, /at most 3 created resources/);
      assert.equal((await call(`${sb.url}/fhir/r4/Basic/${ids[0]}`, { method: 'DELETE', headers: appHeaders(sb) })).status, 200);
      assert.equal((await call(`${sb.url}/fhir/r4/Basic/${ids[0]}`, { headers: appHeaders(sb) })).status, 410, 'a deleted one still answers 410');
      assert.equal((await create('fits again')).status, 201);
      const big = await call<OperationOutcome>(`${sb.url}/fhir/r4/Basic/${ids[1]}`, { method: 'DELETE', headers: appHeaders(sb) });
      assert.equal(big.status, 200);
      const huge = await create('x'.repeat(300_000));
      assert.equal(huge.status, 507);
      assert.match(huge.body.issue![0].diagnostics!, /does not fit/);
    } finally {
      await sb.close();
    }
  });
});

describe('sandbox: the right 4xx for broken requests', () => {
  let sb: RunningSandbox;
  before(async () => { sb = await sandbox({ patients: 1 }); });
  after(() => sb.close());

  it('delivers the 413 for a body over 16 MB instead of resetting the connection', async () => {
    const a = await call<OperationOutcome>(`${sb.url}/fhir/r4/Basic`, {
      method: 'POST', headers: { ...appHeaders(sb), 'content-type': 'application/fhir+json' },
      body: JSON.stringify({ resourceType: 'Basic', code: { text: 'x'.repeat(17 * 1024 * 1024) } }),
    });
    assert.equal(a.status, 413);
    assert.equal(a.body.resourceType, 'OperationOutcome');
    assert.equal((await call(`${sb.url}/`)).status, 200, 'the sandbox still answers');
  });

  it('answers 400 for a malformed % escape in Basic credentials', async () => {
    const basic = Buffer.from('sandbox-client-id:%zz').toString('base64');
    const token = await post<Json>(`${sb.url}/fhir/oauth2/token`, { grant_type: 'refresh_token', refresh_token: 'r' }, { authorization: `Basic ${basic}` });
    assert.equal(token.status, 400);
    assert.match(String(token.body.error), /Basic credentials/);
    const fhir = await call<OperationOutcome>(`${sb.url}/fhir/r4/Patient`, { headers: { authorization: `Basic ${basic}`, 'x-oneup-user-id': 'client' } });
    assert.equal(fhir.status, 400);
    assert.equal(fhir.body.resourceType, 'OperationOutcome');
  });

  it('answers 400 for JSON nested 5,000 deep', async () => {
    const deep = `{"resourceType":"Basic","code":${'{"x":'.repeat(5000)}1${'}'.repeat(5000)}}`;
    const a = await call<OperationOutcome>(`${sb.url}/fhir/r4/Basic`, {
      method: 'POST', headers: { ...appHeaders(sb), 'content-type': 'application/fhir+json' }, body: deep,
    });
    assert.equal(a.status, 400);
    assert.match(a.body.issue![0].diagnostics!, /nested deeper/);
    const arrays = await call<Json>(`${sb.url}/user-management/v1/user`, {
      method: 'POST', headers: { 'content-type': 'application/json' }, body: `${'['.repeat(5000)}${']'.repeat(5000)}`,
    });
    assert.equal(arrays.status, 400);
  });

  it('answers 400 for dates that do not exist', async () => {
    for (const q of ['date=gt2020-13-45', 'date=2021-02-30', '_lastUpdated=ge2020-01-01T25:00:00Z', 'birthdate=2020-00']) {
      const a = await call<OperationOutcome>(`${sb.url}/fhir/r4/Patient?${q}`, { headers: appHeaders(sb) });
      assert.equal(a.status, 400, q);
      assert.equal(a.body.resourceType, 'OperationOutcome', q);
    }
    const ok = await call<Bundle>(`${sb.url}/fhir/r4/Patient?date=ge2020-02-29`, { headers: appHeaders(sb) });
    assert.equal(ok.status, 200);
  });
});
