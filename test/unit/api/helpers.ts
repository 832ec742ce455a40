import type { MockAgent } from 'undici';
import { createOneUpClient, type OneUpClient, type OneUpClientOptions } from '../../../src/core/api';
import type { Environment } from '../../../src/core/environments';
import type { Logger } from '../../../src/core/log';

export const USER_AGENT = 'vscode-oneup-health/0.1.0-test';

/** A Logger that keeps every line (errors with their stack) so tests can search them. */
export function recordingLogger(): Logger & { lines: string[] } {
  const lines: string[] = [];
  const push = (m: string | Error) => lines.push(typeof m === 'string' ? m : `${m.message}\n${m.stack ?? ''}`);
  return { lines, trace: push, debug: push, info: push, warn: push, error: push };
}

/** An environment on a made-up host that only a MockAgent answers. */
export const MOCK_ENV: Environment = {
  name: 'Mock',
  apiUrl: 'https://api.mock.test',
  fhirUrl: 'https://api.mock.test/fhir',
  tokenUrl: 'https://auth.mock.test/oauth2/token',
  bulkDataUrl: 'https://bulk.mock.test/bulk-data',
  fhirVersion: 'r4',
};

export const MOCK_CREDS = { clientId: 'mock-client-id-0001', clientSecret: 'mock-client-secret-0001' };

/** A client over a MockAgent whose clock records the waits it chose instead of waiting them. */
export function mockClient(agent: MockAgent, extra: Partial<OneUpClientOptions> = {}): { client: OneUpClient; sleeps: number[]; log: ReturnType<typeof recordingLogger> } {
  const sleeps: number[] = [];
  const log = recordingLogger();
  const client = createOneUpClient({
    environment: MOCK_ENV,
    credentials: async () => MOCK_CREDS,
    userAgent: USER_AGENT,
    logger: log,
    dispatcher: agent,
    clock: { now: () => Date.parse('2026-01-01T00:00:00Z'), random: () => 0.5, sleep: async (ms) => void sleeps.push(ms) },
    codeRetryDelaysMs: [1, 1],
    ...extra,
  });
  return { client, sleeps, log };
}

export const json = (data: unknown) => JSON.stringify(data);
export const JSON_HEADERS = { 'content-type': 'application/json' };

export function bundle(entries: unknown[], next?: string): unknown {
  return {
    resourceType: 'Bundle', type: 'searchset', total: entries.length,
    link: next ? [{ relation: 'self', url: 'x' }, { relation: 'next', url: next }] : [{ relation: 'self', url: 'x' }],
    entry: entries.map((resource) => ({ resource })),
  };
}
