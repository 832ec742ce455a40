import * as assert from 'node:assert/strict';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import { createOneUpClient, type OneUpClient } from '../../../src/core/api';
import { sandboxEnvironment } from '../../../src/core/environments';
import type { NetworkError } from '../../../src/core/errors';
import { looksLike } from '../../../src/core/util/images';
import { recordingLogger, USER_AGENT } from './helpers';

const PNG = Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), Buffer.alloc(64)]);

describe('public files (health-system logos) through the client', () => {
  let server: http.Server;
  let base: string;
  let client: OneUpClient;
  const seen: http.IncomingHttpHeaders[] = [];
  before(async () => {
    server = http.createServer((req, res) => {
      seen.push(req.headers);
      if (req.url === '/moved') res.writeHead(302, { location: '/logo.png' }).end();
      else if (req.url === '/logo.png') res.writeHead(200, { 'content-type': 'image/png; charset=binary' }).end(PNG);
      else if (req.url === '/huge.png') res.writeHead(200, { 'content-type': 'image/png' }).end(Buffer.alloc(300 * 1024));
      else if (req.url === '/elsewhere') res.writeHead(302, { location: 'file:///etc/passwd' }).end();
      else res.writeHead(404).end();
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    client = createOneUpClient({ environment: sandboxEnvironment(base), credentials: async () => ({ clientId: 'cid-public', clientSecret: 'secret-public' }), userAgent: USER_AGENT, logger: recordingLogger() });
  });
  after(async () => {
    await client.dispose();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });

  it('follows a redirect, answers type and bytes, and sends no credentials even to the API host', async () => {
    const f = await client.transport.getPublic(`${base}/moved`, { accept: 'image/png', maxBytes: 256 * 1024 });
    assert.equal(f.status, 200);
    assert.equal(f.contentType, 'image/png');
    assert.deepEqual(f.body, PNG);
    assert.equal(f.url, `${base}/logo.png`);
    assert.ok(seen.every((h) => !h.authorization && !h.client_id && !h.client_secret), JSON.stringify(seen));
    assert.equal(client.lastCall, undefined, 'a logo is not the "last call" to copy as curl');
  });

  it('stops at the size limit and refuses non-http redirects', async () => {
    await assert.rejects(client.transport.getPublic(`${base}/huge.png`, { accept: 'image/png', maxBytes: 256 * 1024 }), (e: NetworkError) => e.code === 'RESPONSE_TOO_LARGE');
    await assert.rejects(client.transport.getPublic(`${base}/elsewhere`, { accept: 'image/png', maxBytes: 1024 }), /Only http\(s\) URLs/);
  });

  it('checks that the bytes are the image type the server named', () => {
    assert.equal(looksLike('png', PNG), true);
    assert.equal(looksLike('png', Buffer.from('<html>Not found</html>')), false);
    assert.equal(looksLike('jpg', Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0])), true);
    assert.equal(looksLike('svg', Buffer.from('<?xml version="1.0"?>\n<svg xmlns="http://www.w3.org/2000/svg"></svg>')), true);
    assert.equal(looksLike('svg', Buffer.from('<html><svg></svg></html>')), false);
    assert.equal(looksLike('webp', Buffer.from('RIFF\0\0\0\0WEBPVP8 ')), true);
  });
});
