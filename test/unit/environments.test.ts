import * as assert from 'node:assert/strict';
import { DEFAULT_ENVIRONMENT, sandboxEnvironment, validateEnvironment } from '../../src/core/environments';

describe('environments', () => {
  it('the built-in environment holds the documented 1upHealth defaults', () => {
    assert.equal(DEFAULT_ENVIRONMENT.apiUrl, 'https://api.1up.health');
    assert.equal(DEFAULT_ENVIRONMENT.fhirUrl, 'https://api.1up.health/fhir');
    assert.equal(DEFAULT_ENVIRONMENT.tokenUrl, 'https://api.1up.health/fhir/oauth2/token');
    assert.equal(DEFAULT_ENVIRONMENT.bulkDataUrl, 'https://analytics.1up.health/bulk-data');
  });

  it('accepts a complete entry and trims trailing slashes', () => {
    const { env, problems } = validateEnvironment('New', {
      apiUrl: 'https://api.1up.health/', fhirUrl: 'https://api.1up.health', tokenUrl: 'https://auth.1up.health/oauth2/token',
      bulkDataUrl: 'https://analytics.1up.health/bulk-data/', fhirVersion: 'stu3',
    });
    assert.deepEqual(problems, []);
    assert.equal(env?.apiUrl, 'https://api.1up.health');
    assert.equal(env?.bulkDataUrl, 'https://analytics.1up.health/bulk-data');
    assert.equal(env?.fhirVersion, 'stu3');
  });

  it('names every problem of a bad entry', () => {
    const { env, problems } = validateEnvironment('Bad', { apiUrl: 'ftp://x', fhirUrl: 'not a url', tokenUrl: 'https://u:p@h/t', fhirVersion: 'r5' });
    assert.equal(env, undefined);
    assert.deepEqual(problems, [
      '"Bad".apiUrl must be an http(s) URL',
      '"Bad".fhirUrl is not a URL: not a url',
      '"Bad".tokenUrl must not contain credentials',
      '"Bad".bulkDataUrl is missing',
      '"Bad".fhirVersion must be one of dstu2, stu3, r4',
    ]);
  });

  it('sends user-management keys as the reference does unless an entry asks for headers', () => {
    const urls = { apiUrl: 'https://a.test', fhirUrl: 'https://a.test/fhir', tokenUrl: 'https://a.test/t', bulkDataUrl: 'https://a.test/b' };
    assert.equal(validateEnvironment('Plain', urls).env?.userManagementKeys, undefined);
    assert.equal(validateEnvironment('Auto', { ...urls, userManagementKeys: 'auto' }).env?.userManagementKeys, undefined);
    assert.equal(validateEnvironment('Headers', { ...urls, userManagementKeys: 'headers' }).env?.userManagementKeys, 'headers');
    assert.deepEqual(validateEnvironment('Bad', { ...urls, userManagementKeys: 'cookies' }).problems, ['"Bad".userManagementKeys must be one of auto, headers']);
  });

  it('the sandbox environment uses the reference paths on its base', () => {
    const env = sandboxEnvironment('http://127.0.0.1:4000/');
    assert.equal(env.fhirUrl, 'http://127.0.0.1:4000/fhir');
    assert.equal(env.tokenUrl, 'http://127.0.0.1:4000/fhir/oauth2/token');
    assert.equal(env.bulkDataUrl, 'http://127.0.0.1:4000/bulk-data');
  });
});
