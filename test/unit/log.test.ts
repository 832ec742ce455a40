import * as assert from 'node:assert/strict';
import { Logger, masked, scoped, SecretMasker } from '../../src/core/log';

function recorder(): Logger & { lines: string[] } {
  const lines: string[] = [];
  const push = (m: string | Error) => lines.push(typeof m === 'string' ? m : `${m.message}\n${m.stack ?? ''}`);
  return { lines, trace: push, debug: push, info: push, warn: push, error: push };
}

describe('SecretMasker', () => {
  it('masks secrets it was told about wherever they appear', () => {
    const m = new SecretMasker();
    m.add('s3cr3t-value-123');
    assert.equal(m.mask('a s3cr3t-value-123 b s3cr3t-value-123'), 'a •••• b ••••');
  });

  it('masks secret-looking values by name in forms, queries, JSON and headers', () => {
    const m = new SecretMasker();
    assert.equal(m.mask('client_id=abc&client_secret=xyz123&code=c0de'), 'client_id=abc&client_secret=••••&code=••••');
    assert.equal(m.mask('GET /x?access_token=tok&q=1'), 'GET /x?access_token=••••&q=1');
    assert.equal(m.mask('{"access_token":"aaa","refresh_token":"bbb","expires_in":7200}'), '{"access_token":"••••","refresh_token":"••••","expires_in":7200}');
    assert.equal(m.mask('Authorization: Bearer abc.def.ghi'), 'Authorization: Bearer ••••');
    assert.equal(m.mask('proxy http://user:pa55@proxy.local:3128'), 'proxy http://user:••••@proxy.local:3128');
  });

  it('ignores values too short to be secrets so ordinary words survive', () => {
    const m = new SecretMasker();
    m.add('r4');
    assert.equal(m.mask('GET /fhir/r4/Patient'), 'GET /fhir/r4/Patient');
  });

  it('masked() and scoped() loggers mask and prefix every line, errors included', () => {
    const rec = recorder();
    const m = new SecretMasker();
    m.add('tok-abcdef-1');
    const log = scoped(masked(rec, m), 'api');
    log.info('sent tok-abcdef-1');
    log.error(new Error('failed with tok-abcdef-1'));
    assert.equal(rec.lines[0], '[api] sent ••••');
    assert.ok(!rec.lines.join('\n').includes('tok-abcdef-1'));
  });
});
