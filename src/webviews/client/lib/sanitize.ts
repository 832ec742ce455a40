import DOMPurify from 'dompurify';
import { APP_PURIFY_CONFIG, NARRATIVE_PURIFY_CONFIG, narrativeUrlAllowed } from '../../../core/render/sanitizePolicy';

// Two sanitizers with their own hooks: one for narratives (the FHIR allowlist), one as a second
// line of defence for the host's already escaped markup.
const narrativePurifier = DOMPurify(window);
narrativePurifier.addHook('uponSanitizeAttribute', (_node, data) => {
  if ((data.attrName === 'href' || data.attrName === 'src') && !narrativeUrlAllowed(data.attrName, data.attrValue)) data.keepAttr = false;
});
narrativePurifier.addHook('afterSanitizeAttributes', (node) => {
  if (node.tagName === 'A' && node.hasAttribute('href')) node.setAttribute('rel', 'noopener noreferrer');
});

const appPurifier = DOMPurify(window);
appPurifier.addHook('uponSanitizeAttribute', (_node, data) => {
  if (data.attrName === 'href' && data.attrValue !== '#') data.keepAttr = false;
  if (data.attrName === 'data-ref' && !/^\d+$/.test(data.attrValue)) data.keepAttr = false;
});

/** A narrative (Resource.text.div) as a fragment that holds only what txt-1 allows. */
export function sanitizeNarrative(xhtml: string): DocumentFragment {
  return narrativePurifier.sanitize(xhtml, { ...NARRATIVE_PURIFY_CONFIG, RETURN_DOM_FRAGMENT: true });
}

/** The host's rendered markup, re-checked against the few elements the renderers write. */
export function sanitizeAppHtml(html: string): DocumentFragment {
  return appPurifier.sanitize(html, { ...APP_PURIFY_CONFIG, RETURN_DOM_FRAGMENT: true });
}

/** Whether a sanitized narrative still shows anything (text, an image, a rule, a table). */
export function showsSomething(fragment: DocumentFragment): boolean {
  return (fragment.textContent ?? '').trim() !== '' || fragment.querySelector('img[src], hr, table') !== null;
}

/**
 * Whether a raw narrative held anything besides empty wrappers, read in an inert document
 * (DOMParser runs no script and loads nothing): text, or any element other than an empty
 * div/p/span/br, counts, so a narrative that was all `<script>` or `<img onerror>` counts too.
 */
export function narrativeHadContent(xhtml: string): boolean {
  const doc = new DOMParser().parseFromString(xhtml, 'text/html');
  const text = `${doc.head.textContent ?? ''}${doc.body.textContent ?? ''}`;
  return text.trim() !== '' || doc.querySelector('head *, body :not(div):not(p):not(span):not(br)') !== null;
}
