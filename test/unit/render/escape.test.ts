import * as assert from 'node:assert/strict';
import { esc, textOfXhtml, titleAttr } from '../../../src/core/render/escape';
import { cellHtml, healthSystemHtml, patientHeaderHtml, rowHtml, timelineItemHtml } from '../../../src/core/render/html';

const PAYLOAD = `"><img src=x onerror="alert(1)">'\`<script>alert(2)</script>&amp;`;

/** Markup with the payload inside may only hold it escaped: no tag or attribute can come from data. */
function assertInert(html: string): void {
  assert.ok(!html.includes('<img'), html);
  assert.ok(!html.includes('<script'), html);
  assert.ok(!html.includes('onerror="'), html);
  assert.ok(html.includes('&lt;script&gt;'), 'the payload is still shown, escaped');
}

describe('escaping', () => {
  it('escapes the characters that end text or a quoted attribute', () => {
    assert.equal(esc(`<a href="x" title='y'>&\``), '&lt;a href=&quot;x&quot; title=&#39;y&#39;&gt;&amp;&#96;');
    assert.equal(esc(undefined), '');
    assert.equal(esc(42), '42');
  });

  it('builds a title attribute only when there is a hover text', () => {
    assert.equal(titleAttr(undefined), '');
    assert.equal(titleAttr('a"b'), ' title="a&quot;b"');
  });

  it('takes the plain text of a narrative for one-line summaries, scripts and styles dropped', () => {
    assert.equal(textOfXhtml('<div><script>alert(1)</script><style>p{}</style><p>Blood&#32;pressure &lt;b&gt;</p>\n<p>120/80</p></div>'), 'Blood pressure <b> 120/80');
    assert.equal(textOfXhtml(`<p>${'x'.repeat(500)}</p>`, 10), 'xxxxxxxxx…');
  });

  it('keeps payloads inert in every fragment the webviews build', () => {
    assertInert(cellHtml({ t: PAYLOAD, h: PAYLOAD }));
    assertInert(rowHtml({ key: 1, cells: [{ t: PAYLOAD, h: PAYLOAD }, { t: PAYLOAD }] }, true, 0));
    assertInert(timelineItemHtml({ key: 2, type: PAYLOAD, date: { t: PAYLOAD, h: PAYLOAD }, title: { t: PAYLOAD }, detail: { t: PAYLOAD }, status: PAYLOAD }, false));
    assertInert(patientHeaderHtml({ name: PAYLOAD, age: PAYLOAD, gender: PAYLOAD, birthDate: PAYLOAD, identifiers: [{ t: PAYLOAD, h: PAYLOAD }] }));
    assertInert(healthSystemHtml({ id: PAYLOAD, name: PAYLOAD, address: PAYLOAD, status: PAYLOAD, apiVersion: PAYLOAD }, PAYLOAD));
    const logo = `https://api.1up.health/logo.png?a="><script>`;
    const withLogo = healthSystemHtml({ id: '1', name: 'n', logoUrl: logo }, 'Connect…');
    assert.equal(withLogo.match(/<img/g)?.length, 1, 'only the logo element itself');
    assert.ok(withLogo.includes('src="https://api.1up.health/logo.png?a=&quot;&gt;&lt;script&gt;"'));
    assert.ok(!healthSystemHtml({ id: '1', name: 'n', logoUrl: 'javascript:alert(1)' }, 'Connect…').includes('<img'), 'no logo from a script URL');
  });

  it('a row carries its key and selection for keyboard navigation', () => {
    const html = rowHtml({ key: 7, cells: [{ t: 'a', h: 'code' }] }, true, 3);
    assert.match(html, /data-key="7"/);
    assert.match(html, /aria-selected="true"/);
    assert.match(html, /tabindex="0"/);
    assert.match(html, /aria-rowindex="5"/);
    assert.match(html, /<td role="gridcell" title="code">a<\/td>/);
  });
});
