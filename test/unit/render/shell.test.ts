import * as assert from 'node:assert/strict';
import { contentSecurityPolicy, renderShell } from '../../../src/core/render/shell';

const base = { cspSource: 'https://abc.vscode-cdn.net', nonce: 'c2VjcmV0LW5vbmNlLXZhbHVl', title: 'T', scriptUri: 'https://abc.vscode-cdn.net/dist/webview/bundle.js', styleUris: ['https://abc.vscode-cdn.net/media/webview/base.css'] };

function directives(csp: string): Map<string, string[]> {
  return new Map(csp.split(';').map((d) => d.trim().split(/\s+/)).map(([name, ...values]) => [name, values]));
}

describe('webview page and CSP', () => {
  it('allows nothing by default, scripts only by nonce, styles and fonts only from the extension', () => {
    const d = directives(contentSecurityPolicy(base));
    assert.deepEqual(d.get('default-src'), ["'none'"]);
    assert.deepEqual(d.get('script-src'), [`'nonce-${base.nonce}'`]);
    assert.deepEqual(d.get('style-src'), [base.cspSource]);
    assert.deepEqual(d.get('font-src'), [base.cspSource]);
    assert.deepEqual(d.get('img-src'), [base.cspSource, 'data:']);
    assert.equal(d.get('frame-src'), undefined, 'no frames unless asked');
    assert.deepEqual(d.get('form-action'), ["'none'"]);
    assert.deepEqual(d.get('base-uri'), ["'none'"]);
    assert.ok(!contentSecurityPolicy(base).includes('unsafe'));
  });

  it('adds only well-formed origins for logos and the Connect frame', () => {
    const d = directives(contentSecurityPolicy({ ...base, imageOrigins: ['https://api.1up.health/logo.png'], frameOrigins: ['http://127.0.0.1:4123/connect?x=1', "https://x.example; script-src 'unsafe-inline'", 'javascript:alert(1)'] }));
    assert.deepEqual(d.get('img-src'), [base.cspSource, 'data:', 'https://api.1up.health']);
    assert.deepEqual(d.get('frame-src'), ['http://127.0.0.1:4123']);
    assert.deepEqual(d.get('script-src'), [`'nonce-${base.nonce}'`]);
  });

  it('refuses a weak nonce or a CSP source that would add directives', () => {
    assert.throws(() => contentSecurityPolicy({ ...base, nonce: 'abc' }));
    assert.throws(() => contentSecurityPolicy({ ...base, cspSource: "x; script-src 'unsafe-inline'" }));
    assert.throws(() => contentSecurityPolicy({ ...base, cspSource: "https://a.example 'unsafe-inline'" }));
  });

  it('accepts the several sources code-server gives as the webview source', () => {
    const d = directives(contentSecurityPolicy({ ...base, cspSource: "'self' https://*.vscode-cdn.net" }));
    assert.deepEqual(d.get('style-src'), ["'self'", 'https://*.vscode-cdn.net']);
  });

  it('renders one script with the nonce, escaped title and URIs', () => {
    const html = renderShell({ ...base, title: '<script>alert(1)</script>' });
    assert.equal(html.match(/<script/g)?.length, 1);
    assert.match(html, new RegExp(`<script nonce="${base.nonce}" src="${base.scriptUri.replace(/\./g, '\\.')}"></script>`));
    assert.match(html, /<title>&lt;script&gt;alert\(1\)&lt;\/script&gt;<\/title>/);
    assert.match(html, /<meta http-equiv="Content-Security-Policy" content="default-src &#39;none&#39;; script-src &#39;nonce-/);
  });
});
