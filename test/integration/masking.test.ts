import * as assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { SecretKeys } from '../../src/constants';
import type { ExtensionApi } from '../../src/extension';
import { activateExtension } from './helpers';

describe('secrets in error messages and token storage are masked', function () {
  this.timeout(120000);
  let api: ExtensionApi;

  it('tokens read from or written to the token store are masked in the log', async () => {
    api = await activateExtension();
    const environment = 'it-masking';
    const tokenSet = () => ({ accessToken: `at-${randomUUID()}`, refreshToken: `rt-${randomUUID()}`, tokenType: 'bearer', expiresAt: Date.now() + 3_600_000 });
    const store = api.credentials.tokenStore(environment);
    const written = tokenSet();
    await store.set('oneup_user_id:it-written', JSON.stringify(written));
    // tokens kept from an earlier session: in SecretStorage before the store reads them
    const kept = tokenSet();
    await api.context.secrets.store(SecretKeys.tokens(environment, 'oneup_user_id:it-kept'), JSON.stringify(kept));
    assert.equal(await store.get('oneup_user_id:it-kept'), JSON.stringify(kept));
    const values = [written.accessToken, written.refreshToken, kept.accessToken, kept.refreshToken];
    api.logger.info(`tokens in a log line: ${values.join(' ')}`);
    const line = api.logger.recent()[api.logger.recent().length - 1];
    assert.match(line, /tokens in a log line/);
    for (const v of values) assert.ok(!line.includes(v), `${v.slice(0, 3)}… is masked`);
    await store.delete('oneup_user_id:it-written');
    await store.delete('oneup_user_id:it-kept');
  });
});
