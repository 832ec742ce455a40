import * as assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { ENDPOINTS, keysPlace, type Source } from '../../../src/core/api/endpoints';
import { renderEndpointsReadme } from '../../../src/core/api/endpointsDoc';

const ROOT = path.resolve(__dirname, '..', '..', '..', '..');
const docs = {
  reference: readFileSync(path.join(ROOT, 'test', 'fixtures', 'reference', '1uphealth-api-reference.txt'), 'utf8').split('\n'),
  'API.md': readFileSync(path.join(ROOT, 'test', 'fixtures', 'reference', 'API.md'), 'utf8').split('\n'),
};
const README = path.join(ROOT, 'src', 'core', 'api', 'README.md');

function lineOf(s: Source): string {
  return docs[s.doc][s.line - 1] ?? '';
}

describe('the endpoint table', () => {
  it('cites, for every endpoint and parameter, a line of the reference or API.md that says what the table quotes', () => {
    const wrong: string[] = [];
    for (const e of ENDPOINTS) {
      for (const s of [e.source, ...e.params.map((p) => p.source)]) {
        if (!lineOf(s).includes(s.quote)) wrong.push(`${e.id}: ${s.doc} line ${s.line} does not say "${s.quote}" (it says "${lineOf(s)}")`);
      }
    }
    assert.deepEqual(wrong, []);
  });

  it('has a row for every endpoint URL the reference lists', () => {
    const urls = docs.reference.map((l, i) => ({ line: i + 1, text: l.trim() })).filter((l) => /^https:\/\/\S+$/.test(l.text));
    assert.equal(urls.length, 15, 'the reference lists 15 endpoints');
    const cited = new Set(ENDPOINTS.filter((e) => e.source.doc === 'reference').map((e) => e.source.line));
    assert.deepEqual(urls.filter((u) => !cited.has(u.line)).map((u) => `${u.line}: ${u.text}`), []);
  });

  it('gives each endpoint the path the reference shows (after its base), placeholders aside', () => {
    const shape = (p: string) => p.replace(/\{[^}]+\}/g, '{}');
    for (const e of ENDPOINTS.filter((x) => x.source.doc === 'reference' && x.base !== 'token' && x.base !== 'link')) {
      const url = new URL(lineOf(e.source).trim().replace(/\{/g, '%7B').replace(/\}/g, '%7D'));
      const refPath = decodeURIComponent(url.pathname).replace(/^\/(fhir|bulk-data)(?=\/)/, e.base === 'api' ? '/$1' : '');
      // the revoke line shows an example id where the grant line shows {oneUpUserId}
      const expected = shape(refPath).replace('/oneup_user_id_to_lose_access', '/{}');
      assert.equal(shape(e.path), expected, e.id);
    }
  });

  it('puts both app keys in one place on every call that sends them as parameters, and the secret is marked secret', () => {
    for (const e of ENDPOINTS) {
      const id = e.params.find((p) => p.name === 'client_id' && p.in !== 'path');
      const secret = e.params.find((p) => p.name === 'client_secret');
      if (e.auth === 'app-keys' || e.auth === 'bearer+app-keys') {
        assert.ok(id && secret && id.in === secret.in && keysPlace(e), `${e.id} sends both keys`);
        assert.ok(secret.secret, `${e.id}: client_secret is secret`);
      } else {
        assert.equal(secret, undefined, `${e.id} sends no client_secret as a parameter`);
      }
      for (const p of e.params) if (/secret|token|^code$/.test(p.name)) assert.ok(p.secret, `${e.id}: ${p.name} is secret`);
    }
  });

  it('names the grant with the app keys as form fields and the revoke without them, the health-system list with them in the query', () => {
    const by = (id: string) => ENDPOINTS.find((e) => e.id === id)!;
    assert.equal(keysPlace(by('permissions.grant')), 'form');
    assert.equal(by('permissions.grant').auth, 'bearer+app-keys');
    assert.equal(keysPlace(by('permissions.revoke')), undefined);
    assert.equal(by('permissions.revoke').auth, 'bearer');
    assert.equal(keysPlace(by('connect.healthSystems')), 'query');
    assert.deepEqual(by('users.authCode').params.filter((p) => p.in === 'form').map((p) => p.name).sort(), ['app_user_id', 'client_id', 'client_secret', 'oneup_user_id']);
  });

  it('is shown as it is in src/core/api/README.md', () => {
    const rendered = renderEndpointsReadme();
    if (process.env.ONEUP_WRITE_ENDPOINTS_README === '1') writeFileSync(README, rendered);
    assert.equal(readFileSync(README, 'utf8'), rendered,
      'src/core/api/README.md is out of step with endpoints.ts: run this test with ONEUP_WRITE_ENDPOINTS_README=1');
  });
});
