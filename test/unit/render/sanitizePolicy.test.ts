import * as assert from 'node:assert/strict';
import { APP_PURIFY_CONFIG, NARRATIVE_ATTRS, NARRATIVE_FORBIDDEN_TAGS, NARRATIVE_PURIFY_CONFIG, NARRATIVE_TAGS, narrativeUrlAllowed, SAFE_VALUE_REGEXP } from '../../../src/core/render/sanitizePolicy';

describe('narrative sanitizer configuration (FHIR txt-1)', () => {
  it('allows none of the elements txt-1 forbids', () => {
    for (const tag of ['script', 'style', 'form', 'input', 'button', 'iframe', 'frame', 'object', 'embed', 'link', 'meta', 'base', 'svg', 'math', 'template', 'head', 'body']) {
      assert.ok(!NARRATIVE_TAGS.includes(tag), tag);
      assert.ok(NARRATIVE_FORBIDDEN_TAGS.includes(tag), tag);
      assert.ok(!APP_PURIFY_CONFIG.ALLOWED_TAGS.includes(tag), tag);
    }
    assert.deepEqual(NARRATIVE_PURIFY_CONFIG.ALLOWED_TAGS, [...NARRATIVE_TAGS]);
  });

  it('keeps the narrative elements FHIR allows', () => {
    for (const tag of ['div', 'p', 'table', 'tr', 'td', 'a', 'img', 'ul', 'li', 'b', 'span', 'pre', 'h1', 'br']) assert.ok(NARRATIVE_TAGS.includes(tag), tag);
  });

  it('allows no event handler, style, id, name or data attribute', () => {
    for (const attr of [...NARRATIVE_ATTRS, ...APP_PURIFY_CONFIG.ALLOWED_ATTR]) assert.ok(!/^on/i.test(attr), attr);
    for (const attr of ['style', 'id', 'name', 'class', 'tabindex', 'accesskey']) {
      assert.ok(!NARRATIVE_ATTRS.includes(attr), attr);
      assert.ok(NARRATIVE_PURIFY_CONFIG.FORBID_ATTR.includes(attr), attr);
    }
    assert.equal(NARRATIVE_PURIFY_CONFIG.ALLOW_DATA_ATTR, false);
    assert.equal(NARRATIVE_PURIFY_CONFIG.ALLOW_UNKNOWN_PROTOCOLS, false);
  });

  it('href: only http(s) and fragments; src: only inline images and fragments', () => {
    for (const ok of ['https://hl7.org/fhir', 'http://example.org/x', '#section', ' https://x.org']) assert.ok(narrativeUrlAllowed('href', ok), ok);
    for (const bad of ['javascript:alert(1)', 'JaVaScRiPt:alert(1)', 'data:text/html,<script>', 'vbscript:x', 'file:///etc/passwd', '//evil.example', 'Patient/123', 'mailto:a@b.c']) {
      assert.ok(!narrativeUrlAllowed('href', bad), bad);
    }
    for (const ok of ['data:image/png;base64,iVBORw0KGgo=', '#']) assert.ok(narrativeUrlAllowed('src', ok), ok);
    for (const bad of ['https://evil.example/pixel.gif', 'http://127.0.0.1/x', 'data:text/html;base64,PHNjcmlwdD4=', 'data:image/svg+xml;base64,PHN2Zz4=', 'javascript:alert(1)', 'x']) {
      assert.ok(!narrativeUrlAllowed('src', bad), bad);
    }
    assert.ok(narrativeUrlAllowed('title', 'javascript:whatever'), 'only URL attributes are URL-checked');
  });

  it('lets plain attribute values through DOMPurify\'s value check but no script scheme', () => {
    for (const ok of ['100', '#', 'left', 'https://x.org', '3']) assert.ok(SAFE_VALUE_REGEXP.test(ok), ok);
    for (const bad of ['javascript:alert(1)', 'vbscript:x', 'data:text/html,x']) assert.ok(!SAFE_VALUE_REGEXP.test(bad), bad);
  });
});
