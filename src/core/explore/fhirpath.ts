// FHIRPath through HL7's fhirpath.js, with its DSTU2, STU3 and R4 models: compiled once per
// expression, errors worded for an inline message, and the rule that decides when a resource
// matches a filter.
import * as l10n from '@vscode/l10n';
import * as fhirpath from 'fhirpath';
import dstu2 from 'fhirpath/fhir-context/dstu2';
import r4 from 'fhirpath/fhir-context/r4';
import stu3 from 'fhirpath/fhir-context/stu3';
import type { FhirVersion } from '../environments';
import type { Resource } from '../fhir/types';
import { code, isObject, quantity, reference, str } from '../render/format';
import type { Cell } from '../webviewProtocol/common';

const MODELS = { dstu2, stu3, r4 } as const;

export type Evaluator = (resource: Resource) => unknown[];

/** An expression the engine refused, with where (1-based column) when it says. */
export class FhirPathError extends Error {
  override readonly name = 'FhirPathError';
  constructor(message: string, readonly column?: number) {
    super(message);
  }
}

const cache = new Map<string, Evaluator>();

/** The expression compiled for a FHIR version's model; throws a FhirPathError for a bad expression. */
export function compileFhirPath(expression: string, version: FhirVersion): Evaluator {
  const key = `${version}\n${expression}`;
  const hit = cache.get(key);
  if (hit) return hit;
  if (!expression.trim()) throw new FhirPathError(l10n.t('Type a FHIRPath expression, e.g. {0}.', 'code.coding.code = \'8867-4\''));
  if (expression.length > 10_000) throw new FhirPathError(l10n.t('The expression is longer than 10,000 characters.'));
  let compiled: (resource: unknown, vars?: Record<string, unknown>) => unknown;
  try {
    compiled = fhirpath.compile(expression, MODELS[version]) as typeof compiled;
  } catch (e) {
    throw describeSyntaxError(e);
  }
  const evaluator: Evaluator = (resource) => {
    const out = compiled(resource, { resource, rootResource: resource });
    return Array.isArray(out) ? out : [out];
  };
  if (cache.size > 200) cache.clear();
  cache.set(key, evaluator);
  return evaluator;
}

/** fhirpath.js says `line: 1; column: 19; message: mismatched input…`; a malformed tree can also throw a TypeError. */
function describeSyntaxError(e: unknown): FhirPathError {
  const text = e instanceof Error ? e.message : String(e);
  const m = /line:\s*\d+;\s*column:\s*(\d+);\s*message:\s*([\s\S]*)$/.exec(text);
  if (m) {
    const column = Number(m[1]) + 1;
    let message = m[2].trim();
    // ANTLR lists every token it expected: the first few say enough
    message = message.replace(/expecting \{([^}]*)\}/, (_all, list: string) => {
      const tokens = list.split(',').map((t) => t.trim());
      return `expecting ${tokens.slice(0, 6).join(', ')}${tokens.length > 6 ? ', …' : ''}`; // the engine's own English, shortened
    });
    return new FhirPathError(l10n.t('Syntax error at column {0}: {1}', column, message), column);
  }
  if (e instanceof TypeError) return new FhirPathError(l10n.t('Syntax error: this is not an expression FHIRPath can read ({0}).', text));
  return new FhirPathError(text);
}

/** The message of an evaluation error, without the engine's stack. */
export function evaluationMessage(e: unknown): string {
  const text = e instanceof Error ? e.message : String(e);
  return text.length > 500 ? `${text.slice(0, 500)}…` : text;
}

/**
 * Whether a result makes a filter keep the resource, as FHIRPath reads a collection where a
 * Boolean is expected: empty is false, one Boolean is itself, one other item is true; more than
 * one item is an error ("many").
 */
export function filterVerdict(result: unknown[]): boolean | 'many' {
  if (result.length === 0) return false;
  if (result.length > 1) return 'many';
  return result[0] !== false;
}

/** Why a line failed a filter when its result was a collection of several values. */
export function manyMessage(): string {
  return l10n.t('the expression gave more than one value where a filter needs true or false: wrap it in exists() or use where(…)');
}

/** A result as a grid cell: values joined, codes and quantities as the viewer writes them. */
export function resultCell(result: unknown[]): Cell {
  const parts = result.slice(0, 20).map(valueText).filter((t) => t !== '');
  const more = result.length > 20 ? ` (+${result.length - 20})` : '';
  const t = parts.join(', ') + more;
  return t.length > 200 ? { t: `${t.slice(0, 200)}…`, h: t.slice(0, 5_000) } : { t };
}

function valueText(v: unknown): string {
  if (v === null || v === undefined) return '';
  if (typeof v !== 'object') return String(v);
  if (isObject(v)) {
    if ('coding' in v || 'text' in v || ('code' in v && 'system' in v)) return code(v).t;
    if ('value' in v && ('unit' in v || 'code' in v || 'currency' in v)) return quantity(v).t;
    if ('reference' in v || 'display' in v) return reference(v).t;
    if ('value' in v) return str(v.value);
  }
  const json = JSON.stringify(v);
  return json.length > 200 ? `${json.slice(0, 200)}…` : json;
}

/** The parsed expression tree (for the pre-check), or undefined when it does not parse. */
export function parseTree(expression: string): unknown {
  try {
    return fhirpath.parse(expression);
  } catch {
    return undefined;
  }
}

/** The value of a FHIRPath string literal as written (`'it\'s'` → it's), evaluated by the engine itself. */
export function stringLiteralValue(literal: string): string | undefined {
  try {
    const out = fhirpath.evaluate({}, literal) as unknown[];
    return out.length === 1 && typeof out[0] === 'string' ? out[0] : undefined;
  } catch {
    return undefined;
  }
}
