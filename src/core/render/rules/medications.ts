import * as l10n from '@vscode/l10n';
import type { Cell } from '../../webviewProtocol/common';
import { choice, code, EMPTY, first, isObject, Json, quantity, str } from '../format';
import { at, col, count, firstWhen, join, objects, ref, some, text, whenChoice, worded } from './helpers';
import type { Rule } from './types';
import { TAKEN } from './words';

// Medications and what was done with them: DSTU2 MedicationOrder, STU3/R4 MedicationRequest,
// MedicationStatement, MedicationDispense, MedicationAdministration, Medication.

const status = col(() => l10n.t('Status'), 1, (r) => code(r.status));

/** The medication: `medicationCodeableConcept`, or the `medicationReference` (its display, or the contained Medication's code). */
export function medication(r: Json): Cell {
  const concept = code(r.medicationCodeableConcept);
  if (concept.t) return concept;
  const target = isObject(r.medicationReference) ? str(r.medicationReference.reference) : '';
  const display = isObject(r.medicationReference) ? str(r.medicationReference.display) : '';
  if (!display && target.startsWith('#')) {
    const contained = objects(r.contained).find((c) => c.resourceType === 'Medication' && `#${str(c.id)}` === target);
    if (contained && code(contained.code).t) return code(contained.code);
  }
  return ref(r.medicationReference, r);
}

/** Dosage text: D `dosageInstruction[].text` / `dosage[].text`, S/R the same names, R `dosage[].text`. */
const dosage = (r: Json): Cell => some([...objects(r.dosageInstruction), ...objects(r.dosage)].map((d) => text(d.text, 60)), 1);

const ordered = (r: Json) => firstWhen(at(r.authoredOn), at(r.dateWritten));

const medicationOrder: Rule = {
  label: medication,
  date: ordered,
  facts: dosage,
  columns: [
    col(() => l10n.t('Medication'), 4, medication),
    status,
    col(() => l10n.t('Written'), 2, (r) => ordered(r).cell),
    col(() => l10n.t('Prescriber'), 2, (r) => ref(r.prescriber)),
    col(() => l10n.t('Dosage'), 3, dosage),
  ],
  timeline: true,
};

const medicationRequest: Rule = {
  ...medicationOrder,
  columns: [
    col(() => l10n.t('Medication'), 4, medication),
    col(() => l10n.t('Intent'), 1, (r) => code(r.intent)),
    status,
    col(() => l10n.t('Authored'), 2, (r) => ordered(r).cell),
    col(() => l10n.t('Requester'), 2, (r) => first(ref(r.requester), isObject(r.requester) ? ref(r.requester.agent) : EMPTY)),
  ],
};

// effective[x] in every version (DSTU2 too); `dateAsserted` when it has no effective time
const statementDate = (r: Json) => firstWhen(whenChoice(r, 'effective'), at(r.dateAsserted));
// S `taken` (y | n | unk | na), D `wasNotTaken`, R status `not-taken`
const taken = (r: Json): Cell => first(worded(r.taken, TAKEN), r.wasNotTaken === true ? { t: l10n.t('not taken') } : EMPTY);

const medicationStatement: Rule = {
  label: medication,
  date: statementDate,
  facts: (r) => join(' · ', taken(r), dosage(r)),
  columns: [
    col(() => l10n.t('Medication'), 4, medication),
    status,
    col(() => l10n.t('Effective'), 2, (r) => first(choice(r, 'effective'))),
    col(() => l10n.t('Asserted'), 2, (r) => at(r.dateAsserted).cell),
    col(() => l10n.t('Dosage'), 3, (r) => join(' · ', taken(r), dosage(r))),
  ],
  timeline: true,
};

const dispensed = (r: Json) => firstWhen(at(r.whenHandedOver), at(r.whenPrepared));
const supply = (r: Json): Cell => join(' · ', quantity(r.quantity), isObject(r.daysSupply) && typeof r.daysSupply.value === 'number' ? count(r.daysSupply.value, (n) => (n === 1 ? l10n.t('1 day') : l10n.t('{0} days', n))) : EMPTY);

const medicationDispense: Rule = {
  label: medication,
  date: dispensed,
  facts: supply,
  columns: [
    col(() => l10n.t('Medication'), 4, medication),
    col(() => l10n.t('Supply'), 2, supply),
    col(() => l10n.t('Handed over'), 2, (r) => dispensed(r).cell),
    status,
  ],
  timeline: true,
};

// D `effectiveTime[x]`, S/R `effective[x]`
const administered = (r: Json) => firstWhen(whenChoice(r, 'effective'), whenChoice(r, 'effectiveTime'));
const dose = (r: Json): Cell => {
  const d = isObject(r.dosage) ? r.dosage : {};
  return first(quantity(d.dose), quantity(d.quantity), text(d.text, 60));
};

const medicationAdministration: Rule = {
  label: medication,
  date: administered,
  facts: (r) => join(' · ', dose(r), r.wasNotGiven === true || r.notGiven === true ? { t: l10n.t('not given') } : EMPTY),
  columns: [
    col(() => l10n.t('Medication'), 4, medication),
    col(() => l10n.t('Dose'), 2, dose),
    col(() => l10n.t('Given'), 2, (r) => first(choice(r, 'effective'), choice(r, 'effectiveTime'))),
    status,
  ],
  timeline: true,
};

// D `product.form`, S/R `form`; D/S `manufacturer` Reference, R too
const form = (r: Json): Cell => first(code(r.form), isObject(r.product) ? code(r.product.form) : EMPTY);

const medicationResource: Rule = {
  label: (r) => code(r.code),
  facts: (r) => join(' · ', form(r), ref(r.manufacturer, r)),
  columns: [
    col(() => l10n.t('Medication'), 4, (r) => code(r.code)),
    col(() => l10n.t('Form'), 2, form),
    col(() => l10n.t('Manufacturer'), 2, (r) => ref(r.manufacturer, r)),
    status,
  ],
};

export const MEDICATIONS: Record<string, Rule> = {
  MedicationOrder: medicationOrder,
  MedicationRequest: medicationRequest,
  MedicationStatement: medicationStatement,
  MedicationDispense: medicationDispense,
  MedicationAdministration: medicationAdministration,
  Medication: medicationResource,
};
