import * as assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { asApp, asUser, createOneUpClient, type OneUpClient, type TokenManager } from '../../../src/core/api';
import { endpoint, type EndpointId, ENDPOINTS } from '../../../src/core/api/endpoints';
import { type ExportProgress, startBulkExport } from '../../../src/core/bulkExport';
import { type Environment, sandboxEnvironment } from '../../../src/core/environments';
import { linkUrl } from '../../../src/core/fhir/types';
import { type CallRecord, startSandbox } from '../../../src/core/sandbox';
import { type CheckOptions, pathPattern, problems, rowsFor } from './endpointCheck';
import { USER_AGENT } from './helpers';

/** A sandbox and a client of it that counts what it sent, so the log can be awaited. */
async function rig(sandbox: Parameters<typeof startSandbox>[0], env: (url: string) => Environment = sandboxEnvironment) {
  const sb = await startSandbox({ patients: 2, ...sandbox });
  let sent = 0;
  const environment = env(sb.url);
  const client = createOneUpClient({
    environment, credentials: async () => sb.credentials, userAgent: USER_AGENT, retryBaseMs: 5, codeRetryDelaysMs: [20], onCall: () => void sent++,
  });
  /** The sandbox's log of what the client sent from now on (each record is written as its answer ends). */
  const mark = () => {
    const before = sb.state.calls().length;
    const sentBefore = sent;
    return async (): Promise<CallRecord[]> => {
      for (let i = 0; i < 200 && sb.state.calls().length - before < sent - sentBefore; i++) await new Promise((r) => setTimeout(r, 10));
      return sb.state.calls().slice(before);
    };
  };
  return { sb, client, environment, mark, close: async () => { await client.dispose(); await sb.close(); } };
}

type Rig = Awaited<ReturnType<typeof rig>>;

describe('every client call, as the sandbox received it, is exactly as the endpoint table says', function () {
  this.timeout(60_000);
  let main: Rig;
  let async_: Rig;
  let headersEnv: Rig;
  let workspace: string;
  const exercised = new Set<EndpointId>();
  const seen: string[] = [];

  before(async () => {
    main = await rig({ exportStyle: 'direct' });
    async_ = await rig({ exportStyle: 'async', exportRetryAfterSeconds: 1, patients: 30 });
    headersEnv = await rig({}, (url) => ({ ...sandboxEnvironment(url), userManagementKeys: 'headers' }));
    workspace = await mkdtemp(path.join(tmpdir(), 'oneup-endpoints-'));
  });
  after(async () => {
    await main.close();
    await async_.close();
    await headersEnv.close();
    await rm(workspace, { recursive: true, force: true });
  });

  /** Runs `work` and checks every request it made against the rows `ids` (one row each must fit exactly). */
  async function drive<T>(r: Rig, ids: EndpointId[], work: () => Promise<T>, o: CheckOptions = {}): Promise<{ result: T; records: CallRecord[] }> {
    const log = r.mark();
    const result = await work();
    const records = await log();
    assert.ok(records.length > 0, `${ids.join(', ')}: no request reached the sandbox`);
    const wrong: string[] = [];
    for (const rec of records) {
      const rows = rowsFor(r.environment, rec, ids);
      if (!rows.length) {
        wrong.push(`${rec.method} ${rec.path}: not one of ${ids.join(', ')}`);
        continue;
      }
      const checked = rows.map((e) => ({ e, p: problems(r.environment, rec, e, { ...o, link: o.link || e.base === 'link' }) }));
      const fit = checked.find((c) => !c.p.length);
      if (fit) {
        exercised.add(fit.e.id);
        seen.push(`${fit.e.id}: ${rec.method} ${rec.path}`);
      } else wrong.push(...checked.flatMap((c) => c.p));
      assert.ok(rec.status < 400, `${rec.method} ${rec.path} answered ${rec.status}`);
    }
    assert.deepEqual(wrong, []);
    return { result, records };
  }

  const form = (rec: CallRecord) => Object.fromEntries(rec.body?.fields ?? []);

  it('user management and tokens: keys as form fields (POST/PUT) and query parameters (GET), auth codes by app_user_id and oneup_user_id', async () => {
    const c = main.client;
    const { result: users } = await drive(main, ['users.list'], () => c.users.listUsers());
    const demo1 = users.find((u) => u.appUserId === 'demo-user-1')!;
    await drive(main, ['users.list'], () => c.users.listUsers({ appUserId: 'demo-user-2' }));
    await drive(main, ['users.list'], () => c.users.listUsers({ oneupUserId: demo1.oneupUserId }));
    const { result: made } = await drive(main, ['users.create'], () => c.users.createUser('endpoint-table-user', { active: true }));
    assert.equal(made.kind, 'created');
    await drive(main, ['users.update'], () => c.users.updateUser(demo1.oneupUserId, { active: true }));
    const { result: code, records } = await drive(main, ['users.authCode'], () => c.users.createAuthCode({ oneupUserId: demo1.oneupUserId }));
    assert.deepEqual(form(records[0]).app_user_id, 'demo-user-1', 'the auth code is asked by app_user_id');
    assert.deepEqual(form(records[0]).oneup_user_id, demo1.oneupUserId);
    const { result: tokens } = await drive(main, ['tokens.exchange'], () => c.tokens.exchangeCode(code.code));
    await drive(main, ['tokens.refresh'], () => c.tokens.refreshToken(tokens.refreshToken));
  });

  it('a TokenManager sign-in (behind every user-scoped call) asks the auth code with app_user_id too', async () => {
    const [u] = await main.client.users.listUsers({ appUserId: 'demo-user-3' });
    const tm = main.client.tokenManager({ oneupUserId: u.oneupUserId });
    const { records } = await drive(main, ['users.authCode', 'tokens.exchange', 'fhir.search'], () => main.client.fhir('r4', asUser(tm)).search('Patient', { _count: 1 }));
    const authCode = records.find((r) => r.path.endsWith('/auth-code'))!;
    assert.deepEqual([form(authCode).app_user_id, form(authCode).oneup_user_id], ['demo-user-3', u.oneupUserId]);
  });

  describe('FHIR, permissions, connect and bulk data', () => {
    let tm: TokenManager;
    let grantee: string;
    let patientId: string;
    before(async () => {
      const users = await main.client.users.listUsers();
      const owner = users.find((u) => u.appUserId === 'demo-user-1')!;
      grantee = users.find((u) => u.appUserId === 'demo-user-2')!.oneupUserId;
      tm = main.client.tokenManager(owner);
      await tm.signIn();
      patientId = (await main.client.fhir('r4', asUser(tm)).search('Patient', { _count: 1 })).entry![0].resource!.id!;
    });
    const user = () => main.client.fhir('r4', asUser(tm));

    it('search, pages, read, create, $everything and delete as a user and as the app', async () => {
      const c: OneUpClient = main.client;
      const { result: page } = await drive(main, ['fhir.search'], () => user().search('Observation', { _count: 2, code: 'http://loinc.org|8302-2' }), { as: 'user' });
      await drive(main, ['fhir.search'], () => c.fhir('stu3').search('Patient', { _content: 'Synthetic', _count: 5 }), { as: 'app' });
      const next = linkUrl(page, 'next');
      assert.ok(next, 'the search has a next page');
      await drive(main, ['fhir.search'], () => user().fetchPage(next), { as: 'user', link: true });
      await drive(main, ['fhir.read'], () => user().read('Patient', patientId), { as: 'user' });
      await drive(main, ['fhir.read'], () => c.fhir('dstu2').read('Patient', patientId), { as: 'app' });
      await drive(main, ['fhir.create'], () => user().create({ resourceType: 'Observation', status: 'final', code: { text: 'endpoint table' } }), { as: 'user' });
      await drive(main, ['fhir.everything'], () => user().everything(patientId, { _type: 'Observation' }), { as: 'user' });
      const { result: all } = await drive(main, ['fhir.everything'], () => c.fhir('r4').everything(patientId), { as: 'app' });
      const more = linkUrl(all, 'next');
      if (more) await drive(main, ['fhir.everything'], () => c.fhir('r4').fetchPage(more), { as: 'app', link: true });
      const [other] = await c.users.listUsers({ appUserId: 'demo-user-4' });
      const otherTm = c.tokenManager(other);
      await otherTm.signIn();
      const otherPatient = (await c.fhir('r4', asUser(otherTm)).search('Patient', { _count: 1 })).entry![0].resource!.id!;
      await drive(main, ['fhir.deleteEverything'], () => c.fhir('r4', asUser(otherTm)).deleteEverything(otherPatient), { as: 'user' });
    });

    it('grant permission: bearer token and the app keys as form fields; revoke: bearer only', async () => {
      const dstu2 = main.client.fhir('dstu2', asUser(tm));
      const { records } = await drive(main, ['permissions.grant'], () => dstu2.grantPermission(grantee));
      assert.deepEqual(Object.keys(form(records[0])).sort(), ['client_id', 'client_secret']);
      assert.equal(form(records[0]).client_secret, '••••', 'the request log masks the secret');
      await drive(main, ['permissions.revoke'], () => dstu2.revokePermission(grantee));
      assert.deepEqual(main.sb.state.grants(), []);
    });

    it('health systems: the app keys in the query; provider search and the Connect page as documented', async () => {
      const c = main.client;
      const { records } = await drive(main, ['connect.healthSystems'], () => c.connect.listHealthSystems({ healthSystemsOnly: true, name: 'epic' }));
      assert.deepEqual(records[0].query.map(([k]) => k).sort(), ['client_id', 'client_secret', 'health_systems_only', 'name']);
      await drive(main, ['connect.healthSystems'], () => c.connect.listHealthSystems());
      await drive(main, ['connect.providerSearch'], () => c.connect.searchProviders('epic', asApp()), { as: 'app' });
      await drive(main, ['connect.providerSearch'], () => c.connect.searchProviders('cerner', asUser(tm)), { as: 'user' });
      const accessToken = await tm.accessToken();
      await drive(main, ['connect.page'], () => c.connect.fetchConnectPage({ clientId: main.sb.credentials.clientId, accessToken }));
      await drive(main, ['connect.marketplace'], () => c.connect.fetchConnectPage({ clientId: main.sb.credentials.clientId, accessToken, marketplace: true }));
    });

    it('URLs handed to a browser carry the documented parameters', async () => {
      const accessToken = await tm.accessToken();
      const urls: [EndpointId, string][] = [
        ['connect.systemLogin', await main.client.connect.systemConnectUrl('4706', accessToken, { redirectUri: 'http://127.0.0.1:9/done' })],
        ['connect.marketplace', main.client.connect.connectPageUrl({ clientId: 'an-app', accessToken, marketplace: true })],
      ];
      for (const [id, href] of urls) {
        const e = endpoint(id);
        const url = new URL(href);
        assert.match(decodeURIComponent(url.pathname), pathPattern(main.environment, e), id);
        const names = [...url.searchParams.keys()];
        const allowed = e.params.filter((p) => p.in === 'query');
        assert.deepEqual(names.filter((n) => !allowed.some((p) => p.name === n)), [], id);
        for (const p of allowed) if (p.required) assert.ok(names.includes(p.name), `${id}: ${p.name}`);
        exercised.add(id);
      }
    });

    it('bulk export: kick-off with _type, files with the token (direct answer) and as the app', async () => {
      const o = { transport: main.client.transport, retryBaseMs: 5, minPollMs: 10 };
      const r = await drive(main, ['bulk.kickoff', 'bulk.file'], () => startBulkExport(workspace, { version: 'r4', scope: { kind: 'user', oneupUserId: 'x' }, types: ['Patient', 'Observation'] }, { ...o, tokens: tm }), { as: 'user' });
      assert.ok(r.result.summary.complete);
      assert.deepEqual(r.records[0].query, [['_type', 'Patient,Observation']]);
      await drive(main, ['bulk.kickoff', 'bulk.file'], () => startBulkExport(workspace, { version: 'r4', scope: { kind: 'app' }, types: ['Patient'], since: '2000-01-01T00:00:00Z' }, o), { as: 'app' });
    });

    it('bulk export answered 202: status polls with the same credentials, and cancel DELETEs the status URL', async () => {
      const o = { transport: async_.client.transport, retryBaseMs: 5, minPollMs: 10 };
      await drive(async_, ['bulk.kickoff', 'bulk.status', 'bulk.file'], () => startBulkExport(workspace, { version: 'r4', scope: { kind: 'app' }, types: ['Patient'] }, o), { as: 'app' });
      const controller = new AbortController();
      const cancelled = { ...o, signal: controller.signal, onProgress: (p: ExportProgress) => { if (p.phase === 'waiting') controller.abort(); } };
      await drive(async_, ['bulk.kickoff', 'bulk.status', 'bulk.cancel'], () => assert.rejects(startBulkExport(workspace, { version: 'r4', scope: { kind: 'app' } }, cancelled), { name: 'CancelledError' }), { as: 'app' });
    });
  });

  it('an environment set to userManagementKeys: headers sends the user-management keys as headers, the others where the table says', async () => {
    const c = headersEnv.client;
    const { result: [u] } = await drive(headersEnv, ['users.list'], () => c.users.listUsers({ appUserId: 'demo-user-1' }), { keysAsHeaders: true });
    await drive(headersEnv, ['users.create'], () => c.users.createUser('headers-user'), { keysAsHeaders: true });
    await drive(headersEnv, ['users.update'], () => c.users.updateUser(u.oneupUserId, { active: true }), { keysAsHeaders: true });
    const { result: code } = await drive(headersEnv, ['users.authCode'], () => c.users.createAuthCode(u), { keysAsHeaders: true });
    await drive(headersEnv, ['tokens.exchange'], () => c.tokens.exchangeCode(code.code));
    await drive(headersEnv, ['connect.healthSystems'], () => c.connect.listHealthSystems());
  });

  // a suite's own tests run before its child suites: this one runs last
  describe('all together', () => {
    it('left no endpoint the client sends unexercised', () => {
      const expected = ENDPOINTS.filter((e) => e.via !== 'not-sent').map((e) => e.id).sort();
      assert.deepEqual([...exercised].sort(), expected, seen.join('\n'));
    });
  });
});
