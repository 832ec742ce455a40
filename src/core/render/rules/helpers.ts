import type { Cell } from '../../webviewProtocol/common';
import { choice, code, dateTime, EMPTY, first, humanName, isObject, joinCells, Json, period, reference, str } from '../format';
import type { ColumnDef, When } from './types';
import type { Words } from './words';

// Small building blocks for the rule table: dates as `When`, lists, codes turned into words.

/** A column; its header is read when a table is built, so it is in the language the core was configured with then. */
export const col = (label: () => string, weight: number, value: (r: Json) => Cell): ColumnDef => ({
  get label() {
    return label();
  },
  weight,
  value,
});

export const NO_WHEN: When = { cell: EMPTY };

export function list(v: unknown): unknown[] {
  return Array.isArray(v) ? v : v === undefined || v === null ? [] : [v];
}

export function objects(v: unknown): Json[] {
  return list(v).filter(isObject);
}

/** A date, dateTime or instant. */
export function at(v: unknown): When {
  const cell = dateTime(v);
  return cell.t ? { cell, at: str(v) } : NO_WHEN;
}

/** A Period by its start (the whole range on hover), or by its end when it has no start. */
export function startOf(v: unknown): When {
  if (!isObject(v)) return at(v);
  const whole = period(v);
  if (!whole.t) return NO_WHEN;
  const start = dateTime(v.start);
  if (start.t) return { cell: { t: start.t, h: whole.h ?? whole.t }, at: str(v.start) };
  return { cell: whole, at: str(v.end) };
}

/** A `[prefix][x]` choice that holds a time: dateTime, date, instant, Period (by its start), or a string. */
export function whenChoice(r: Json, prefix: string): When {
  for (const kind of ['DateTime', 'Date', 'Instant']) {
    if (r[prefix + kind] !== undefined) return at(r[prefix + kind]);
  }
  if (isObject(r[prefix + 'Period'])) return startOf(r[prefix + 'Period']);
  const other = choice(r, prefix);
  return other.t ? { cell: other } : NO_WHEN;
}

/** The first `When` that has something to show. */
export function firstWhen(...whens: When[]): When {
  return whens.find((w) => w.cell.t) ?? NO_WHEN;
}

/** Cells joined, empty ones left out. */
export function join(sep: string, ...cells: Cell[]): Cell {
  return joinCells(cells, sep);
}

/** Up to `max` cells of a list, then `+N`. */
export function some(cells: Cell[], max = 3, sep = ', '): Cell {
  const shown = cells.filter((c) => c.t);
  const joined = joinCells(shown.slice(0, max), sep);
  return shown.length > max ? { ...joined, t: `${joined.t} +${shown.length - max}` } : joined;
}

/**
 * A code in words: the display or text when there is one, else the code through `words`
 * (DSTU2's `CRITL` → `low`); the code and its system stay on hover.
 */
export function worded(v: unknown, words: Words): Cell {
  const c = code(v);
  const word = Object.prototype.hasOwnProperty.call(words, c.t) ? words[c.t]() : undefined;
  return word ? { t: word, h: c.h ?? c.t } : c;
}

function rawCode(v: Json): string {
  if (typeof v.code === 'string') return v.code;
  const coding = objects(v.coding).find((x) => typeof x.code === 'string');
  return coding ? str(coding.code) : '';
}

/** The most telling of several CodeableConcepts: skips generic category codes when a specific one is there. */
export function specific(v: unknown, generic: readonly string[] = GENERIC_CATEGORY_CODES): Cell {
  const concepts = objects(v);
  const telling = concepts.filter((c) => !generic.includes(rawCode(c)) || !!str(c.text));
  return first(...telling.map((c) => code(c)), ...concepts.map((c) => code(c)));
}

/** US Core / FHIR category codes that say only what the resource type already says. */
const GENERIC_CATEGORY_CODES = ['assess-plan', 'careteam', 'encounter', 'longitudinal', 'episode', 'condition', 'clinical-test'];

/**
 * A Reference as a person reads it: its display, else `Type/id`; a bare `urn:uuid:` (a Bundle's
 * internal link) says nothing to a reader, so it shows only on hover.
 */
export function ref(v: unknown, container?: Json): Cell {
  const c = reference(v);
  if (c.t.startsWith('#')) {
    // a contained resource: named by its own fields when the container is at hand
    const target = container ? objects(container.contained).find((x) => `#${str(x.id)}` === c.t) : undefined;
    const name = target ? first(humanName(target.name), { t: str(target.name) }, code(target.code)) : EMPTY;
    return name.t ? name : { t: '', h: c.t };
  }
  if (/^urn:(uuid|oid):/i.test(c.t)) return { t: '', h: c.h };
  const relative = /^(?:https?:\/\/\S+\/)?([A-Z][A-Za-z]+\/[A-Za-z0-9\-.]{1,64})(?:\/_history\/\S+)?$/.exec(c.t);
  return relative && relative[1] !== c.t ? { t: relative[1], h: c.h ?? c.t } : c;
}

/** Free text, cut to a length a label can hold (the whole on hover). */
export function text(v: unknown, max = 80): Cell {
  const s = str(v).replace(/\s+/g, ' ').trim();
  if (s.length <= max) return { t: s };
  return { t: `${s.slice(0, max - 1)}…`, h: s };
}

/** `n things` as `words(n)` says it (a whole phrase per plural form), or nothing for zero. */
export function count(n: number, words: (n: number) => string): Cell {
  return n > 0 ? { t: words(n) } : EMPTY;
}

/** A boolean flag shown as a word when true. */
export function flag(v: unknown, word: string): Cell {
  return v === true ? { t: word } : EMPTY;
}
