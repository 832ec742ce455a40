// The FHIR narrative allowlist (xhtml datatype, invariant txt-1/txt-2) as configuration for
// DOMPurify, which the webview runs on every narrative before it becomes markup. It is pure
// data here so that Node tests can check it and the webview bundle can import it.

/** Elements FHIR narratives may use (the FHIR validator's list, minus nothing: all are inert). */
export const NARRATIVE_TAGS: readonly string[] = [
  'a', 'abbr', 'acronym', 'address', 'b', 'bdo', 'big', 'blockquote', 'br', 'caption', 'cite', 'code', 'col',
  'colgroup', 'dd', 'del', 'dfn', 'div', 'dl', 'dt', 'em', 'h1', 'h2', 'h3', 'h4', 'h5', 'h6', 'hr', 'i', 'img',
  'ins', 'kbd', 'li', 'ol', 'p', 'pre', 'q', 'samp', 'small', 'span', 'strong', 'sub', 'sup', 'table', 'tbody',
  'td', 'tfoot', 'th', 'thead', 'tr', 'tt', 'ul', 'var',
];

/**
 * Attributes kept. FHIR also allows `style`, `class`, `id`, `name`, `accesskey` and `tabindex`:
 * they are dropped because the page's CSP blocks inline styles anyway, ids and names could
 * clobber the page's own DOM, classes could make narrative text look like the viewer's own
 * controls, and the last two would take over the keyboard.
 */
export const NARRATIVE_ATTRS: readonly string[] = [
  'href', 'src', 'alt', 'title', 'lang', 'xml:lang', 'dir', 'width', 'height', 'summary', 'border', 'cellspacing',
  'cellpadding', 'abbr', 'axis', 'headers', 'scope', 'rowspan', 'colspan', 'span', 'align', 'valign',
];

/** Never allowed, whatever else changes (txt-1: scripts, styles, forms, frames, objects…). */
export const NARRATIVE_FORBIDDEN_TAGS: readonly string[] = [
  'script', 'style', 'link', 'meta', 'base', 'head', 'body', 'html', 'form', 'input', 'button', 'select', 'textarea',
  'option', 'iframe', 'frame', 'frameset', 'object', 'embed', 'applet', 'svg', 'math', 'template', 'audio', 'video',
  'source', 'track', 'canvas', 'noscript', 'dialog', 'portal',
];

/** `href` only http(s) or a fragment; `src` only an inline data: image or a fragment. */
export function narrativeUrlAllowed(attribute: string, value: string): boolean {
  const v = value.trim();
  if (attribute === 'href') return /^(https?:\/\/|#)/i.test(v);
  if (attribute === 'src') return /^(data:image\/(png|gif|jpe?g|webp|bmp);base64,|#)/i.test(v);
  return true;
}

/**
 * DOMPurify tests every non-text attribute value against this: a value that starts like a URL
 * scheme must be http(s); other values (numbers, words, fragments) pass. The per-attribute rules
 * of `narrativeUrlAllowed` are then applied by a hook.
 */
export const SAFE_VALUE_REGEXP = /^(?:https?:|[^a-z]|[a-z+.-]+(?:[^a-z+.:-]|$))/i;

/** DOMPurify options for narratives (the webview adds a hook that applies `narrativeUrlAllowed`). */
export const NARRATIVE_PURIFY_CONFIG = {
  ALLOWED_TAGS: [...NARRATIVE_TAGS],
  ALLOWED_ATTR: [...NARRATIVE_ATTRS],
  FORBID_TAGS: [...NARRATIVE_FORBIDDEN_TAGS],
  FORBID_ATTR: ['style', 'class', 'id', 'name', 'accesskey', 'tabindex', 'srcset', 'xlink:href', 'action', 'formaction'],
  ALLOW_DATA_ATTR: false,
  ALLOW_ARIA_ATTR: false,
  ALLOW_UNKNOWN_PROTOCOLS: false,
  ALLOWED_URI_REGEXP: SAFE_VALUE_REGEXP,
  KEEP_CONTENT: true,
  SANITIZE_DOM: true,
  SANITIZE_NAMED_PROPS: true,
  WHOLE_DOCUMENT: false,
};

/**
 * DOMPurify options for the host's own escaped markup (detail fields, rows): a second line of
 * defence that keeps only the few elements and attributes the renderers write (links there
 * are `href="#"` with a `data-ref` index: the webview's hook drops any other href).
 */
export const APP_PURIFY_CONFIG = {
  ALLOWED_TAGS: ['dl', 'dt', 'dd', 'ol', 'ul', 'li', 'span', 'div', 'a', 'p', 'code', 'details', 'summary'],
  ALLOWED_ATTR: ['class', 'title', 'href', 'data-ref'],
  ALLOW_DATA_ATTR: false,
  ALLOW_ARIA_ATTR: false,
  ALLOWED_URI_REGEXP: SAFE_VALUE_REGEXP,
  KEEP_CONTENT: true,
};
