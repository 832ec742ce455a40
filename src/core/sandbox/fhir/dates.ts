// FHIR date search: prefixes (eq, ne, gt, lt, ge, le, sa, eb) against a value's instant.
import type { Resource } from '../../fhir/types';

/** Fields that say when something clinically happened, in the order they are preferred (all versions). */
const DATE_FIELDS: string[][] = [
  ['effectiveDateTime'], ['effectivePeriod', 'start'], ['period', 'start'], ['onsetDateTime'], ['occurrenceDateTime'],
  ['performedDateTime'], ['performedPeriod', 'start'], ['authoredOn'], ['dateWritten'], ['recordedDate'], ['assertedDate'],
  ['dateRecorded'], ['issued'], ['date'], ['billablePeriod', 'start'], ['created'], ['birthDate'],
];

export function clinicalDate(r: Resource): string | undefined {
  for (const path of DATE_FIELDS) {
    let v: unknown = r;
    for (const k of path) v = v && typeof v === 'object' ? (v as Record<string, unknown>)[k] : undefined;
    if (typeof v === 'string') return v;
  }
  return undefined;
}

/** The half-open range [lo, hi) in ms a FHIR date/dateTime/instant covers, by its precision. */
export function dateRange(value: string): [number, number] | undefined {
  const m = /^(\d{4})(?:-(\d{2})(?:-(\d{2})(?:T(\d{2}):(\d{2})(?::(\d{2})(\.\d+)?)?(Z|[+-]\d{2}:\d{2})?)?)?)?$/.exec(value.trim());
  if (!m) return undefined;
  const [, y, mo, d, h, mi, s, frac, tz] = m;
  if (!inRange(y, mo, d, h, mi, s, tz)) return undefined;
  if (!mo) return [Date.UTC(+y, 0, 1), Date.UTC(+y + 1, 0, 1)];
  if (!d) return [Date.UTC(+y, +mo - 1, 1), Date.UTC(+y, +mo, 1)];
  if (!h) return [Date.UTC(+y, +mo - 1, +d), Date.UTC(+y, +mo - 1, +d + 1)];
  const t = Date.parse(`${y}-${mo}-${d}T${h}:${mi}:${s ?? '00'}${frac ?? ''}${tz ?? 'Z'}`);
  if (Number.isNaN(t)) return undefined;
  return [t, t + (s ? (frac ? 1 : 1000) : 60_000)];
}

/** Month 1–12, a day the month has, hours 0–23, minutes and seconds 0–59, offsets up to ±14:00. */
function inRange(y: string, mo?: string, d?: string, h?: string, mi?: string, s?: string, tz?: string): boolean {
  if (mo !== undefined && (+mo < 1 || +mo > 12)) return false;
  if (d !== undefined && (+d < 1 || +d > new Date(Date.UTC(+y, +mo!, 0)).getUTCDate())) return false;
  if (h !== undefined && +h > 23) return false;
  if (mi !== undefined && +mi > 59) return false;
  if (s !== undefined && +s > 59) return false;
  if (tz && tz !== 'Z' && (+tz.slice(1, 3) > 14 || +tz.slice(4) > 59)) return false;
  return true;
}

export type DatePrefix = 'eq' | 'ne' | 'gt' | 'lt' | 'ge' | 'le' | 'sa' | 'eb';
export interface DateCondition { prefix: DatePrefix; lo: number; hi: number }

/** Parses `ge2020-01-01` and friends; undefined when the value is not a date. */
export function parseDateCondition(raw: string): DateCondition | undefined {
  const m = /^(eq|ne|gt|lt|ge|le|sa|eb)?(.+)$/.exec(raw);
  const range = m && dateRange(m[2]);
  return range ? { prefix: (m[1] ?? 'eq') as DatePrefix, lo: range[0], hi: range[1] } : undefined;
}

export function matchesDate(value: string | undefined, c: DateCondition): boolean {
  const r = value ? dateRange(value) : undefined;
  if (!r) return false;
  const v = r[0];
  switch (c.prefix) {
    case 'eq': return v >= c.lo && v < c.hi;
    case 'ne': return v < c.lo || v >= c.hi;
    case 'gt': case 'sa': return v >= c.hi;
    case 'lt': case 'eb': return v < c.lo;
    case 'ge': return v >= c.lo;
    case 'le': return v < c.hi;
  }
}
