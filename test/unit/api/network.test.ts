import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as https from 'node:https';
import type { AddressInfo } from 'node:net';
import * as path from 'node:path';
import { createOneUpClient, type NetworkPolicy, type OneUpClient } from '../../../src/core/api';
import { sandboxEnvironment } from '../../../src/core/environments';
import { isCancellation, isNetworkError, NetworkError } from '../../../src/core/errors';
import { type RunningSandbox, startSandbox } from '../../../src/core/sandbox';
import { type ForwardingProxy, startForwardingProxy } from './forwardingProxy';
import { recordingLogger, USER_AGENT } from './helpers';

const fixtures = path.join(__dirname, '..', '..', '..', '..', 'test', 'fixtures', 'tls');
const CERT = readFileSync(path.join(fixtures, 'localhost.crt'), 'utf8');
const KEY = readFileSync(path.join(fixtures, 'localhost.key'), 'utf8');
const LOGIN = `Basic ${Buffer.from('corp-user:pr0xy-pa55word').toString('base64')}`;

/** An HTTPS origin on loopback whose certificate only the test's own CA list trusts. */
async function startTlsOrigin(): Promise<{ port: number; hits: string[]; close(): Promise<void> }> {
  const hits: string[] = [];
  const server = https.createServer({ key: KEY, cert: CERT }, (req, res) => {
    hits.push(`${req.headers.host} ${req.url}`);
    res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ ok: true, path: req.url }));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: (server.address() as AddressInfo).port,
    hits,
    close: () => new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    }),
  };
}

function clientWith(network: NetworkPolicy, base = 'https://localhost:1', log = recordingLogger()): OneUpClient {
  return createOneUpClient({ environment: sandboxEnvironment(base), credentials: async () => undefined, userAgent: USER_AGENT, logger: log, network, maxTries: 1 });
}

async function failure(p: Promise<unknown>): Promise<NetworkError> {
  try {
    await p;
  } catch (e) {
    assert.ok(isNetworkError(e), `a NetworkError, got ${String(e)}`);
    return e as NetworkError;
  }
  assert.fail('the request succeeded');
}

describe('network path: proxy per URL, certificates, proxy logins', () => {
  let origin: Awaited<ReturnType<typeof startTlsOrigin>>;
  before(async () => {
    origin = await startTlsOrigin();
  });
  after(() => origin.close());

  const direct = async () => undefined;
  const get = (c: OneUpClient, url: string) => c.transport.requestJson<{ ok: boolean }>({ method: 'GET', url });

  it("trusts the certificates the policy adds (as VS Code adds the OS store's) and refuses an unknown CA, naming the host and the settings", async () => {
    const url = `https://localhost:${origin.port}/ping`;
    const trusted = clientWith({ resolveProxy: direct, caCertificates: async () => [CERT] });
    try {
      assert.deepEqual((await get(trusted, url)).data, { ok: true, path: '/ping' });
    } finally {
      await trusted.dispose();
    }
    const plain = clientWith({ resolveProxy: direct });
    try {
      const e = await failure(get(plain, url));
      assert.equal(e.code, 'DEPTH_ZERO_SELF_SIGNED_CERT');
      assert.match(e.message, new RegExp(`localhost:${origin.port}`));
      assert.match(e.hint, /`http\.proxyStrictSSL`/);
      assert.match(e.hint, /`http\.systemCertificates`/);
    } finally {
      await plain.dispose();
    }
  });

  it('accepts a certificate that does not verify when http.proxyStrictSSL is false, and says so in the log', async () => {
    const log = recordingLogger();
    const lax = clientWith({ resolveProxy: direct, strictSSL: false }, undefined, log);
    try {
      assert.equal((await get(lax, `https://localhost:${origin.port}/lax`)).data?.ok, true);
      assert.ok(log.lines.some((l) => l.includes('`http.proxyStrictSSL` is off')), log.lines.join('\n'));
    } finally {
      await lax.dispose();
    }
  });

  describe('through a proxy', () => {
    let sb: RunningSandbox;
    let proxy: ForwardingProxy;
    let guarded: ForwardingProxy;
    before(async () => {
      sb = await startSandbox({ patients: 0 });
      proxy = await startForwardingProxy({});
      guarded = await startForwardingProxy({}, { requireAuth: LOGIN });
    });
    after(async () => {
      await proxy.close();
      await guarded.close();
      await sb.close();
    });
    beforeEach(() => {
      proxy.seen.length = 0;
      guarded.seen.length = 0;
    });

    it('asks the policy for every URL (a PAC-style rule by path) and sends only those requests through the proxy', async () => {
      const asked: string[] = [];
      const client = createOneUpClient({
        environment: sandboxEnvironment(sb.url), credentials: async () => sb.credentials, userAgent: USER_AGENT,
        network: { resolveProxy: async (url) => (asked.push(url), new URL(url).pathname.startsWith('/connect/') ? proxy.url : undefined) },
      });
      try {
        assert.ok((await client.connect.listHealthSystems()).length > 0);
        assert.ok(Array.isArray(await client.users.listUsers()));
      } finally {
        await client.dispose();
      }
      assert.deepEqual(proxy.seen.map((s) => new URL(s.target).pathname), ['/connect/system/clinical']);
      assert.ok(asked.some((u) => u.includes('/user-management/v1/user')), asked.join('\n'));
    });

    it('sends http.proxyAuthorization to the proxy, in a CONNECT tunnel and in forwarded plain-http requests, and never logs it', async () => {
      const log = recordingLogger();
      const client = clientWith({ resolveProxy: async () => guarded.url, caCertificates: async () => [CERT], proxyAuthorization: LOGIN }, sb.url, log);
      try {
        assert.equal((await get(client, `https://localhost:${origin.port}/tunnelled`)).data?.ok, true);
        await client.transport.requestJson({ method: 'GET', url: `${sb.url}/` });
      } finally {
        await client.dispose();
      }
      assert.deepEqual(guarded.seen.map((s) => [s.kind, s.headers['proxy-authorization']]), [['connect', LOGIN], ['forward', LOGIN]]);
      assert.ok(origin.hits.includes(`localhost:${origin.port} /tunnelled`));
      assert.ok(!log.lines.join('\n').includes(LOGIN.slice(6)), 'the login is not logged');
      assert.ok(log.lines.some((l) => l.includes(`go through the proxy ${guarded.url}`)), log.lines.join('\n'));
    });

    it("answers a proxy's 407 with the login the policy looks up (Kerberos/Basic in VS Code), then sends it up front", async () => {
      const lookups: [string, readonly string[], number][] = [];
      const client = clientWith({
        resolveProxy: async () => guarded.url,
        caCertificates: async () => [CERT],
        lookupProxyAuthorization: async (proxyUrl, challenges, attempt) => (lookups.push([proxyUrl, challenges, attempt]), LOGIN),
      });
      try {
        assert.equal((await get(client, `https://localhost:${origin.port}/first`)).data?.ok, true);
        // another origin: a new tunnel, which carries the login from the start
        assert.equal((await get(client, `https://127.0.0.1:${origin.port}/second`)).data?.ok, true);
      } finally {
        await client.dispose();
      }
      assert.deepEqual(lookups, [[guarded.url, ['Basic realm="corp"'], 1]]);
      assert.deepEqual(guarded.seen.map((s) => s.headers['proxy-authorization'] ?? 'none'), ['none', LOGIN, LOGIN]);
    });

    it('gives a forwarded plain-http request the looked-up login after a 407, and shares it with later tunnels', async () => {
      const lookups: (readonly string[])[] = [];
      const client = clientWith({
        resolveProxy: async () => guarded.url,
        caCertificates: async () => [CERT],
        lookupProxyAuthorization: async (_p, challenges) => (lookups.push(challenges), LOGIN),
      }, sb.url);
      try {
        assert.ok((await client.transport.requestJson<{ name: string }>({ method: 'GET', url: `${sb.url}/` })).data?.name);
        assert.equal((await get(client, `https://localhost:${origin.port}/after`)).data?.ok, true);
      } finally {
        await client.dispose();
      }
      assert.deepEqual(lookups, [['Basic realm="corp"']], 'asked once');
      const sent = guarded.seen.map((s) => `${s.kind} ${s.method} ${s.headers['proxy-authorization'] ?? 'none'}`);
      assert.equal(sent[0], 'forward GET none');
      assert.ok(sent.includes(`forward GET ${LOGIN}`) && sent.at(-1) === `connect CONNECT ${LOGIN}`, sent.join('\n'));
    });

    it('fails a refused proxy login with an error that names the proxy and http.proxyAuthorization (not as a cancel)', async () => {
      let asked = 0;
      const client = clientWith({ resolveProxy: async () => guarded.url, caCertificates: async () => [CERT], lookupProxyAuthorization: async () => (asked++, 'Basic d3Jvbmc6d3Jvbmc=') });
      try {
        const e = await failure(get(client, `https://localhost:${origin.port}/refused`));
        assert.equal(e.code, 'PROXY_AUTH_REQUIRED');
        assert.match(e.message, new RegExp(`The proxy ${guarded.url.replace(/\./g, '\\.')} asked for a login \\(407, Basic\\) to reach localhost:${origin.port}`));
        assert.match(e.hint, /`http\.proxyAuthorization`/);
        assert.equal(isCancellation(e), false);
        assert.equal(asked, 3, 'three logins tried, then it gives up');
      } finally {
        await client.dispose();
      }
    });

    it('names the proxy when it cannot be reached', async () => {
      const client = clientWith({ resolveProxy: async () => 'http://127.0.0.1:9' }, sb.url);
      try {
        const e = await failure(client.transport.requestJson({ method: 'GET', url: `${sb.url}/` }));
        assert.equal(e.code, 'ECONNREFUSED');
        assert.match(e.message, /The proxy http:\/\/127\.0\.0\.1:9 could not be reached/);
      } finally {
        await client.dispose();
      }
    });
  });
});
