import * as l10n from '@vscode/l10n';
import type { Cell } from '../../webviewProtocol/common';
import { textOfXhtml } from '../escape';
import { code, dateTime, EMPTY, first, humanName, isObject, Json, str } from '../format';
import { CLINICAL } from './clinical';
import { FINANCIAL } from './financial';
import { at, col, firstWhen, NO_WHEN, specific, startOf, text, whenChoice } from './helpers';
import { MEDICATIONS } from './medications';
import { PEOPLE } from './people';
import { RECORDS } from './records';
import type { Rule, When } from './types';

export type { ColumnDef, Rule, When } from './types';
export { observationValue } from './clinical';

/**
 * The rule table: how each resource type is labelled, dated, summed up and tabled, in DSTU2,
 * STU3 and R4 alike. The tree (`src/tree/labels.ts`), the bundle viewer (`columns.ts`), the
 * detail pane's title (`detail.ts`) and the patient record (`patientRecord.ts`) all read it.
 */
export const RULES: Readonly<Record<string, Rule>> = { ...PEOPLE, ...CLINICAL, ...MEDICATIONS, ...RECORDS, ...FINANCIAL };

/** What any resource's own fields say about it (name, title, code, type…): never its narrative. */
const fallbackLabel = (r: Json): Cell => first(
  humanName(r.name), { t: str(r.name) }, { t: str(r.title) }, code(r.code), specific(r.type, []), specific(r.category, []),
  text(r.description), text(r.detail),
);
const fallbackDate = (r: Json): When => firstWhen(
  at(r.date), whenChoice(r, 'effective'), whenChoice(r, 'occurrence'), at(r.authoredOn), at(r.recorded), at(r.issued),
  at(r.created), startOf(r.period),
);

/** Any other type: id, last updated, and a summary from its fields (its narrative's text only when the fields say nothing). */
export const FALLBACK: Rule = {
  label: fallbackLabel,
  date: fallbackDate,
  columns: [
    col(() => l10n.t('Id'), 2, (r) => ({ t: str(r.id) })),
    col(() => l10n.t('Last updated'), 2, (r) => (isObject(r.meta) ? dateTime(r.meta.lastUpdated) : EMPTY)),
    col(() => l10n.t('Summary'), 5, (r) => first(fallbackLabel(r), { t: isObject(r.text) ? textOfXhtml(str(r.text.div), 200) : '' })),
  ],
};

export function ruleFor(type: string): Rule {
  return Object.prototype.hasOwnProperty.call(RULES, type) ? RULES[type] : FALLBACK;
}

/** Runs one rule function; a malformed resource gives an empty answer, not an error. */
function safely<T>(f: (() => T) | undefined, empty: T): T {
  if (!f) return empty;
  try {
    return f();
  } catch {
    return empty;
  }
}

/** How a resource reads at a glance, by its type's rule. */
export interface Description {
  /** what it is about (EMPTY when its fields say nothing) */
  label: Cell;
  date: When;
  facts: Cell;
  status: Cell;
}

export function describe(resource: { resourceType: string }): Description {
  const r = resource as Json;
  const rule = ruleFor(resource.resourceType);
  return {
    label: safely(() => rule.label(r), EMPTY),
    date: safely(() => rule.date?.(r) ?? NO_WHEN, NO_WHEN),
    facts: safely(() => rule.facts?.(r) ?? EMPTY, EMPTY),
    status: safely(() => (rule.status ? rule.status(r) : code(r.status)), EMPTY),
  };
}

/** What a resource is about, in a few words. */
export function labelOf(resource: { resourceType: string }): Cell {
  return describe(resource).label;
}

/** The label, or `Type/id` when the fields say nothing: what titles show. */
export function titleOf(resource: { resourceType: string; id?: unknown }): string {
  const label = labelOf(resource).t;
  if (label) return label;
  return typeof resource.id === 'string' ? `${resource.resourceType}/${resource.id}` : resource.resourceType;
}
