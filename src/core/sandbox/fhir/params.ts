// FHIR search parameters the sandbox understands, parsed into one predicate. Unknown parameters
// are ignored (lenient handling, as most servers do by default).
import type { Resource } from '../../fhir/types';
import type { Entry } from '../data/view';
import type { DateCondition } from './dates';
import { clinicalDate, matchesDate, parseDateCondition } from './dates';
import { humanName } from './describe';

export const MAX_COUNT = 100;
export const DEFAULT_COUNT = 10;
/** 1upHealth stops offset paging here and asks clients to follow `next` links instead. */
export const MAX_SKIP = 9990;

export interface ParsedSearch {
  count: number;
  /** restrict to these patients (patient= / subject=) */
  patients?: Set<string>;
  filter?: (e: Entry) => boolean;
  /** canonical form of the filtering parameters: cache key and cursor check */
  key: string;
  summaryCount: boolean;
}

export class SearchError extends Error {}

// parameters that shape the page, not which resources match
const PAGING = new Set(['_count', '_cursor', '_skip', '_afterid', '_format', '_pretty', '_summary']);

/** Every string value in a resource, lower-cased, for _content. */
export function resourceText(v: unknown, out: string[] = []): string[] {
  if (typeof v === 'string') out.push(v.toLowerCase());
  else if (Array.isArray(v)) for (const x of v) resourceText(x, out);
  else if (v && typeof v === 'object') for (const x of Object.values(v)) resourceText(x, out);
  return out;
}

function codings(r: Resource): { system?: string; code?: string }[] {
  const out: { system?: string; code?: string }[] = [];
  for (const k of ['code', 'vaccineCode', 'medicationCodeableConcept', 'substance', 'type']) {
    const v = r[k];
    for (const cc of Array.isArray(v) ? v : [v]) {
      for (const c of ((cc as { coding?: unknown[] } | undefined)?.coding ?? []) as { system?: string; code?: string }[]) out.push(c);
    }
  }
  return out;
}

function referencedId(value: string): string {
  const v = value.trim();
  const m = /(?:^|\/)Patient\/([^/?#]+)$/.exec(v);
  return m ? m[1] : v;
}

export function parseSearch(params: URLSearchParams): ParsedSearch {
  const tests: ((e: Entry) => boolean)[] = [];
  const keyParts: string[] = [];
  let patients: Set<string> | undefined;
  let count = DEFAULT_COUNT;
  let summaryCount = false;
  for (const [name, raw] of params) {
    if (name === '_summary') summaryCount = raw.trim() === 'count';
    if (PAGING.has(name)) continue;
    const value = raw.trim();
    keyParts.push(`${name}=${value}`);
    const [base] = name.split(':');
    switch (base) {
      case '_content': {
        const terms = value.toLowerCase().split(/\s+/).filter(Boolean);
        if (terms.length) tests.push((e) => { const text = resourceText(e.resource).join('\n'); return terms.every((t) => text.includes(t)); });
        break;
      }
      case '_id': {
        const ids = new Set(value.split(','));
        tests.push((e) => ids.has(e.resource.id ?? ''));
        break;
      }
      case 'patient':
      case 'subject': {
        const ids = new Set(value.split(',').map(referencedId));
        patients = patients ? new Set([...patients].filter((p) => ids.has(p))) : ids;
        break;
      }
      case '_lastUpdated': {
        const c = dateCondition(name, value);
        tests.push((e) => matchesDate(e.resource.meta?.lastUpdated, c));
        break;
      }
      case 'date': {
        const c = dateCondition(name, value);
        tests.push((e) => matchesDate(clinicalDate(e.resource), c));
        break;
      }
      case 'birthdate': {
        const c = dateCondition(name, value);
        tests.push((e) => matchesDate(e.resource.birthDate as string | undefined, c));
        break;
      }
      case 'code': {
        const wanted = value.split(',').map((t) => t.includes('|') ? t.split('|') : [undefined, t]);
        tests.push((e) => codings(e.resource).some((c) => wanted.some(([s, k]) => (!s || s === c.system) && (!k || k === c.code))));
        break;
      }
      case 'gender':
        tests.push((e) => e.resource.gender === value);
        break;
      case 'name':
      case 'family':
      case 'given': {
        const v = value.toLowerCase();
        tests.push((e) => (humanName(e.resource.name) ?? String(e.resource.name ?? '')).toLowerCase().includes(v));
        break;
      }
    }
  }
  const rawCount = params.get('_count');
  if (rawCount !== null) {
    count = Number(rawCount);
    if (!Number.isInteger(count) || count < 0) throw new SearchError(`_count must be a whole number, got "${rawCount}"`);
    count = Math.min(count, MAX_COUNT);
  }
  keyParts.sort();
  return {
    count,
    patients,
    filter: tests.length ? (e) => tests.every((t) => t(e)) : undefined,
    key: keyParts.join('&'),
    summaryCount,
  };
}

function dateCondition(name: string, value: string): DateCondition {
  const c = parseDateCondition(value);
  if (!c) throw new SearchError(`${name} must be a FHIR date with an optional prefix (eq, ne, gt, lt, ge, le, sa, eb), got "${value}"`);
  return c;
}
