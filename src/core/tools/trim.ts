import { textOfXhtml } from '../render/escape';

/** How far a resource is cut down for a model. */
export interface TrimLimits {
  /** Longest string kept whole (characters). */
  maxString: number;
  /** Most items kept of any list. */
  maxItems: number;
  /** Nesting kept (deeper values become "[…]"). */
  maxDepth: number;
  /** Keep the narrative (as plain text) instead of leaving it out. */
  narrative: boolean;
}

export const TRIM_LEVELS: readonly Omit<TrimLimits, 'narrative'>[] = [
  { maxString: 400, maxItems: 12, maxDepth: 12 },
  { maxString: 160, maxItems: 5, maxDepth: 8 },
  { maxString: 80, maxItems: 2, maxDepth: 6 },
];

/** A trimmed copy and what was left out, in words. */
export interface Trimmed {
  value: unknown;
  notes: string[];
}

/**
 * A copy of a FHIR resource cut down for a language model: the narrative left out (or reduced to
 * plain text), attachment data left out, long strings and lists cut with a marker that says how
 * much is missing, `meta` reduced to versionId and lastUpdated. The shape stays FHIR's so the
 * model reads it as such; every cut is listed in `notes`.
 */
export function trimResource(resource: unknown, limits: TrimLimits): Trimmed {
  const counts = { strings: 0, lists: 0, deep: 0, data: 0 };
  const notes: string[] = [];
  const walk = (v: unknown, key: string, depth: number): unknown => {
    if (typeof v === 'string') {
      if (key === 'data' && v.length > 64) { counts.data++; return `[base64 data left out: ${v.length} characters]`; }
      if (v.length <= limits.maxString) return v;
      counts.strings++;
      return `${v.slice(0, limits.maxString)}… [+${v.length - limits.maxString} characters]`;
    }
    if (!v || typeof v !== 'object') return v;
    if (depth >= limits.maxDepth) { counts.deep++; return '[…]'; }
    if (Array.isArray(v)) {
      const kept = v.slice(0, limits.maxItems).map((x) => walk(x, key, depth + 1));
      if (v.length > limits.maxItems) { counts.lists++; kept.push(`… ${v.length - limits.maxItems} more items`); }
      return kept;
    }
    const out: Record<string, unknown> = {};
    for (const [k, x] of Object.entries(v as Record<string, unknown>)) {
      if (k === 'text' && isNarrative(x)) {
        const div = typeof x.div === 'string' ? x.div : '';
        if (limits.narrative) out.text = { status: x.status, div: textOfXhtml(div, limits.maxString * 4) };
        else notes.push(`narrative left out (${div.length} characters of XHTML)`);
        continue;
      }
      if (k === 'meta' && x && typeof x === 'object' && !Array.isArray(x)) {
        const m = x as Record<string, unknown>;
        const meta: Record<string, unknown> = {};
        if (m.versionId !== undefined) meta.versionId = m.versionId;
        if (m.lastUpdated !== undefined) meta.lastUpdated = m.lastUpdated;
        if (Object.keys(meta).length) out.meta = meta;
        continue;
      }
      out[k] = walk(x, k, depth + 1);
    }
    return out;
  };
  const value = walk(resource, '', 0);
  if (counts.strings) notes.push(`${counts.strings} long text${counts.strings > 1 ? 's' : ''} cut at ${limits.maxString} characters`);
  if (counts.lists) notes.push(`${counts.lists} list${counts.lists > 1 ? 's' : ''} cut to ${limits.maxItems} items`);
  if (counts.data) notes.push(`${counts.data} attachment${counts.data > 1 ? 's\'' : '\'s'} data left out`);
  if (counts.deep) notes.push(`values nested deeper than ${limits.maxDepth} levels left out`);
  return { value, notes };
}

/**
 * The resource as compact JSON within `maxChars`: the mildest trim level that fits; when even the
 * strongest does not fit, its JSON cut at `maxChars` (and `cut` is set).
 */
export function fitResource(resource: unknown, maxChars: number, narrative = false): { json: string; notes: string[]; cut: boolean } {
  let last: { json: string; notes: string[] } | undefined;
  for (const level of TRIM_LEVELS) {
    const t = trimResource(resource, { ...level, narrative });
    const json = JSON.stringify(t.value);
    if (json.length <= maxChars) return { json, notes: t.notes, cut: false };
    last = { json, notes: t.notes };
  }
  const l = last!;
  return { json: `${l.json.slice(0, Math.max(0, maxChars))}…`, notes: [...l.notes, `JSON cut at ${maxChars} of ${l.json.length} characters`], cut: true };
}

function isNarrative(x: unknown): x is { status?: unknown; div?: unknown } {
  return !!x && typeof x === 'object' && !Array.isArray(x) && 'div' in x;
}
