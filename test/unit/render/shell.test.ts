import * as assert from 'node:assert/strict';
import { contentSecurityPolicy, jsonForScriptBlock, PAGE_DATA_ID, renderShell } from '../../../src/core/render/shell';

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

  it('carries the page data as a JSON block no value can end or turn into markup, and gives it back intact', () => {
    const hostile = '</script><script>alert(1)</script><!-- & \u2028 \u2029 </SCRIPT >';
    const data = { l10n: { [hostile]: hostile, 'Open JSON': 'JSON öffnen' }, restore: { kind: 'file', uri: `file:///tmp/${hostile}` } };
    const html = renderShell({ ...base, data, lang: 'de' });
    assert.equal(html.match(/<script/gi)?.length, 2, 'the data block and the nonce\'d script');
    assert.equal(html.match(/<\/script/gi)?.length, 2);
    const block = new RegExp(`<script type="application/json" id="${PAGE_DATA_ID}">([^<]*)</script>`).exec(html);
    assert.ok(block, 'one data block, with no < inside');
    assert.deepEqual(JSON.parse(block[1]), data);
    assert.ok(!/[\u2028\u2029&>]/.test(block[1]));
    assert.match(html, /<html lang="de">/);
    assert.equal(jsonForScriptBlock('<>&'), '"\\u003c\\u003e\\u0026"');
  });

  it('has no data block when there is no data, and a language only when it is a language tag', () => {
    assert.ok(!renderShell(base).includes(PAGE_DATA_ID));
    assert.match(renderShell({ ...base, lang: '"><script>' }), /<html lang="en">/);
    assert.match(renderShell({ ...base, lang: 'pt-br' }), /<html lang="pt-br">/);
  });
});
