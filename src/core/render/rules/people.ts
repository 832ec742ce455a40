import * as l10n from '@vscode/l10n';
import type { Cell } from '../../webviewProtocol/common';
import { address, code, dateTime, EMPTY, first, humanName, identifiers, Json, period, str } from '../format';
import { col, count, join, objects, ref, some, specific, startOf, worded } from './helpers';
import type { Rule } from './types';
import { ROLE } from './words';

// Patients, practitioners, related people, organizations, locations, care teams. HumanName is a
// list in every version except DSTU2 Practitioner and RelatedPerson (one name), and DSTU2's
// `family` is a list: `humanName` reads them all.

const status = col(() => l10n.t('Status'), 1, (r) => code(r.status));
const telecom = (r: Json): Cell => some(objects(r.telecom).map((t) => ({ t: str(t.value) })), 2);

const patient: Rule = {
  label: (r) => humanName(r.name),
  facts: (r) => join(' · ', dateTime(r.birthDate), code(r.gender)),
  columns: [
    col(() => l10n.t('Name'), 3, (r) => humanName(r.name)),
    col(() => l10n.t('Gender'), 1, (r) => code(r.gender)),
    col(() => l10n.t('Birth date'), 1, (r) => dateTime(r.birthDate)),
    col(() => l10n.t('Identifiers'), 4, (r) => identifiers(r.identifier)),
  ],
};

// D `practitionerRole[].role`, S/R `qualification[].code`
const qualification = (r: Json): Cell => some([
  ...objects(r.qualification).map((q) => code(q.code)),
  ...objects(r.practitionerRole).map((p) => code(p.role)),
], 2);

const practitioner: Rule = {
  label: (r) => humanName(r.name),
  facts: qualification,
  columns: [
    col(() => l10n.t('Name'), 3, (r) => humanName(r.name)),
    col(() => l10n.t('Gender'), 1, (r) => code(r.gender)),
    col(() => l10n.t('Qualification'), 2, qualification),
    col(() => l10n.t('Identifiers'), 3, (r) => identifiers(r.identifier)),
    col(() => l10n.t('Address'), 3, (r) => address(r.address)),
  ],
};

// D/S `relationship` is one CodeableConcept, R a list
const relationship = (r: Json): Cell => some(objects(r.relationship).map((x) => worded(x, ROLE)), 2);

const relatedPerson: Rule = {
  label: (r) => first(humanName(r.name), relationship(r)),
  facts: (r) => join(' · ', humanName(r.name).t ? relationship(r) : EMPTY, ref(r.patient).t ? { t: l10n.t('of {0}', ref(r.patient).t), h: ref(r.patient).h } : EMPTY),
  date: (r) => startOf(r.period),
  columns: [
    col(() => l10n.t('Name'), 3, (r) => humanName(r.name)),
    col(() => l10n.t('Relationship'), 2, relationship),
    col(() => l10n.t('Patient'), 2, (r) => ref(r.patient)),
    col(() => l10n.t('Telecom'), 2, telecom),
    col(() => l10n.t('Address'), 3, (r) => address(r.address)),
  ],
};

const organization: Rule = {
  label: (r) => ({ t: str(r.name) }),
  facts: (r) => join(' · ', specific(r.type, []), address(r.address)),
  columns: [
    col(() => l10n.t('Name'), 3, (r) => ({ t: str(r.name) })),
    col(() => l10n.t('Type'), 2, (r) => specific(r.type, [])),
    col(() => l10n.t('Address'), 4, (r) => address(r.address)),
  ],
};

// D/S `type` is one CodeableConcept, R a list
const location: Rule = {
  label: (r) => first({ t: str(r.name) }, { t: str(r.description) }, specific(r.type, [])),
  facts: (r) => join(' · ', specific(r.type, []), address(r.address)),
  columns: [
    col(() => l10n.t('Name'), 3, (r) => ({ t: str(r.name) })),
    col(() => l10n.t('Type'), 2, (r) => specific(r.type, [])),
    col(() => l10n.t('Address'), 4, (r) => address(r.address)),
    status,
  ],
};

// S/R only (DSTU2 has no CareTeam): `participant[].member` (R) / `.member` (S), roles
const members = (r: Json): Cell => some(objects(r.participant).map((p) => {
  const who = ref(p.member, r);
  const role = some(objects(p.role).map((x) => code(x)), 1);
  return who.t && role.t ? { t: `${who.t} (${role.t})`, h: who.h } : first(who, role);
}), 3);

const careTeam: Rule = {
  label: (r) => first({ t: str(r.name) }, specific(r.category), members(r)),
  date: (r) => startOf(r.period),
  facts: (r) => (str(r.name) || specific(r.category).t ? members(r) : count(objects(r.participant).length, (n) => (n === 1 ? l10n.t('1 member') : l10n.t('{0} members', n)))),
  columns: [
    col(() => l10n.t('Team'), 3, (r) => first({ t: str(r.name) }, specific(r.category))),
    col(() => l10n.t('Members'), 4, members),
    status,
    col(() => l10n.t('Period'), 2, (r) => period(r.period)),
  ],
};

export const PEOPLE: Record<string, Rule> = {
  Patient: patient,
  Practitioner: practitioner,
  RelatedPerson: relatedPerson,
  Organization: organization,
  Location: location,
  CareTeam: careTeam,
};
