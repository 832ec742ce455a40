import type { Resource } from '../fhir/types';
import type { Cell } from '../webviewProtocol/common';
import { textOfXhtml } from './escape';
import {
  address, choice, code, dateTime, EMPTY, first, humanName, identifiers, isObject, Json, period, quantity, reference, str,
} from './format';

export interface ColumnDef {
  label: string;
  weight: number;
  value(r: Json): Cell;
}

const col = (label: string, weight: number, value: (r: Json) => Cell): ColumnDef => ({ label, weight, value });
const status = col('Status', 1, (r) => code(r.status));

/** An Observation's value: value[x], or its components (blood pressure), or the absent reason. */
export function observationValue(r: Json): Cell {
  const v = choice(r, 'value');
  if (v.t) return v;
  const parts = (Array.isArray(r.component) ? r.component : []).filter(isObject).map((c) => {
    const value = choice(c, 'value');
    return value.t ? `${code(c.code).t}: ${value.t}` : '';
  }).filter(Boolean);
  if (parts.length) return { t: parts.join('; ') };
  return code(r.dataAbsentReason);
}

/** A medication order's medication: the CodeableConcept or the Reference's display. */
function medication(r: Json): Cell {
  return first(choice(r, 'medication'));
}

/** Money totals: R4 EOB `total[]` (the submitted amount first), Claim `total`, STU3 `totalCost`, DSTU2 item nets. */
function claimTotal(r: Json): Cell {
  if (Array.isArray(r.total)) {
    const totals = r.total.filter(isObject);
    const submitted = totals.find((t) => /submitted/i.test(code(t.category).t)) ?? totals[0];
    return submitted ? quantity(submitted.amount) : EMPTY;
  }
  const direct = first(quantity(r.total), quantity(r.totalCost), isObject(r.payment) ? quantity(r.payment.amount) : EMPTY);
  if (direct.t) return direct;
  const nets = (Array.isArray(r.item) ? r.item : []).filter(isObject).map((i) => i.net).filter(isObject);
  if (!nets.length) return EMPTY;
  const sum = nets.reduce((a, n) => a + (typeof n.value === 'number' ? n.value : 0), 0);
  const unit = str(nets[0].currency) || str(nets[0].code);
  return { t: `${Math.round(sum * 100) / 100}${unit ? ` ${unit}` : ''}` };
}

const PATIENT = [
  col('Name', 3, (r) => humanName(r.name)),
  col('Gender', 1, (r) => code(r.gender)),
  col('Birth date', 1, (r) => dateTime(r.birthDate)),
  col('Identifiers', 4, (r) => identifiers(r.identifier)),
];

const MEDICATION_ORDER = [
  col('Medication', 4, medication),
  status,
  col('Authored', 2, (r) => first(dateTime(r.authoredOn), dateTime(r.dateWritten), choice(r, 'effective'), dateTime(r.dateAsserted))),
];

const CLAIM = [
  col('Type', 2, (r) => code(r.type)),
  status,
  col('Billable period', 3, (r) => first(period(r.billablePeriod), dateTime(r.created))),
  col('Provider', 3, (r) => first(reference(r.provider), reference(r.organization), reference(r.insurer))),
  col('Total', 1, claimTotal),
];

const BY_TYPE: Record<string, ColumnDef[]> = {
  Patient: PATIENT,
  Practitioner: [col('Name', 3, (r) => humanName(r.name)), col('Gender', 1, (r) => code(r.gender)), col('Identifiers', 3, (r) => identifiers(r.identifier)), col('Address', 3, (r) => address(r.address))],
  Organization: [col('Name', 3, (r) => ({ t: str(r.name) })), col('Type', 2, (r) => code(r.type)), col('Address', 4, (r) => address(r.address))],
  Observation: [
    col('Code', 4, (r) => code(r.code)),
    col('Value', 2, observationValue),
    col('Date', 2, (r) => first(choice(r, 'effective'), dateTime(r.issued))),
    status,
  ],
  Condition: [
    col('Code', 4, (r) => code(r.code)),
    col('Clinical status', 1, (r) => code(r.clinicalStatus)),
    col('Onset', 2, (r) => first(choice(r, 'onset'), dateTime(r.recordedDate), dateTime(r.assertedDate), dateTime(r.dateRecorded))),
  ],
  Encounter: [
    col('Class', 1, (r) => code(r.class)),
    col('Type', 4, (r) => code(r.type)),
    col('Period', 3, (r) => period(r.period)),
    status,
  ],
  MedicationRequest: MEDICATION_ORDER,
  MedicationOrder: MEDICATION_ORDER,
  MedicationStatement: MEDICATION_ORDER,
  Immunization: [
    col('Vaccine', 4, (r) => code(r.vaccineCode)),
    col('Date', 2, (r) => first(choice(r, 'occurrence'), dateTime(r.date))),
    status,
  ],
  Procedure: [
    col('Procedure', 4, (r) => code(r.code)),
    col('Performed', 3, (r) => choice(r, 'performed')),
    status,
  ],
  DiagnosticReport: [
    col('Report', 4, (r) => code(r.code)),
    col('Category', 1, (r) => code(r.category)),
    col('Effective', 2, (r) => first(choice(r, 'effective'), dateTime(r.issued))),
    col('Results', 1, (r) => ({ t: Array.isArray(r.result) ? String(r.result.length) : '' })),
    status,
  ],
  AllergyIntolerance: [
    col('Substance', 4, (r) => first(code(r.code), code(r.substance))),
    col('Criticality', 1, (r) => code(r.criticality)),
    col('Clinical status', 1, (r) => first(code(r.clinicalStatus), code(r.status))),
    col('Recorded', 2, (r) => first(dateTime(r.recordedDate), dateTime(r.assertedDate), choice(r, 'onset'))),
  ],
  CarePlan: [col('Category', 3, (r) => code(r.category)), status, col('Period', 3, (r) => period(r.period))],
  Claim: CLAIM,
  ExplanationOfBenefit: CLAIM,
};

/** A one-line summary of any resource: its narrative's text, else its most telling field. */
export function summary(r: Json): Cell {
  const text = isObject(r.text) ? textOfXhtml(str(r.text.div)) : '';
  if (text) return { t: text };
  return first(code(r.code), humanName(r.name), { t: str(r.name) }, { t: str(r.title) }, code(r.type), code(r.status));
}

const DEFAULT = [
  col('Id', 2, (r) => ({ t: str(r.id) })),
  col('Last updated', 2, (r) => (isObject(r.meta) ? dateTime(r.meta.lastUpdated) : EMPTY)),
  col('Summary', 5, summary),
];

/** The columns a table of `type` shows (a generic id / last updated / summary for other types). */
export function columnsFor(type: string): readonly ColumnDef[] {
  return BY_TYPE[type] ?? DEFAULT;
}

/** The row cells of one resource; a column that fails on a malformed resource is left empty. */
export function cellsOf(resource: Resource, columns: readonly ColumnDef[]): Cell[] {
  return columns.map((c) => {
    try {
      return c.value(resource as Json);
    } catch {
      return EMPTY;
    }
  });
}

/** What a resource is about, in a few words: a name, a code, a vaccine, a medication… */
export function labelOf(r: Json): Cell {
  return first(
    humanName(r.name), { t: str(r.name) }, code(r.code), code(r.vaccineCode), choice(r, 'medication'),
    code(r.substance), { t: str(r.title) }, code(r.type), summary(r),
  );
}
