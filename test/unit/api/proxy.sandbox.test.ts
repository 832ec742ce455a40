import * as assert from 'node:assert/strict';
import { createOneUpClient, type OneUpClientOptions } from '../../../src/core/api';
import { sandboxEnvironment } from '../../../src/core/environments';
import { type RunningSandbox, startSandbox } from '../../../src/core/sandbox';
import { type ForwardingProxy, startForwardingProxy } from './forwardingProxy';
import { recordingLogger, USER_AGENT } from './helpers';

// `api.oneup-proxied.test` does not resolve anywhere: a request for it can only succeed through the proxy.
const HOST = 'api.oneup-proxied.test';

describe('proxies', () => {
  let sb: RunningSandbox;
  let proxy: ForwardingProxy;
  before(async () => {
    sb = await startSandbox({ patients: 0 });
    proxy = await startForwardingProxy({ [`${HOST}`]: new URL(sb.url).host, [`${HOST}:80`]: new URL(sb.url).host });
  });
  after(async () => {
    await proxy.close();
    await sb.close();
  });
  beforeEach(() => {
    proxy.seen.length = 0;
  });

  async function listThrough(o: Partial<OneUpClientOptions>) {
    const log = recordingLogger();
    const client = createOneUpClient({
      environment: sandboxEnvironment(`http://${HOST}`), credentials: async () => sb.credentials, userAgent: USER_AGENT, logger: log, env: {}, ...o,
    });
    try {
      return { systems: await client.connect.listHealthSystems(), log };
    } finally {
      await client.dispose();
    }
  }

  it('sends requests through the http.proxy setting (absolute-form forwarding for http:// targets)', async () => {
    const { systems, log } = await listThrough({ proxy: proxy.url });
    assert.ok(systems.length > 0);
    assert.equal(proxy.seen.length, 1);
    assert.equal(proxy.seen[0].kind, 'forward');
    // the list carries the app keys as query parameters (1up's examples)
    assert.equal(proxy.seen[0].target.split('?')[0], `http://${HOST}/connect/system/clinical`);
    assert.equal(proxy.seen[0].headers['user-agent'], USER_AGENT);
    assert.ok(log.lines.some((l) => l.includes(`through the proxy ${proxy.url}`)));
  });

  it('honours HTTP_PROXY from the environment when the setting is empty', async () => {
    const { systems } = await listThrough({ env: { HTTP_PROXY: proxy.url } });
    assert.ok(systems.length > 0);
    assert.deepEqual(proxy.seen.map((s) => s.kind), ['forward']);
  });

  it('sends proxy credentials from the proxy URL and never logs the password', async () => {
    const withAuth = proxy.url.replace('http://', 'http://corp-user:pr0xy-pa55word@');
    const { log } = await listThrough({ proxy: withAuth });
    const auth = proxy.seen[0].headers['proxy-authorization'];
    assert.equal(auth, `Basic ${Buffer.from('corp-user:pr0xy-pa55word').toString('base64')}`);
    assert.ok(log.lines.length > 0);
    assert.ok(!log.lines.join('\n').includes('pr0xy-pa55word'), log.lines.join('\n'));
  });

  it('goes straight to a loopback sandbox even with a proxy set', async () => {
    const log = recordingLogger();
    const client = createOneUpClient({ environment: sandboxEnvironment(sb.url), credentials: async () => sb.credentials, userAgent: USER_AGENT, logger: log, proxy: proxy.url, env: {} });
    assert.ok((await client.connect.listHealthSystems()).length > 0);
    await client.dispose();
    assert.equal(proxy.seen.length, 0);
  });
});
