import * as assert from 'node:assert/strict';
import { asUser, tokenKey } from '../../../src/core/api';
import { type SandboxRig, startRig } from './sandbox';

describe('secrets never reach the log', () => {
  let rig: SandboxRig;
  before(async () => {
    rig = await startRig({}, { logQueryValues: true });
  });
  after(() => rig.close());

  it('a full flow logs one line per request and no secret, token or code in any of them', async () => {
    const secrets: string[] = [rig.sb.credentials.clientSecret];
    const made = await rig.client.users.createUser('masking-user');
    assert.ok(made.kind === 'created');
    secrets.push(made.code);
    const code = await rig.client.users.createAuthCode({ appUserId: 'masking-user' });
    secrets.push(code.code);
    const t = await rig.client.tokens.exchangeCode(code.code);
    secrets.push(t.accessToken, t.refreshToken);
    const r = await rig.client.tokens.refreshToken(t.refreshToken);
    secrets.push(r.accessToken, r.refreshToken);
    const tm = rig.client.tokenManager('demo-user-1');
    const fhir = rig.client.fhir('r4', asUser(tm));
    await fhir.search('Patient', { _count: 2 });
    secrets.push(await tm.accessToken());
    await tm.setTokens({ ...(await tm.signIn()), accessToken: 'refused-token-000001' });
    await fhir.search('Observation', { _count: 2 }); // 401, renewal, repeat
    secrets.push(await tm.accessToken());
    await rig.client.connect.fetchConnectPage({ clientId: rig.sb.credentials.clientId, accessToken: await tm.accessToken() });
    await rig.client.users.listUsers();

    const text = rig.log.lines.join('\n');
    for (const s of secrets) assert.ok(s && !text.includes(s), `a secret leaked into the log:\n${text}`);
    assert.ok(!(rig.client.lastCall?.curl ?? '').includes(rig.sb.credentials.clientSecret));
    const requests = rig.log.lines.filter((l) => / → /.test(l));
    assert.ok(requests.length >= 10, text);
    for (const l of requests) assert.match(l, /^\[api\] (GET|POST|PUT|DELETE) \S+ → (\d{3} in \d+ ms|\S+ after \d+ ms)/);
    assert.ok(requests.some((l) => l.startsWith('[api] POST /user-management/v1/user/auth-code → 200 in')));
  });

  it('tokens kept in the store from an earlier session are masked once the client loads them', async () => {
    const kept = { accessToken: 'kept-access-token-0001', refreshToken: 'kept-refresh-token-0001', idToken: 'kept-id-token-0001', tokenType: 'Bearer', expiresAt: Date.now() + 3_600_000 };
    await rig.store.set(tokenKey({ appUserId: 'kept-user' }), JSON.stringify(kept));
    assert.deepEqual(await rig.client.tokenManager('kept-user').state(), { kind: 'valid', expiresAt: kept.expiresAt });
    rig.client.transport.logger.info(`kept tokens: ${kept.accessToken} ${kept.refreshToken} ${kept.idToken}`);
    const line = rig.log.lines[rig.log.lines.length - 1];
    assert.match(line, /kept tokens/);
    for (const t of [kept.accessToken, kept.refreshToken, kept.idToken]) assert.ok(!line.includes(t), line);
  });

  it('the app keys of the health-system list and of a grant are masked in the log and are $ONEUP_* variables in copy-as-curl', async () => {
    const { clientId, clientSecret } = rig.sb.credentials;
    await rig.client.connect.listHealthSystems({ name: 'epic' });
    const list = rig.client.lastCall!;
    assert.match(list.curl, /^curl '[^']*\/connect\/system\/clinical\?name=epic&client_id='"\$ONEUP_CLIENT_ID"'&client_secret='"\$ONEUP_CLIENT_SECRET"/);
    assert.equal(list.target, '/connect/system/clinical?name=epic&client_id=…&client_secret=…', 'query values shown (debug) but never the keys');
    const tm = rig.client.tokenManager('demo-user-1');
    const [grantee] = await rig.client.users.listUsers({ appUserId: 'demo-user-2' });
    await rig.client.fhir('dstu2', asUser(tm)).grantPermission(grantee.oneupUserId);
    const grant = rig.client.lastCall!;
    assert.ok(grant.curl.includes(`--data-urlencode 'client_id='"$ONEUP_CLIENT_ID"`), grant.curl);
    assert.ok(grant.curl.includes(`--data-urlencode 'client_secret='"$ONEUP_CLIENT_SECRET"`), grant.curl);
    assert.ok(grant.curl.includes(`-H 'authorization: Bearer '"$ONEUP_ACCESS_TOKEN"`), grant.curl);
    for (const text of [list.curl, grant.curl, rig.log.lines.join('\n')]) {
      assert.ok(!text.includes(clientSecret), 'the secret stays out');
      assert.ok(!text.includes(`client_id=${clientId}`), 'the id is a variable in curl and not logged as a value');
    }
  });

  it('a token in a URL path (a signed export file URL) is masked in the log line, the last call and the error', async () => {
    const jwt = 'eyJhbGciOiJSUzI1NiJ9.eyJmaWxlIjoiT2JzZXJ2YXRpb24iLCJleHAiOjF9.c2lnbmVkLWJ5LTF1cC1zYW1wbGUtb25seQ';
    const url = `${rig.sb.url}/bulk-data/r4/$export/Observation/${jwt}.ndjson`;
    const e = await rig.client.transport.request({ method: 'GET', url, auth: { kind: 'app' }, retry: false }).then(() => undefined, (x: Error & { path?: string }) => x);
    assert.ok(e && e.name === 'ApiError', 'the sandbox has no such file');
    assert.equal(e.path, '/bulk-data/r4/$export/Observation/••••.ndjson');
    assert.equal(rig.client.lastCall?.target, '/bulk-data/r4/$export/Observation/••••.ndjson');
    const line = rig.log.lines.find((l) => l.includes('/$export/Observation/'));
    assert.ok(line && line.includes('/Observation/••••.ndjson → 404'), line);
    assert.ok(!rig.log.lines.join('\n').includes(jwt.split('.')[2]));
  });

  it('without the debug setting query values are not logged at all', async () => {
    const { client, log, close } = await startRig();
    await client.fhir('r4').search('Patient', { _content: 'Synthetic-Name-Xyzzy' });
    await close();
    assert.ok(log.lines.some((l) => l.includes('GET /fhir/r4/Patient?_content=… →')), log.lines.join('\n'));
    assert.ok(!log.lines.join('\n').includes('Xyzzy'));
  });
});
