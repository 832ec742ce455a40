import * as assert from 'node:assert/strict';
import { errors, MockAgent } from 'undici';
import { ApiError, AuthError, CancelledError, InputError, NetworkError } from '../../../src/core/errors';
import { bundle, json, JSON_HEADERS, MOCK_ENV, mockClient } from './helpers';

// Wire cases a sandbox cannot easily produce, answered by undici's MockAgent.
describe('transport on the wire (MockAgent)', () => {
  let agent: MockAgent;
  beforeEach(() => {
    agent = new MockAgent();
    agent.disableNetConnect();
  });
  afterEach(() => agent.close());

  const api = () => agent.get('https://api.mock.test');
  const patients = { path: '/fhir/r4/Patient', method: 'GET' } as const;

  it('turns a header timeout into a NetworkError whose hint names the timeout setting', async () => {
    api().intercept(patients).replyWithError(new errors.HeadersTimeoutError()).times(2);
    const { client } = mockClient(agent, { maxTries: 2, requestTimeoutSeconds: 7 });
    const err = await client.fhir().search('Patient').catch((e: unknown) => e);
    assert.ok(err instanceof NetworkError, String(err));
    assert.equal(err.code, 'UND_ERR_HEADERS_TIMEOUT');
    assert.match(err.hint, /`oneup\.requestTimeoutSeconds`/);
    assert.match(err.message, /api\.mock\.test did not answer within 7 s/);
  });

  it('retries a GET after a connection reset and succeeds', async () => {
    api().intercept(patients).replyWithError(Object.assign(new Error('read ECONNRESET'), { code: 'ECONNRESET' }));
    api().intercept(patients).reply(200, json(bundle([{ resourceType: 'Patient', id: 'p1' }])), { headers: JSON_HEADERS });
    const { client, sleeps, log } = mockClient(agent);
    const b = await client.fhir().search('Patient');
    assert.equal(b.entry?.[0].resource?.id, 'p1');
    assert.equal(sleeps.length, 1);
    assert.ok(log.lines.some((l) => /GET \/fhir\/r4\/Patient → ECONNRESET .*retrying/.test(l)), log.lines.join('\n'));
  });

  it('never retries a POST, not even after a connection reset', async () => {
    let calls = 0;
    api().intercept({ path: '/fhir/r4/Patient', method: 'POST' }).reply(() => {
      calls++;
      throw Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' });
    }).persist();
    const { client, sleeps } = mockClient(agent);
    const err = await client.fhir().create({ resourceType: 'Patient' }).catch((e: unknown) => e);
    assert.ok(err instanceof NetworkError, String(err));
    assert.equal(err.code, 'ECONNRESET');
    assert.match(err.hint, /`http\.proxy`/);
    assert.equal(calls, 1);
    assert.deepEqual(sleeps, []);
  });

  it('never retries a POST answered 503', async () => {
    let calls = 0;
    api().intercept({ path: '/fhir/r4/Observation', method: 'POST' }).reply(() => {
      calls++;
      return { statusCode: 503, data: json({ error: 'busy' }), responseOptions: { headers: JSON_HEADERS } };
    }).persist();
    const { client } = mockClient(agent, { maxTries: 5 });
    const err = await client.fhir().create({ resourceType: 'Observation' }).catch((e: unknown) => e);
    assert.ok(err instanceof ApiError);
    assert.equal(err.status, 503);
    assert.equal(err.message, 'busy');
    assert.equal(calls, 1);
  });

  it('tries a GET answered 503 exactly maxTries times, with growing waits', async () => {
    let calls = 0;
    api().intercept(patients).reply(() => {
      calls++;
      return { statusCode: 503, data: '' };
    }).persist();
    const { client, sleeps } = mockClient(agent, { maxTries: 4, retryBaseMs: 100 });
    const err = await client.fhir().search('Patient').catch((e: unknown) => e);
    assert.ok(err instanceof ApiError);
    assert.equal(err.status, 503);
    assert.equal(calls, 4);
    assert.deepEqual(sleeps, [75, 150, 300]);
  });

  it('does not retry statuses that will not change (500, 404)', async () => {
    let calls = 0;
    api().intercept(patients).reply(() => {
      calls++;
      return { statusCode: 500, data: json({ resourceType: 'OperationOutcome', issue: [{ severity: 'error', diagnostics: 'boom' }] }) };
    }).persist();
    const { client } = mockClient(agent);
    const err = await client.fhir().search('Patient').catch((e: unknown) => e);
    assert.ok(err instanceof ApiError);
    assert.equal(err.message, 'boom');
    assert.equal(err.issues[0].severity, 'error');
    assert.equal(calls, 1);
  });

  it('honours a Retry-After given as an HTTP date', async () => {
    const now = Date.parse('2026-01-01T00:00:00Z');
    api().intercept(patients).reply(503, '', { headers: { 'retry-after': new Date(now + 12_000).toUTCString() } });
    api().intercept(patients).reply(200, json(bundle([])), { headers: JSON_HEADERS });
    const { client, sleeps } = mockClient(agent);
    await client.fhir().search('Patient');
    assert.deepEqual(sleeps, [12_000]);
  });

  it('clamps a Retry-After that is an epoch timestamp to 60 s', async () => {
    api().intercept(patients).reply(429, json({ error: 'slow down' }), { headers: { 'retry-after': '1798761600' } });
    api().intercept(patients).reply(200, json(bundle([])), { headers: JSON_HEADERS });
    const { client, sleeps } = mockClient(agent);
    await client.fhir().search('Patient');
    assert.deepEqual(sleeps, [60_000]);
  });

  it('reports malformed JSON as a clear ApiError and keeps working', async () => {
    api().intercept(patients).reply(200, '{"resourceType": "Bundle", "entry": [', { headers: JSON_HEADERS });
    api().intercept(patients).reply(200, json(bundle([])), { headers: JSON_HEADERS });
    const { client } = mockClient(agent);
    const err = await client.fhir().search('Patient').catch((e: unknown) => e);
    assert.ok(err instanceof ApiError, String(err));
    assert.match(err.message, /not valid JSON \(application\/json, 37 bytes\)/);
    assert.equal(err.path, '/fhir/r4/Patient');
    assert.equal((await client.fhir().search('Patient')).resourceType, 'Bundle');
  });

  it('follows next links byte for byte, never rebuilding them', async () => {
    const odd = '/fhir/r4/Patient?_getpages=a%2fb&_getpagesoffset=10&code=x%7cy&name=a+b&z=,';
    const seen: string[] = [];
    api().intercept(patients).reply(200, json(bundle([{ resourceType: 'Patient', id: '1' }], `https://api.mock.test${odd}`)), { headers: JSON_HEADERS });
    api().intercept({ path: () => true, method: 'GET' }).reply((o) => {
      seen.push(o.path);
      return { statusCode: 200, data: json(bundle([{ resourceType: 'Patient', id: '2' }])), responseOptions: { headers: JSON_HEADERS } };
    });
    const { client } = mockClient(agent);
    const ids: string[] = [];
    for await (const page of client.fhir().pages('Patient')) ids.push(...(page.entry ?? []).map((e) => e.resource?.id ?? ''));
    assert.deepEqual(ids, ['1', '2']);
    assert.deepEqual(seen, [odd]);
  });

  it('sends a literal | in a query value as %7C', async () => {
    const seen: string[] = [];
    api().intercept({ path: () => true, method: 'GET' }).reply((o) => {
      seen.push(o.path);
      return { statusCode: 200, data: json(bundle([])), responseOptions: { headers: JSON_HEADERS } };
    });
    const { client } = mockClient(agent);
    await client.fhir().search('Observation', { code: 'http://loinc.org|8867-4', _content: 'a b+c' });
    assert.equal(seen[0], '/fhir/r4/Observation?code=http://loinc.org%7C8867-4&_content=a%20b%2Bc');
  });

  it('refuses to follow a link to another host, so no credential leaves the environment', async () => {
    const { client } = mockClient(agent);
    await assert.rejects(client.fhir().fetchPage('https://evil.example/fhir/r4/Patient?page=2'), InputError);
    await assert.rejects(client.transport.request({ method: 'GET', url: 'https://evil.example/x', auth: { kind: 'app' } }), InputError);
    assert.equal(client.transport.isOwnOrigin(`${MOCK_ENV.bulkDataUrl}/r4/$export`), true);
  });

  it('answers a missing credential with AuthError(missing-credentials) before sending anything', async () => {
    const { client } = mockClient(agent, { credentials: async () => undefined });
    const err = await client.users.listUsers().catch((e: unknown) => e);
    assert.ok(err instanceof AuthError);
    assert.equal(err.problem, 'missing-credentials');
  });

  it('stops waiting out a Retry-After when the caller cancels', async () => {
    api().intercept(patients).reply(503, '', { headers: { 'retry-after': '30' } });
    const { client } = mockClient(agent, { clock: { now: Date.now, random: () => 0.5 } });
    const ac = new AbortController();
    const pending = client.fhir().search('Patient', undefined, ac.signal);
    setImmediate(() => ac.abort());
    await assert.rejects(pending, CancelledError);
  });
});
