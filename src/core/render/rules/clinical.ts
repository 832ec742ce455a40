import * as l10n from '@vscode/l10n';
import type { Cell } from '../../webviewProtocol/common';
import { choice, code, EMPTY, first, isObject, Json, period, str } from '../format';
import { at, col, count, firstWhen, join, objects, ref, some, specific, startOf, text, whenChoice, worded } from './helpers';
import type { Rule } from './types';
import { CRITICALITY, ENCOUNTER_CLASS } from './words';

// Encounters, conditions, observations, procedures, allergies, immunizations. Field names per
// version are noted where they differ (D = DSTU2, S = STU3, R = R4).

const status = col(() => l10n.t('Status'), 1, (r) => code(r.status));

/** An Observation's value: value[x], or its components (blood pressure), or the absent reason. */
export function observationValue(r: Json): Cell {
  const v = choice(r, 'value');
  if (v.t) return v;
  const parts = objects(r.component).map((c) => {
    const value = choice(c, 'value');
    return value.t ? `${code(c.code).t}: ${value.t}` : '';
  }).filter(Boolean);
  if (parts.length) return { t: parts.join('; ') };
  return code(r.dataAbsentReason);
}

const encounterType = (r: Json): Cell => some(objects(r.type).map((t) => code(t)), 2);
const encounterClass = (r: Json): Cell => worded(r.class, ENCOUNTER_CLASS);
// D/S `reason` (CodeableConcept[]), R `reasonCode`; R `reasonReference` names a Condition
const encounterReason = (r: Json): Cell => first(
  some(objects(r.reasonCode ?? r.reason).map((c) => code(c)), 2),
  some(objects(r.reasonReference).map((x) => ref(x)), 2),
);

const encounter: Rule = {
  // type, else the class in words: never the narrative (Cerner's is the whole visit as text)
  label: (r) => first(encounterType(r), classAsLabel(r), encounterReason(r)),
  date: (r) => startOf(r.period),
  // the class only when the label does not already say it (Cerner's type text is often the class)
  facts: (r) => {
    const type = encounterType(r).t.toLowerCase();
    const cls = encounterClass(r);
    return join(' · ', type && !type.includes(cls.t.toLowerCase()) ? cls : EMPTY, encounterReason(r));
  },
  columns: [
    col(() => l10n.t('Type'), 4, (r) => first(encounterType(r), classAsLabel(r))),
    col(() => l10n.t('Class'), 1, encounterClass),
    col(() => l10n.t('Reason'), 3, encounterReason),
    col(() => l10n.t('Period'), 3, (r) => period(r.period)),
    status,
  ],
  timeline: true,
};

function classAsLabel(r: Json): Cell {
  const c = encounterClass(r);
  if (!c.t) return EMPTY;
  const word = `${c.t[0].toUpperCase()}${c.t.slice(1)}`;
  return { t: /encounter$/i.test(word) ? word : l10n.t('{0} encounter', word), h: c.h };
}

const conditionOnset = (r: Json) => firstWhen(whenChoice(r, 'onset'), at(r.recordedDate), at(r.assertedDate), at(r.dateRecorded));
// D/S clinicalStatus is a code, R a CodeableConcept
const conditionStatus = (r: Json): Cell => {
  const abated = choice(r, 'abatement');
  return join(' · ', code(r.clinicalStatus), abated.t ? { t: abated.t === 'true' ? l10n.t('abated') : l10n.t('until {0}', abated.t) } : EMPTY);
};

const condition: Rule = {
  label: (r) => code(r.code),
  date: conditionOnset,
  facts: conditionStatus,
  status: (r) => code(r.verificationStatus),
  columns: [
    col(() => l10n.t('Condition'), 4, (r) => code(r.code)),
    col(() => l10n.t('Clinical status'), 1, (r) => code(r.clinicalStatus)),
    col(() => l10n.t('Onset'), 2, (r) => conditionOnset(r).cell),
    col(() => l10n.t('Abatement'), 2, (r) => choice(r, 'abatement')),
  ],
  timeline: true,
};

const observationDate = (r: Json) => firstWhen(whenChoice(r, 'effective'), at(r.issued));

const observation: Rule = {
  label: (r) => code(r.code),
  date: observationDate,
  facts: observationValue,
  columns: [
    col(() => l10n.t('Code'), 4, (r) => code(r.code)),
    col(() => l10n.t('Value'), 2, observationValue),
    col(() => l10n.t('Date'), 2, (r) => first(choice(r, 'effective'), observationDate(r).cell)),
    status,
  ],
  timeline: true,
};

// D has `notPerformed` + `reasonNotPerformed`, S/R `notDone`/status `not-done`
const procedureFacts = (r: Json): Cell => join(' · ',
  r.notPerformed === true || r.notDone === true ? { t: l10n.t('not performed') } : EMPTY,
  first(some(objects(r.reasonCode).map((c) => code(c)), 2), code(r.reasonCodeableConcept), ref(r.reasonReference)),
  some(objects(r.bodySite).map((c) => code(c)), 2),
  code(r.outcome),
);

const procedure: Rule = {
  label: (r) => code(r.code),
  date: (r) => whenChoice(r, 'performed'),
  facts: procedureFacts,
  columns: [
    col(() => l10n.t('Procedure'), 4, (r) => code(r.code)),
    col(() => l10n.t('Performed'), 3, (r) => choice(r, 'performed')),
    col(() => l10n.t('Reason / site'), 2, procedureFacts),
    status,
  ],
  timeline: true,
};

// D `substance`, S/R `code`; D `recordedDate`, S `assertedDate`, R `recordedDate`
const allergySubstance = (r: Json): Cell => first(code(r.code), code(r.substance), some(objects(r.reaction).map((x) => code(x.substance)), 1));
const criticality = (r: Json): Cell => worded(r.criticality, CRITICALITY);
const reactions = (r: Json): Cell => some(objects(r.reaction).flatMap((x) => objects(x.manifestation).map((m) => code(m))), 2);
const allergyRecorded = (r: Json) => firstWhen(at(r.recordedDate), at(r.assertedDate), whenChoice(r, 'onset'), at(r.onset));
const allergyStatus = (r: Json): Cell => first(code(r.clinicalStatus), code(r.status));

const allergy: Rule = {
  label: allergySubstance,
  date: allergyRecorded,
  facts: (r) => join(' · ', criticality(r).t ? { t: l10n.t('{0} criticality', criticality(r).t), h: criticality(r).h } : EMPTY, reactions(r)),
  status: allergyStatus,
  columns: [
    col(() => l10n.t('Substance'), 4, allergySubstance),
    col(() => l10n.t('Criticality'), 1, criticality),
    col(() => l10n.t('Reaction'), 2, reactions),
    col(() => l10n.t('Clinical status'), 1, allergyStatus),
    col(() => l10n.t('Recorded'), 2, (r) => allergyRecorded(r).cell),
  ],
  timeline: true,
};

// D/S `date`, R `occurrence[x]`; D `wasNotGiven`, S `notGiven`, R status `not-done`
const immunizationDate = (r: Json) => firstWhen(whenChoice(r, 'occurrence'), at(r.date));
const notGiven = (r: Json): Cell => (r.wasNotGiven === true || r.notGiven === true ? { t: l10n.t('not given') } : EMPTY);

const immunization: Rule = {
  label: (r) => code(r.vaccineCode),
  date: immunizationDate,
  facts: (r) => join(' · ', notGiven(r), str(r.lotNumber) ? { t: l10n.t('lot {0}', str(r.lotNumber)) } : EMPTY),
  columns: [
    col(() => l10n.t('Vaccine'), 4, (r) => code(r.vaccineCode)),
    col(() => l10n.t('Date'), 2, (r) => immunizationDate(r).cell),
    col(() => l10n.t('Given'), 1, (r) => notGiven(r).t ? notGiven(r) : r.wasNotGiven === false || r.notGiven === false || r.status === 'completed' ? { t: l10n.t('given') } : EMPTY),
    status,
  ],
  timeline: true,
};

// D/S `reason` is absent on Goal; D `description` is a string, S/R a CodeableConcept
const goalDescription = (r: Json): Cell => first(typeof r.description === 'string' ? text(r.description) : code(r.description), specific(r.category));
const goalDue = (r: Json) => firstWhen(at(r.targetDate), ...objects(r.target).map((t) => at(t.dueDate)));

const goal: Rule = {
  label: goalDescription,
  date: (r) => firstWhen(at(r.startDate), at(r.statusDate), goalDue(r)),
  facts: (r) => join(' · ', code(r.achievementStatus), goalDue(r).cell.t ? { t: l10n.t('due {0}', goalDue(r).cell.t) } : EMPTY),
  status: (r) => first(code(r.lifecycleStatus), code(r.status)),
  columns: [
    col(() => l10n.t('Goal'), 4, goalDescription),
    col(() => l10n.t('Status'), 1, (r) => first(code(r.lifecycleStatus), code(r.status))),
    col(() => l10n.t('Achievement'), 1, (r) => code(r.achievementStatus)),
    col(() => l10n.t('Start'), 2, (r) => at(r.startDate).cell),
    col(() => l10n.t('Due'), 2, (r) => goalDue(r).cell),
  ],
  timeline: true,
};

// the activities of a plan: D/S/R `activity[].detail.code` (or its description), R `activity[].reference`
const planActivities = (r: Json): Cell => some(objects(r.activity).map((a) => {
  const d = isObject(a.detail) ? a.detail : {};
  return first(code(d.code), text(d.description, 60), ref(a.reference), ref(a.actionResulting));
}), 3);
const planName = (r: Json): Cell => first(text(r.title), specific(r.category), text(r.description), planActivities(r), some(objects(r.addresses).map((x) => ref(x)), 2));

const carePlan: Rule = {
  // title (S/R), the category that says something (Synthea's first is US Core's generic `assess-plan`), the description, the activities
  label: planName,
  date: (r) => firstWhen(startOf(r.period), at(r.created)),
  facts: (r) => {
    const name = planName(r).t;
    const activities = planActivities(r);
    return activities.t && activities.t !== name ? activities : count(objects(r.activity).length, (n) => (n === 1 ? l10n.t('1 activity') : l10n.t('{0} activities', n)));
  },
  columns: [
    col(() => l10n.t('Plan'), 3, planName),
    col(() => l10n.t('Activities'), 4, planActivities),
    status,
    col(() => l10n.t('Period'), 2, (r) => period(r.period)),
  ],
  timeline: true,
};

export const CLINICAL: Record<string, Rule> = {
  Encounter: encounter,
  Condition: condition,
  Observation: observation,
  Procedure: procedure,
  AllergyIntolerance: allergy,
  Immunization: immunization,
  Goal: goal,
  CarePlan: carePlan,
};
