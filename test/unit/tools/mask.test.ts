import * as assert from 'node:assert/strict';
import { SecretMasker } from '../../../src/core/log';
import { maskForModel } from '../../../src/core/tools/mask';

describe('tool answers are masked like the log', () => {
  const masker = new SecretMasker();
  masker.add('sandbox-client-secret');
  masker.add('eyJhbGciOiJIUzI1NiJ9.access-token-value');
  masker.add('auth-code-0123456789');

  it('masks every secret the client has seen, wherever it appears', () => {
    const text = 'secret sandbox-client-secret, token eyJhbGciOiJIUzI1NiJ9.access-token-value, code auth-code-0123456789';
    const out = maskForModel(text, masker);
    assert.doesNotMatch(out, /sandbox-client-secret|access-token-value|auth-code-0123456789/);
    assert.equal(out.split('••••').length - 1, 3);
  });

  it('masks values named like secrets, as the log does', () => {
    const out = maskForModel('{"access_token":"abc123def","refresh_token":"zzz999yyy"} Authorization: Bearer qqq111www client_secret=shh123', masker);
    assert.doesNotMatch(out, /abc123def|zzz999yyy|qqq111www|shh123/);
  });

  it('keeps FHIR codes: the `code` element and the `code` search parameter are terminology, not OAuth codes', () => {
    const json = '{"code":{"coding":[{"system":"http://loinc.org","code":"2339-0","display":"Glucose"}]}}';
    assert.equal(maskForModel(json, masker), json);
    assert.equal(maskForModel('GET /fhir/r4/Observation?code=http://loinc.org|2339-0&_count=5', masker), 'GET /fhir/r4/Observation?code=http://loinc.org|2339-0&_count=5');
    // an auth code the client received is still masked by its value
    assert.equal(maskForModel('{"code":"auth-code-0123456789"}', masker), '{"code":"••••"}');
  });
});
