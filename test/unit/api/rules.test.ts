import * as assert from 'node:assert/strict';
import { encodeQueryPart, parseRetryAfter, RateBudget, summarizeProvider } from '../../../src/core/api';
import { resolveBySettings } from '../../../src/core/api/network';
import { toNetworkError } from '../../../src/core/api/netErrors';
import { splitRaw } from '../../../src/core/api/url';

describe('client rules', () => {
  const now = Date.parse('2026-03-01T10:00:00Z');

  it('reads Retry-After as seconds or an HTTP date, clamped to the maximum, never negative', () => {
    assert.equal(parseRetryAfter('7', now), 7);
    assert.equal(parseRetryAfter(new Date(now + 20_000).toUTCString(), now), 20);
    assert.equal(parseRetryAfter(new Date(now - 20_000).toUTCString(), now), 0);
    assert.equal(parseRetryAfter('1798761600', now), 60);
    assert.equal(parseRetryAfter('1798761600', now, 5), 5);
    assert.equal(parseRetryAfter('soon', now), undefined);
    assert.equal(parseRetryAfter(undefined, now), undefined);
  });

  it('encodes query parts: | as %7C, + and space distinct, FHIR punctuation readable', () => {
    assert.equal(encodeQueryPart('http://loinc.org|1234-5'), 'http://loinc.org%7C1234-5');
    assert.equal(encodeQueryPart('a+b c&d=e#f'), 'a%2Bb%20c%26d%3De%23f');
    assert.equal(encodeQueryPart('code:text'), 'code:text');
    assert.equal(encodeQueryPart('ge2020,le2021'), 'ge2020,le2021');
  });

  it('splits a link into origin and the request target exactly as written', () => {
    const r = splitRaw('https://API.example:443/fhir/r4/Patient?x=%7c&y=a+b#frag');
    assert.equal(r.origin, 'https://api.example');
    assert.equal(r.path, '/fhir/r4/Patient?x=%7c&y=a+b');
    assert.equal(splitRaw('https://h.example?a=1').path, '/?a=1');
  });

  it('counts user-management calls per app over a rolling hour and drops to zero on 429', () => {
    let t = now;
    const b = new RateBudget(3, () => t);
    const seen: number[] = [];
    b.onDidChange((s) => seen.push(s.remaining));
    b.record('app-a');
    b.record('app-a');
    b.record('app-b');
    assert.equal(b.state('app-a').remaining, 1);
    assert.equal(b.state().remaining, 2); // the app of the last call
    t += 3_600_001;
    assert.equal(b.state('app-a').remaining, 3);
    b.exhausted('app-a', 30);
    assert.equal(b.state('app-a').remaining, 0);
    t += 31_000;
    assert.equal(b.state('app-a').remaining, 3);
    assert.deepEqual(seen, [2, 1, 2, 0]);
  });

  it('gives every network failure a hint that names what to check', () => {
    const url = new URL('https://api.1up.health/x');
    const cases: [string, RegExp][] = [
      ['ECONNREFUSED', /`oneup\.environments`.*`http\.proxy`/],
      ['ENOTFOUND', /`oneup\.environments`/],
      ['ETIMEDOUT', /`oneup\.requestTimeoutSeconds`/],
      ['UND_ERR_CONNECT_TIMEOUT', /`http\.proxy`.*`oneup\.requestTimeoutSeconds`/],
      ['UND_ERR_HEADERS_TIMEOUT', /`oneup\.requestTimeoutSeconds`/],
      ['UND_ERR_BODY_TIMEOUT', /`oneup\.requestTimeoutSeconds`/],
      ['ECONNRESET', /`http\.proxy`/],
      ['SELF_SIGNED_CERT_IN_CHAIN', /`http\.proxy`.*`http\.proxyStrictSSL`/],
      ['CERT_HAS_EXPIRED', /`http\.proxyStrictSSL`/],
    ];
    for (const [code, hint] of cases) {
      const wrapped = Object.assign(new Error('fetch failed'), { cause: Object.assign(new Error(code), { code }) });
      const e = toNetworkError(wrapped, url, 30);
      assert.equal(e.code, code);
      assert.match(e.hint, hint, code);
      assert.match(e.message + e.hint, /api\.1up\.health/, code);
    }
  });

  it("applies VS Code's proxy rules: loopback direct, http.noProxy (else NO_PROXY), then http.proxy, then the environment", () => {
    const url = 'https://api.1up.health/fhir/r4/Patient';
    assert.equal(resolveBySettings(url, { env: {} }), undefined);
    assert.equal(resolveBySettings(url, { proxy: 'http://proxy.corp:3128', env: { HTTPS_PROXY: 'http://other:1' } }), 'http://proxy.corp:3128');
    assert.equal(resolveBySettings(url, { env: { HTTPS_PROXY: 'http://p:1' } }), 'http://p:1');
    assert.equal(resolveBySettings('http://plain.example/', { env: { HTTP_PROXY: 'http://p:2' } }), 'http://p:2');
    for (const loop of ['http://127.0.0.1:4000/', 'http://localhost/', 'http://[::1]:80/']) {
      assert.equal(resolveBySettings(loop, { proxy: 'http://p:1', env: {} }), undefined, loop);
    }
    // a name matches itself and its subdomains, at a dot: evil1up.health is not 1up.health
    assert.equal(resolveBySettings(url, { proxy: 'http://p:1', noProxy: ['1up.health'], env: {} }), undefined);
    assert.equal(resolveBySettings('https://evil1up.health/', { proxy: 'http://p:1', noProxy: ['1up.health'], env: {} }), 'http://p:1');
    // name:port exempts only that port
    assert.equal(resolveBySettings(url, { proxy: 'http://p:1', noProxy: ['api.1up.health:8443'], env: {} }), 'http://p:1');
    assert.equal(resolveBySettings('https://api.1up.health:8443/', { proxy: 'http://p:1', noProxy: ['api.1up.health:8443'], env: {} }), undefined);
    // http.noProxy, when set, replaces NO_PROXY
    assert.equal(resolveBySettings(url, { proxy: 'http://p:1', noProxy: ['other.corp'], env: { NO_PROXY: 'api.1up.health' } }), 'http://p:1');
    assert.equal(resolveBySettings(url, { proxy: 'http://p:1', env: { NO_PROXY: 'api.1up.health' } }), undefined);
    assert.equal(resolveBySettings(url, { proxy: 'http://p:1', noProxy: ['*'], env: {} }), undefined);
    assert.equal(resolveBySettings(url, { proxy: 'socks5h://s:1080', env: {} }), 'socks5://s:1080');
    assert.equal(resolveBySettings(url, { proxy: 'ftp://nope', env: {} }), undefined);
  });

  it('pulls the 1up system id and logo out of a provider-search Organization', () => {
    const s = summarizeProvider({
      resourceType: 'Organization', id: 'org-9', name: 'Example Health (demo)',
      identifier: [{ system: 'http://hl7.org/fhir/sid/us-npi', value: '123' }, { system: 'https://1up.health/system-id', value: '4706' }],
      extension: [{ url: 'https://1up.health/fhir/StructureDefinition/logo', valueUrl: 'https://logos.example/4706.png' }],
      address: [{ line: ['1 Main St'], city: 'Boston', state: 'MA' }],
    });
    assert.equal(s.systemId, '4706');
    assert.equal(s.logo, 'https://logos.example/4706.png');
    assert.equal(s.address, '1 Main St, Boston, MA');
    assert.equal(summarizeProvider({ resourceType: 'Organization', name: 'No ids' }).systemId, undefined);
  });
});
