import * as l10n from '@vscode/l10n';
import type { FhirVersion } from '../environments';
import { resourceTypes } from './resourceTypes';

/** A search typed in one step: `Observation?code=8867-4&_count=50`. */
export interface SearchQuery {
  type: string;
  params: [string, string][];
}

/** Parameters every resource type takes (FHIR's common ones, and 1upHealth's `_content`). */
export const COMMON_PARAMETERS: readonly string[] = ['_count', '_content', '_id', '_lastUpdated', '_sort', '_summary', '_elements'];

// The usual search parameters of the types people search most (FHIR's names; a server may
// support fewer). Only suggestions: whatever is typed is sent.
const BY_TYPE: Record<string, readonly string[]> = {
  Patient: ['name', 'family', 'given', 'birthdate', 'gender', 'identifier', 'address-postalcode', 'telecom'],
  Observation: ['patient', 'subject', 'code', 'category', 'date', 'status', 'value-quantity', 'encounter'],
  Condition: ['patient', 'subject', 'code', 'clinical-status', 'category', 'onset-date', 'encounter'],
  Encounter: ['patient', 'subject', 'date', 'status', 'class', 'type', 'participant'],
  MedicationRequest: ['patient', 'subject', 'status', 'intent', 'authoredon', 'code', 'medication'],
  MedicationOrder: ['patient', 'status', 'datewritten', 'code', 'medication'],
  MedicationStatement: ['patient', 'subject', 'status', 'effective', 'code'],
  Immunization: ['patient', 'date', 'vaccine-code', 'status'],
  Procedure: ['patient', 'subject', 'date', 'code', 'status'],
  DiagnosticReport: ['patient', 'subject', 'code', 'category', 'date', 'status'],
  AllergyIntolerance: ['patient', 'clinical-status', 'code', 'criticality'],
  Claim: ['patient', 'created', 'status', 'use'],
  ExplanationOfBenefit: ['patient', 'created', 'status'],
  Organization: ['name', 'identifier', 'address', 'type'],
  Practitioner: ['name', 'family', 'identifier', 'address'],
  CarePlan: ['patient', 'subject', 'date', 'status', 'category'],
  DocumentReference: ['patient', 'subject', 'date', 'type', 'status'],
};
const DEFAULT_PARAMETERS = ['patient', 'subject', 'date', 'code', 'status'];

/** The search parameters to suggest for a type: its usual ones, then the common ones. */
export function parametersFor(type: string): string[] {
  return [...(BY_TYPE[type] ?? DEFAULT_PARAMETERS), ...COMMON_PARAMETERS];
}

/**
 * Example values shown once a parameter name is typed (`date=` → `ge2024-01-01`), read when shown
 * (words in the user's language; search syntax and codes as they are sent).
 */
const PARAMETER_EXAMPLES: Readonly<Record<string, () => string>> = {
  _count: () => l10n.t('50 (1–100 per page)'),
  _content: () => l10n.t('text anywhere in the resource'),
  _lastUpdated: () => 'ge2024-01-01',
  _sort: () => '-date',
  _summary: () => 'count',
  date: () => 'ge2024-01-01 (eq ne gt lt ge le sa eb)',
  birthdate: () => 'le1970-12-31',
  code: () => l10n.t('{0}, or {1}', '8867-4', 'http://loinc.org|8867-4'),
  patient: () => l10n.t('the Patient id'),
  subject: () => 'Patient/<id>',
  gender: () => 'female | male | other | unknown',
  status: () => 'final, active, …',
  name: () => l10n.t('part of a name'),
};

/** The example value for a parameter, if there is one. */
export function parameterExample(name: string): string | undefined {
  return Object.prototype.hasOwnProperty.call(PARAMETER_EXAMPLES, name) ? PARAMETER_EXAMPLES[name]() : undefined;
}

/**
 * Reads `Type?name=value&…` (or `Type` alone, or a URL ending in `/Type?…`). Values may be
 * percent-encoded (a query copied from a URL); `+` stays a plus, as in FHIR date offsets.
 */
export function parseSearchQuery(text: string, version: FhirVersion): SearchQuery | { error: string } {
  const input = text.trim();
  if (!input) return { error: l10n.t('Type a resource type, then ? and search parameters: {0}', 'Observation?code=8867-4') };
  const q = input.indexOf('?');
  const head = (q < 0 ? input : input.slice(0, q)).replace(/\/+$/, '');
  const type = head.slice(head.lastIndexOf('/') + 1);
  if (!resourceTypes(version).includes(type)) {
    const near = resourceTypes(version).find((t) => t.toLowerCase() === type.toLowerCase());
    return { error: near ? l10n.t('Resource types are case-sensitive: {0}', near) : l10n.t('"{0}" is not a FHIR {1} resource type', type, version.toUpperCase()) };
  }
  const params: [string, string][] = [];
  for (const part of q < 0 ? [] : input.slice(q + 1).split('&')) {
    if (!part.trim()) continue;
    const eq = part.indexOf('=');
    if (eq <= 0) return { error: l10n.t('"{0}" is not a name=value search parameter', part) };
    const name = decode(part.slice(0, eq).trim());
    const value = decode(part.slice(eq + 1).trim());
    if (name === '_count' && !(/^\d+$/.test(value) && +value >= 1 && +value <= 100)) return { error: l10n.t('{0} is a page size from 1 to 100', '_count') };
    params.push([name, value]);
  }
  return { type, params };
}

/** The query as one line (what history keeps and titles show). */
export function formatSearchQuery(q: SearchQuery): string {
  return q.params.length ? `${q.type}?${q.params.map(([k, v]) => `${k}=${v}`).join('&')}` : q.type;
}

function decode(s: string): string {
  if (!/%[0-9A-Fa-f]{2}/.test(s)) return s;
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}

/** What to offer while `Type?query` is being typed: types first, then parameter names. */
export type SearchCompletion =
  | { kind: 'type'; type: string }
  | { kind: 'parameter'; name: string; insert: string; example?: string };

/**
 * Completions for the text typed so far: resource types until a `?`, then the names of the
 * parameter being typed (after the last `&`), each as the whole line it would make.
 */
export function searchCompletions(text: string, version: FhirVersion, common: readonly string[]): SearchCompletion[] {
  const q = text.indexOf('?');
  if (q < 0) {
    const typed = text.trim().toLowerCase();
    const all = resourceTypes(version);
    const first = typed ? [] : [...common];
    const starts = all.filter((t) => t.toLowerCase().startsWith(typed) && !first.includes(t));
    const within = typed ? all.filter((t) => !t.toLowerCase().startsWith(typed) && t.toLowerCase().includes(typed)) : [];
    const ordered = typed ? [...starts.filter((t) => common.includes(t)), ...starts.filter((t) => !common.includes(t)), ...within] : [...first, ...starts];
    return ordered.map((type) => ({ kind: 'type', type }));
  }
  const type = text.slice(0, q).trim();
  const rest = text.slice(q + 1);
  const amp = rest.lastIndexOf('&');
  const done = rest.slice(0, amp + 1);
  const current = rest.slice(amp + 1);
  const given = new Set(done.split('&').map((p) => p.split('=')[0]).filter(Boolean));
  const eq = current.indexOf('=');
  if (eq >= 0) {
    const name = current.slice(0, eq);
    const example = parameterExample(name);
    return example && eq === current.length - 1 ? [{ kind: 'parameter', name, insert: text, example }] : [];
  }
  return parametersFor(type)
    .filter((name) => name.startsWith(current) && !given.has(name))
    .map((name) => ({ kind: 'parameter', name, insert: `${type}?${done}${name}=`, example: parameterExample(name) }));
}

/** One row of the search input, in the order it is shown. */
export type SearchRow =
  | { kind: 'run'; query: SearchQuery }
  | { kind: 'problem'; message: string }
  | { kind: 'recent'; text: string }
  | { kind: 'completion'; completion: SearchCompletion };

/**
 * What the search input shows for the text typed so far: the search it would run (or why it
 * cannot), recent searches that start with the text, and completions. While a name is being typed
 * (`Observation?co`) a completion can finish it: the completions come first then, so Enter fills
 * the name in, and the problem goes last instead of standing highlighted in the user's way.
 */
export function searchRows(text: string, version: FhirVersion, recent: readonly string[], common: readonly string[]): SearchRow[] {
  const parsed = parseSearchQuery(text, version);
  const completions = searchCompletions(text, version, common);
  const recentRows: SearchRow[] = recent.filter((q) => q !== text && q.toLowerCase().startsWith(text.toLowerCase())).slice(0, 8).map((q) => ({ kind: 'recent', text: q }));
  const completionRows: SearchRow[] = completions.slice(0, 40).map((completion) => ({ kind: 'completion', completion }));
  if (!('error' in parsed)) return [{ kind: 'run', query: parsed }, ...recentRows, ...completionRows];
  if (!text.includes('?')) return [...recentRows, ...completionRows];
  const finishes = completions.some((c) => c.kind === 'type' || c.insert !== text);
  const problem: SearchRow = { kind: 'problem', message: parsed.error };
  return finishes ? [...recentRows, ...completionRows, problem] : [problem, ...recentRows, ...completionRows];
}
