const ENTITIES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;', '`': '&#96;' };

/** Escapes text for HTML content and for double- or single-quoted attribute values. */
export function esc(value: unknown): string {
  const s = typeof value === 'string' ? value : value == null ? '' : String(value);
  return s.replace(/[&<>"'`]/g, (c) => ENTITIES[c]);
}

/** ` title="…"` when there is a hover text, else nothing. */
export function titleAttr(title: string | undefined): string {
  return title ? ` title="${esc(title)}"` : '';
}

/**
 * Plain text of an XHTML fragment, for one-line summaries (the result is escaped wherever it is
 * shown; this is not a sanitizer — narratives shown as markup go through DOMPurify in the webview).
 */
export function textOfXhtml(xhtml: string, max = 300): string {
  const text = xhtml
    .replace(/<(script|style)[\s\S]*?<\/\1\s*>/gi, ' ')
    // block elements separate words; inline ones (`<b>Name</b>: x`) do not, or every label gets a stray space before its colon
    .replace(/<\/?(?:address|blockquote|br|caption|dd|div|dl|dt|h[1-6]|hr|li|ol|p|pre|table|tbody|td|tfoot|th|thead|tr|ul)\b[^>]*>/gi, ' ')
    .replace(/<[^>]*>/g, '')
    .replace(/&(lt|gt|amp|quot|apos|nbsp|#\d+|#x[0-9a-f]+);/gi, (_m, e: string) => decodeEntity(e))
    .replace(/\s+/g, ' ')
    .trim();
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}

function decodeEntity(e: string): string {
  const named: Record<string, string> = { lt: '<', gt: '>', amp: '&', quot: '"', apos: "'", nbsp: ' ' };
  const lower = e.toLowerCase();
  if (named[lower]) return named[lower];
  const code = lower.startsWith('#x') ? parseInt(lower.slice(2), 16) : parseInt(lower.slice(1), 10);
  return Number.isFinite(code) && code > 0 && code <= 0x10ffff ? String.fromCodePoint(code) : ' ';
}
