import * as assert from 'node:assert/strict';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import { createOneUpClient, type OneUpClient } from '../../../src/core/api';
import { sandboxEnvironment } from '../../../src/core/environments';
import { isApiError, isNetworkError, type NetworkError } from '../../../src/core/errors';
import { recordingLogger, USER_AGENT } from './helpers';

interface Hostile {
  url: string;
  /** Requests served, and how many bytes each wrote before its socket closed. */
  served: { path: string; written: number; closed: boolean }[];
  close(): Promise<void>;
}

const MB = 1024 * 1024;
const PATIENT = Buffer.from('{"resourceType":"Patient","id":"synthetic-1","name":[{"family":"Example"}]},');

/**
 * A loopback server with the answers a broken or hostile server gives: an endless JSON array, an
 * endless error page, a Content-Length of 2 GB, and a large but finite answer.
 */
async function startHostile(): Promise<Hostile> {
  const served: Hostile['served'] = [];
  const server = http.createServer((req, res) => {
    const entry = { path: req.url ?? '', written: 0, closed: false };
    served.push(entry);
    res.on('close', () => (entry.closed = true));
    const pump = (first: Buffer, chunk: Buffer, limit = Infinity) => {
      res.write(first);
      entry.written += first.length;
      const more = () => {
        while (!res.destroyed && entry.written < limit) {
          entry.written += chunk.length;
          if (!res.write(chunk)) return void res.once('drain', more);
        }
        if (!res.destroyed) res.end(']');
      };
      more();
    };
    const path = new URL(req.url ?? '/', 'http://x').pathname;
    if (path === '/endless') {
      res.writeHead(200, { 'content-type': 'application/fhir+json' });
      pump(Buffer.from('['), Buffer.concat(Array(64).fill(PATIENT)));
    } else if (path === '/error-endless') {
      res.writeHead(500, { 'content-type': 'text/plain' });
      pump(Buffer.from('Internal error: '), Buffer.alloc(64 * 1024, 'x'));
    } else if (path === '/declared') {
      res.writeHead(200, { 'content-type': 'application/json', 'content-length': String(2_000_000_000) });
      res.write('[');
      entry.written = 1;
    } else if (path === '/big') {
      res.writeHead(200, { 'content-type': 'application/json' });
      pump(Buffer.from('['), Buffer.concat(Array(64).fill(PATIENT)), 65 * MB);
    } else {
      res.writeHead(200, { 'content-type': 'application/json' }).end('{"ok":true}');
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    served,
    close: () => new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    }),
  };
}

async function rejection(p: Promise<unknown>): Promise<unknown> {
  try {
    await p;
  } catch (e) {
    return e;
  }
  assert.fail('the request succeeded');
}

async function eventually(check: () => boolean, what: string): Promise<void> {
  for (let i = 0; i < 100 && !check(); i++) await new Promise((r) => setTimeout(r, 50));
  assert.ok(check(), what);
}

describe('size limits on answers', () => {
  let server: Hostile;
  let client: OneUpClient;
  before(async () => {
    server = await startHostile();
  });
  after(() => server.close());
  afterEach(async () => {
    await client?.dispose();
    server.served.length = 0;
  });

  const make = (maxResponseBytes?: number) => (client = createOneUpClient({
    environment: sandboxEnvironment(server.url), credentials: async () => undefined, userAgent: USER_AGENT, logger: recordingLogger(), maxResponseBytes,
  }));

  it('stops reading an endless JSON answer at the limit, closes the connection and names the URL (masked) and the setting', async () => {
    const e = await rejection(make(MB).transport.requestJson({ method: 'GET', url: `${server.url}/endless`, query: { token: 's3cret-query-value' } }));
    assert.ok(isNetworkError(e), String(e));
    const ne = e as NetworkError;
    assert.equal(ne.code, 'RESPONSE_TOO_LARGE');
    assert.match(ne.message, new RegExp(`GET ${server.url.replace(/\./g, '\\.')}/endless is more than 1 MB`));
    assert.ok(!ne.message.includes('s3cret'), 'query values stay out of the message');
    assert.match(ne.hint, /`oneup\.maxResponseSizeMB`/);
    await eventually(() => server.served[0]?.closed, 'the server saw the connection closed');
    assert.equal(server.served.length, 1, 'not retried: the next try would be as large');
    assert.ok(server.served[0].written < 64 * MB, `stopped early (${server.served[0].written} bytes written)`);
  });

  it('refuses an answer whose Content-Length is over the limit without waiting for it', async () => {
    const e = await rejection(make(MB).transport.requestJson({ method: 'GET', url: `${server.url}/declared` }));
    assert.equal((e as NetworkError).code, 'RESPONSE_TOO_LARGE');
    assert.match((e as Error).message, /is 1907 MB \(Content-Length\), over the 1 MB limit/);
  });

  it('holds to 64 MB by default: a 65 MB answer fails, a small one passes', async () => {
    const e = await rejection(make().transport.requestJson({ method: 'GET', url: `${server.url}/big` }));
    assert.equal((e as NetworkError).code, 'RESPONSE_TOO_LARGE');
    assert.match((e as Error).message, /over the 64 MB limit/);
    assert.deepEqual((await client.transport.requestJson({ method: 'GET', url: `${server.url}/ok` })).data, { ok: true });
  });

  it('reads only the start of an endless error page and still reports the error', async () => {
    const e = await rejection(make(MB).transport.requestJson({ method: 'GET', url: `${server.url}/error-endless`, retry: false }));
    assert.ok(isApiError(e), String(e));
    assert.equal(e.status, 500);
    await eventually(() => server.served[0]?.closed, 'the server saw the connection closed');
  });
});
