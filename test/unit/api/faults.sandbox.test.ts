import * as assert from 'node:assert/strict';
import { asUser } from '../../../src/core/api';
import { ApiError, CancelledError, NetworkError } from '../../../src/core/errors';
import { type SandboxRig, startRig } from './sandbox';

// The sandbox's faults on a real socket: what the user sees when the network misbehaves.
describe('network faults against the sandbox', () => {
  let rig: SandboxRig;
  const sleeps: number[] = [];
  before(async () => {
    rig = await startRig({}, {
      timeouts: { headersMs: 300 },
      clock: { sleep: async (ms: number) => void sleeps.push(ms) },
    });
  });
  after(() => rig.close());
  beforeEach(() => {
    sleeps.length = 0;
  });

  const fhir = () => rig.client.fhir('r4', asUser(rig.client.tokenManager('demo-user-1')));

  it('a server slower than the headers timeout is a NetworkError naming the timeout setting', async () => {
    await fhir().search('Patient'); // sign in first, so only the search is slow
    rig.sb.addFault({ route: '/fhir/r4/Patient', times: 3, fault: { kind: 'latency', ms: 3000 } });
    const err = await fhir().search('Patient').catch((e: unknown) => e);
    assert.ok(err instanceof NetworkError, String(err));
    assert.equal(err.code, 'UND_ERR_HEADERS_TIMEOUT');
    assert.match(err.hint, /oneup\.requestTimeoutSeconds/);
    assert.equal(sleeps.length, 2); // three tries
  });

  it('a reset connection on a GET is retried and the user never notices', async () => {
    rig.sb.addFault({ route: '/fhir/r4/Observation', fault: { kind: 'reset', afterBytes: 0 } });
    const b = await fhir().search('Observation', { _count: 2 });
    assert.equal(b.resourceType, 'Bundle');
    assert.equal(sleeps.length, 1);
  });

  it('an answer cut off mid-body on a GET is fetched again', async () => {
    rig.sb.addFault({ route: '/fhir/r4/Observation', fault: { kind: 'truncate', afterBytes: 40 } });
    const b = await fhir().search('Observation', { _count: 2 });
    assert.equal(b.entry?.length, 2);
  });

  it('503 with Retry-After waits as told, then succeeds', async () => {
    rig.sb.addFault({ route: '/fhir/r4/Condition', fault: { kind: 'status', status: 503, retryAfter: '4' } });
    await fhir().search('Condition');
    assert.deepEqual(sleeps, [4000]);
  });

  it('a 429 on user management is not retried for POST and empties the budget', async () => {
    rig.sb.addFault({ route: '/user-management/v1/user/auth-code', method: 'POST', fault: { kind: 'status', status: 429, retryAfter: '30', body: { error: 'rate limit exceeded' } } });
    const err = await rig.client.users.createAuthCode({ appUserId: 'demo-user-1' }).catch((e: unknown) => e);
    assert.ok(err instanceof ApiError);
    assert.equal(err.status, 429);
    assert.equal(err.retryAfterSeconds, 30);
    assert.equal(rig.client.budget.state().remaining, 0);
    assert.deepEqual(sleeps, []);
  });

  it('cancelling a request that is waiting on the server ends it at once with CancelledError', async () => {
    rig.sb.addFault({ route: '/fhir/r4/Encounter', fault: { kind: 'latency', ms: 250 } });
    const ac = new AbortController();
    const pending = fhir().search('Encounter', undefined, ac.signal);
    setTimeout(() => ac.abort(), 20);
    await assert.rejects(pending, CancelledError);
    assert.ok(rig.log.lines.some((l) => /GET \/fhir\/r4\/Encounter → cancelled/.test(l)), rig.log.lines.join('\n'));
  });

  it('a sandbox that is not running is ECONNREFUSED with a hint naming the host and the settings', async () => {
    const gone = await startRig();
    const url = gone.sb.url;
    await gone.sb.close();
    const err = await gone.client.connect.listHealthSystems().catch((e: unknown) => e);
    await gone.client.dispose();
    assert.ok(err instanceof NetworkError, String(err));
    assert.equal(err.code, 'ECONNREFUSED');
    assert.ok(err.message.includes(new URL(url).host));
    assert.match(err.hint, /`oneup\.environments`.*`http\.proxy`/);
  });
});

