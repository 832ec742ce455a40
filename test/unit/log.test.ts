import * as assert from 'node:assert/strict';
import { maskUrlTokens, pathForLog } from '../../src/core/api/url';
import { Logger, masked, scoped, SecretMasker } from '../../src/core/log';

// A signed export-file token as 1up's file URLs carry one (synthetic: header.payload.signature).
const JWT = 'eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiJleHBvcnQtMTIzIiwiZXhwIjoxNzAwMDAwMDAwfQ.c2lnbmF0dXJlLW5vdC1yZWFsLTAxMjM0NTY3ODk';
const OPAQUE = 'Xk3vQ9mZ2pL7rT4wB8nY1cF6hJ0sD5gA';

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

describe('tokens in URLs', () => {
  it('a signed JWT in an export file path is masked, the file name\'s type and extension kept', () => {
    const path = `/bulk-data/r4/$export/Observation/${JWT}.ndjson`;
    assert.equal(pathForLog(path, false), '/bulk-data/r4/$export/Observation/••••.ndjson');
    assert.equal(maskUrlTokens(`https://analytics.1up.health${path}`), 'https://analytics.1up.health/bulk-data/r4/$export/Observation/••••.ndjson');
  });

  it('long opaque tokens in paths and (with query values shown) in the query are masked; signature parameters always', () => {
    assert.equal(pathForLog(`/files/${OPAQUE}/Patient.ndjson`, true), '/files/••••/Patient.ndjson');
    assert.equal(pathForLog(`/f.ndjson?X-Amz-Signature=abc123def456&t=${JWT}&_count=10`, true), '/f.ndjson?X-Amz-Signature=…&t=••••&_count=10');
    assert.equal(maskUrlTokens(`https://s3.test/f?X-Amz-Signature=abc123&id=${OPAQUE}`), 'https://s3.test/f?X-Amz-Signature=••••&id=••••');
  });

  it('resource ids stay readable: 12- and 48-hex ids, UUIDs, ordinary names', () => {
    const paths = [
      '/fhir/dstu2/Patient/106df2011222',
      `/fhir/dstu2/Observation/${'0123456789abcdef'.repeat(3)}`,
      '/fhir/r4/Patient/c536dee9-9ef6-4807-ae20-9f1045c9c7d6/$everything',
      '/bulk-data/r4/files/5f0c7a1e-0a57-4f4e-9a11-2b9c3e1d7f00/Observation.000.ndjson',
      '/fhir/r4/Practitioner/example-practitioner-with-a-long-name',
    ];
    for (const p of paths) assert.equal(pathForLog(p, false), p);
  });

  it('every log line masks JWTs anywhere and tokens in URLs and request paths nobody told the masker about', () => {
    const m = new SecretMasker();
    assert.equal(m.mask(`Downloading https://analytics.1up.health/bulk-data/r4/$export/Patient/${JWT}.ndjson failed`),
      'Downloading https://analytics.1up.health/bulk-data/r4/$export/Patient/••••.ndjson failed');
    assert.equal(m.mask(`GET /bulk-data/r4/files/${OPAQUE}.ndjson → 410`), 'GET /bulk-data/r4/files/••••.ndjson → 410');
    assert.equal(m.mask(`token ${JWT} seen`), 'token •••• seen');
    assert.equal(m.mask('GET /fhir/r4/Patient/106df2011222 → 200 in 12 ms'), 'GET /fhir/r4/Patient/106df2011222 → 200 in 12 ms');
  });
});
