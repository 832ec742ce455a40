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

  it('without the debug setting query values are not logged at all', async () => {
    const { client, log, close } = await startRig();
    await client.fhir('r4').search('Patient', { _content: 'Synthetic-Name-Xyzzy' });
    await close();
    assert.ok(log.lines.some((l) => l.includes('GET /fhir/r4/Patient?_content=… →')), log.lines.join('\n'));
    assert.ok(!log.lines.join('\n').includes('Xyzzy'));
  });
});
