import * as assert from 'node:assert/strict';
import { errors, MockAgent } from 'undici';
import { interactiveLoad, isInteractive } from '../../../src/core/api/interactive';
import { isCancellation, NetworkError } from '../../../src/core/errors';
import { bundle, json, JSON_HEADERS, mockClient } from '../api/helpers';

describe('interactive loads (a view waiting on the server)', () => {
  let agent: MockAgent;
  beforeEach(() => {
    agent = new MockAgent();
    agent.disableNetConnect();
  });
  afterEach(() => agent.close());
  const api = () => agent.get('https://api.mock.test');
  const patients = { path: '/fhir/r4/Patient', method: 'GET' } as const;

  it('get one try: a 503 or a dropped connection is not retried', async () => {
    let calls = 0;
    api().intercept(patients).reply(() => { calls++; return { statusCode: 503, data: json({ error: 'busy' }), responseOptions: { headers: JSON_HEADERS } }; }).persist();
    const { client, sleeps } = mockClient(agent, { maxTries: 3 });
    const load = interactiveLoad(30, 'api.mock.test');
    try {
      await assert.rejects(client.fhir().search('Patient', undefined, load.signal));
    } finally {
      load.done();
    }
    assert.equal(calls, 1, 'one request');
    assert.deepEqual(sleeps, [], 'no wait for another try');
    // the same search for a command keeps its retries
    await assert.rejects(client.fhir().search('Patient'));
    assert.equal(calls, 4);
  });

  it('end at their deadline with a timeout that says how long they waited, not as a cancel', async () => {
    api().intercept(patients).reply(200, json(bundle([]))).delay(5_000);
    const { client } = mockClient(agent);
    const load = interactiveLoad(0.3, 'api.mock.test');
    const started = Date.now();
    const err = await client.fhir().search('Patient', undefined, load.signal).catch((e: unknown) => e);
    load.done();
    assert.ok(Date.now() - started < 3_000, 'it did not wait for the answer');
    assert.ok(err instanceof NetworkError, String(err));
    assert.ok(!isCancellation(err));
    assert.equal(err.code, 'DEADLINE');
    assert.match(err.message, /^api\.mock\.test did not answer within 0\.\d s\.$/);
    assert.equal(load.timedOut(), err);
  });

  it('a parent that aborts (a refresh) cancels them; their signal is marked, others are not', () => {
    const parent = new AbortController();
    const load = interactiveLoad(30, 'x', parent.signal);
    assert.ok(isInteractive(load.signal));
    assert.ok(!isInteractive(new AbortController().signal));
    parent.abort();
    assert.ok(load.signal.aborted);
    assert.equal(load.timedOut(), undefined);
    load.done();
  });

  it('a command that gave up after several tries says how many and how long in all', async () => {
    api().intercept(patients).replyWithError(new errors.HeadersTimeoutError()).times(3);
    let now = Date.parse('2026-01-01T00:00:00Z');
    const { client } = mockClient(agent, { maxTries: 3, requestTimeoutSeconds: 30, clock: { now: () => (now += 15_500), random: () => 0.5, sleep: async () => undefined } });
    const err = await client.fhir().search('Patient').catch((e: unknown) => e);
    assert.ok(err instanceof NetworkError, String(err));
    assert.match(err.message, /did not answer within 30 s \(3 tries, \d+ s in all\)\.$/);
    const total = Number(/(\d+) s in all/.exec(err.message)![1]);
    assert.ok(total > 30, `the real time (${total} s), not one try's timeout`);
  });
});
