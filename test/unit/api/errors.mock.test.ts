import * as assert from 'node:assert/strict';
import { MockAgent } from 'undici';
import { asUser, type BearerSource } from '../../../src/core/api';
import type { ApiError } from '../../../src/core/errors';
import { MOCK_CREDS, mockClient } from './helpers';

const token: BearerSource = { accessToken: async () => 'user-access-token-1', renew: async () => 'user-access-token-2' };

/** A MockAgent that answers every request to `origin` with one status, body and content type. */
function answering(status: number, body: string, contentType: string, origin = 'https://api.mock.test') {
  const agent = new MockAgent();
  agent.disableNetConnect();
  agent.get(origin).intercept({ path: () => true, method: () => true }).reply(status, body, { headers: { 'content-type': contentType } }).persist();
  return agent;
}

async function failure(p: Promise<unknown>): Promise<ApiError> {
  try {
    await p;
  } catch (e) {
    return e as ApiError;
  }
  throw new Error('expected a failure');
}

// Gateways, rate limiters and 1up's own front end answer some errors in plain text, not JSON.
describe('plain-text error bodies reach the user as they came', () => {
  it('413 "Too many files" on a FHIR create is the message, not "Payload Too Large"', async () => {
    const agent = answering(413, 'Too many files', 'text/plain');
    const { client } = mockClient(agent);
    const e = await failure(client.fhir('r4', asUser(token)).create({ resourceType: 'Observation', status: 'final' }));
    assert.deepEqual([e.name, e.status, e.message], ['ApiError', 413, 'Too many files']);
    await agent.close();
  });

  it('429 "Too Many Requests. Try again later." on listing users is the message after the retries', async () => {
    const agent = answering(429, 'Too Many Requests. Try again later.\n', 'text/plain; charset=utf-8');
    const { client, sleeps } = mockClient(agent);
    const e = await failure(client.users.listUsers());
    assert.deepEqual([e.name, e.status, e.message], ['ApiError', 429, 'Too Many Requests. Try again later.']);
    assert.equal(sleeps.length, 2, 'tried three times');
    await agent.close();
  });

  it('a plain-text refusal of the token endpoint is kept in the error, and a JSON string body too', async () => {
    const agent = answering(429, 'Too Many Requests. Try again later.', 'text/plain', 'https://auth.mock.test');
    const { client } = mockClient(agent);
    const e = await failure(client.tokens.exchangeCode('code-000001'));
    assert.equal(e.message, 'Too Many Requests. Try again later.');
    await agent.close();
    const quoted = answering(503, '"Service is down for maintenance"', 'application/json');
    const q = await failure(mockClient(quoted).client.fhir('r4').search('Patient'));
    assert.equal(q.message, 'Service is down for maintenance');
    await quoted.close();
  });

  it('secrets in a plain-text body are masked, and an HTML error page gives the status text only', async () => {
    const leaky = answering(400, `bad client_secret ${MOCK_CREDS.clientSecret} for user-access-token-1`, 'text/plain');
    const e = await failure(mockClient(leaky).client.fhir('r4', asUser(token)).search('Patient'));
    assert.equal(e.message, 'bad client_secret •••• for ••••');
    await leaky.close();
    const html = answering(502, '<!DOCTYPE html><html><body><h1>502 Bad Gateway</h1><p>nginx</p></body></html>', 'text/html');
    const h = await failure(mockClient(html, { maxTries: 1 }).client.fhir('r4').search('Patient'));
    assert.equal(h.message, '502 Bad Gateway');
    await html.close();
  });

  it('a very long plain-text body is cut, so a message stays readable', async () => {
    const agent = answering(400, 'x'.repeat(5000), 'text/plain');
    const e = await failure(mockClient(agent).client.fhir('r4').search('Patient'));
    assert.equal(e.message.length, 301);
    assert.ok(e.message.endsWith('…'));
    await agent.close();
  });
});
