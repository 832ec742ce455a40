import * as l10n from '@vscode/l10n';
import type { Cell } from '../webviewProtocol/common';

// Formatting of FHIR datatypes for display. Every function accepts whatever shape a field has
// in DSTU2, STU3 or R4 (a code may be a string, a Coding or a CodeableConcept) and never throws
// on unexpected input: it answers an empty cell.

export type Json = Record<string, unknown>;

export const EMPTY: Cell = { t: '' };

export function isObject(v: unknown): v is Json {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

export function str(v: unknown): string {
  return typeof v === 'string' ? v : typeof v === 'number' || typeof v === 'boolean' ? String(v) : '';
}

function arr(v: unknown): unknown[] {
  return Array.isArray(v) ? v : v === undefined || v === null ? [] : [v];
}

function cell(t: string, h?: string): Cell {
  return h && h !== t ? { t, h } : { t };
}

/** Joins cells: texts with `sep`, hover texts with new lines. */
export function joinCells(cells: Cell[], sep = ', '): Cell {
  const shown = cells.filter((c) => c.t);
  const h = shown.map((c) => c.h ?? '').filter(Boolean).join('\n');
  return cell(shown.map((c) => c.t).join(sep), h || undefined);
}

export function coding(v: unknown): Cell {
  if (!isObject(v)) return cell(str(v));
  const code = str(v.code);
  const system = str(v.system);
  const hover = [system, code].filter(Boolean).join(' | ');
  return cell(str(v.display) || code, hover || undefined);
}

/** A code in any of its shapes: a string, a Coding, a CodeableConcept, or a list of them. */
export function code(v: unknown): Cell {
  if (Array.isArray(v)) return joinCells(v.map(code));
  if (!isObject(v)) return cell(str(v));
  if ('coding' in v || 'text' in v) {
    const codings = arr(v.coding).map(coding);
    const hover = codings.map((c) => c.h).filter(Boolean).join('\n');
    const text = str(v.text) || codings.find((c) => c.t)?.t || '';
    return cell(text, hover || undefined);
  }
  return coding(v);
}

/** `2010-09-18T03:01:46-04:00` → `2010-09-18 03:01` (the full value on hover). */
export function dateTime(v: unknown): Cell {
  const s = str(v);
  const m = /^(\d{4}(?:-\d{2}(?:-\d{2})?)?)(?:T(\d{2}:\d{2}))?/.exec(s);
  if (!m) return cell(s);
  return cell(m[2] ? `${m[1]} ${m[2]}` : m[1], s);
}

export function period(v: unknown): Cell {
  if (!isObject(v)) return dateTime(v);
  const start = dateTime(v.start);
  const end = dateTime(v.end);
  if (!start.t && !end.t) return EMPTY;
  const sameDay = start.t && end.t && start.t.slice(0, 10) === end.t.slice(0, 10);
  const endText = sameDay ? end.t.slice(11) || end.t : end.t;
  // an open period says so in words: `2019-01-20 18:08 –` read as a cut-off value
  const text = start.t && end.t ? `${start.t} – ${endText}` : start.t ? l10n.t('since {0}', start.t) : l10n.t('until {0}', end.t);
  return cell(text, [str(v.start), str(v.end)].filter(Boolean).join(' – '));
}

/** Quantity, Money (R4 `currency`, STU3 `code`), Age, Duration. */
export function quantity(v: unknown): Cell {
  if (!isObject(v)) return cell(str(v));
  const value = str(v.value);
  if (!value) return EMPTY;
  const unit = str(v.unit) || str(v.currency) || str(v.code);
  const comparator = str(v.comparator);
  const system = str(v.system);
  return cell(`${comparator}${value}${unit ? ` ${unit}` : ''}`, system ? `${system}${str(v.code) ? ` | ${str(v.code)}` : ''}` : undefined);
}

export function range(v: unknown): Cell {
  if (!isObject(v)) return EMPTY;
  const low = quantity(v.low).t;
  const high = quantity(v.high).t;
  return low || high ? cell(`${low || '…'} – ${high || '…'}`) : EMPTY;
}

export function ratio(v: unknown): Cell {
  if (!isObject(v)) return EMPTY;
  const n = quantity(v.numerator).t;
  const d = quantity(v.denominator).t;
  return n || d ? cell(`${n || '?'} / ${d || '?'}`) : EMPTY;
}

/** The datatypes a FHIR choice element (`value[x]`, `onset[x]`…) can carry, in any version. */
const CHOICE_TYPES = new Set([
  'Boolean', 'Integer', 'Decimal', 'Base64Binary', 'Instant', 'String', 'Uri', 'Url', 'Canonical', 'Oid', 'Uuid', 'Id',
  'Markdown', 'UnsignedInt', 'PositiveInt', 'Date', 'DateTime', 'Time', 'Code', 'Address', 'Age', 'Annotation', 'Attachment',
  'CodeableConcept', 'Coding', 'ContactPoint', 'Count', 'Distance', 'Duration', 'HumanName', 'Identifier', 'Money', 'Period',
  'Quantity', 'SimpleQuantity', 'Range', 'Ratio', 'Reference', 'SampledData', 'Signature', 'Timing', 'Dosage', 'Meta',
  'ContactDetail', 'Contributor', 'DataRequirement', 'Expression', 'ParameterDefinition', 'RelatedArtifact', 'TriggerDefinition',
  'UsageContext',
]);

/** The value of a `value[x]` (or `onset[x]`, `performed[x]`…) choice on `r` with prefix `prefix`. */
export function choice(r: Json, prefix: string): Cell {
  for (const [key, v] of Object.entries(r)) {
    if (!key.startsWith(prefix) || key.length === prefix.length) continue;
    const kind = key.slice(prefix.length);
    // only `[prefix][Type]`: DSTU2's `effectiveTimeDateTime` is not an `effective[x]`
    if (!CHOICE_TYPES.has(kind)) continue;
    switch (kind) {
      case 'Quantity': case 'Money': case 'Age': case 'Duration': case 'SimpleQuantity': case 'Count': case 'Distance': return quantity(v);
      case 'CodeableConcept': case 'Coding': return code(v);
      case 'Period': return period(v);
      case 'Range': return range(v);
      case 'Ratio': return ratio(v);
      case 'DateTime': case 'Date': case 'Instant': return dateTime(v);
      case 'Reference': return reference(v);
      case 'Attachment': return cell(isObject(v) ? str(v.title) || str(v.contentType) : '');
      case 'SampledData': return cell(l10n.t('sampled data'));
      default: return cell(str(v));
    }
  }
  return EMPTY;
}

export function reference(v: unknown): Cell {
  if (!isObject(v)) return cell(str(v));
  const ref = str(v.reference);
  const display = str(v.display);
  const ident = isObject(v.identifier) ? str(v.identifier.value) : '';
  return cell(display || ref || ident, ref || undefined);
}

/** A HumanName (or the preferred one of a list): DSTU2's `family` is a list, later versions' a string. */
export function humanName(v: unknown): Cell {
  const names = arr(v).filter(isObject);
  const n = names.find((x) => x.use === 'official') ?? names.find((x) => x.use !== 'old') ?? names[0];
  if (!n) return EMPTY;
  if (str(n.text)) return cell(str(n.text));
  const parts = [...arr(n.prefix), ...arr(n.given), ...arr(n.family), ...arr(n.suffix)].map(str).filter(Boolean);
  return cell(parts.join(' '));
}

export function address(v: unknown): Cell {
  const a = arr(v).filter(isObject)[0];
  if (!a) return EMPTY;
  if (str(a.text)) return cell(str(a.text));
  const cityLine = [str(a.city), [str(a.state), str(a.postalCode)].filter(Boolean).join(' ')].filter(Boolean).join(', ');
  return cell([...arr(a.line).map(str), cityLine, str(a.country)].filter(Boolean).join(', '));
}

/** Identifiers as `label: value`, the label from the identifier's type; systems on hover. */
export function identifiers(v: unknown, max = 3): Cell {
  const ids = arr(v).filter(isObject);
  const cells = ids.slice(0, max).map((id) => {
    const label = isObject(id.type) ? code(id.type).t : '';
    const value = str(id.value);
    return cell(label ? `${label}: ${value}` : value, str(id.system) || undefined);
  });
  const joined = joinCells(cells);
  return ids.length > max ? cell(`${joined.t} (+${ids.length - max})`, joined.h) : joined;
}

/** The first non-empty cell. */
export function first(...cells: Cell[]): Cell {
  return cells.find((c) => c.t) ?? EMPTY;
}

/** Milliseconds since the epoch of a FHIR date/dateTime/instant, or undefined. */
export function timeOf(v: unknown): number | undefined {
  const s = str(v);
  if (!/^\d{4}/.test(s)) return undefined;
  const iso = /^\d{4}$/.test(s) ? `${s}-01-01` : /^\d{4}-\d{2}$/.test(s) ? `${s}-01` : s;
  const t = Date.parse(iso);
  return Number.isFinite(t) ? t : undefined;
}
