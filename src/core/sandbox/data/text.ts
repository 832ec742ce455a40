import { escapeHtml } from '../http/escape';

// a patient's records repeat the same few instants (a visit's start and end) many times
const isoCache = new Map<number, string>();

/** FHIR dateTime in UTC without milliseconds. */
export function iso(ms: number): string {
  let s = isoCache.get(ms);
  if (s === undefined) {
    if (isoCache.size > 50_000) isoCache.clear();
    s = new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
    isoCache.set(ms, s);
  }
  return s;
}

/** FHIR date (YYYY-MM-DD). */
export function isoDate(ms: number): string {
  return iso(ms).slice(0, 10);
}

/** A generated narrative: one paragraph per line, `**label**` parts in bold, everything escaped. */
export function narrative(lines: (string | undefined)[]): { status: 'generated'; div: string } {
  const body = lines.filter((l): l is string => !!l)
    .map((l) => `<p>${escapeHtml(l).replace(/\*\*(.+?)\*\*/g, '<b>$1</b>')}</p>`).join('');
  return { status: 'generated', div: `<div xmlns="http://www.w3.org/1999/xhtml">${body}</div>` };
}
