import * as assert from 'node:assert/strict';
import { request } from 'node:http';
import type { RunningSandbox } from '../../../src/core/sandbox';
import { sandbox } from '../sandbox/helpers';

function statusWithHost(url: string, host: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = request(url, { headers: { host } }, (res) => { res.resume(); resolve(res.statusCode!); });
    req.on('error', reject);
    req.end();
  });
}

describe('sandbox: a forwarded host', () => {
  let sb: RunningSandbox;
  before(async () => { sb = await sandbox(); });
  after(() => sb.close());

  it('is answered once allowed, exactly that one (VS Code in a browser forwards the port)', async () => {
    assert.equal(await statusWithHost(`${sb.url}/connect/marketplace`, '127.0.0.1:3210'), 421);
    sb.allowHost('127.0.0.1:3210');
    assert.equal(await statusWithHost(`${sb.url}/connect/marketplace`, '127.0.0.1:3210'), 200);
    assert.equal(await statusWithHost(`${sb.url}/connect/marketplace`, '127.0.0.1:3211'), 421, 'another port of the same name');
    assert.equal(await statusWithHost(`${sb.url}/connect/marketplace`, 'evil.example:3210'), 421);
    assert.throws(() => sb.allowHost('*'), RangeError);
    assert.throws(() => sb.allowHost('a.example/x:1'), RangeError);
  });
});
