import type { Cell } from '../../webviewProtocol/common';
import { address, code, dateTime, EMPTY, first, humanName, identifiers, Json, period, str } from '../format';
import { col, count, join, objects, ref, some, specific, startOf, worded } from './helpers';
import type { Rule } from './types';
import { ROLE } from './words';

// Patients, practitioners, related people, organizations, locations, care teams. HumanName is a
// list in every version except DSTU2 Practitioner and RelatedPerson (one name), and DSTU2's
// `family` is a list: `humanName` reads them all.

const status = col('Status', 1, (r) => code(r.status));
const telecom = (r: Json): Cell => some(objects(r.telecom).map((t) => ({ t: str(t.value) })), 2);

const patient: Rule = {
  label: (r) => humanName(r.name),
  facts: (r) => join(' · ', dateTime(r.birthDate), code(r.gender)),
  columns: [
    col('Name', 3, (r) => humanName(r.name)),
    col('Gender', 1, (r) => code(r.gender)),
    col('Birth date', 1, (r) => dateTime(r.birthDate)),
    col('Identifiers', 4, (r) => identifiers(r.identifier)),
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
    col('Name', 3, (r) => humanName(r.name)),
    col('Gender', 1, (r) => code(r.gender)),
    col('Qualification', 2, qualification),
    col('Identifiers', 3, (r) => identifiers(r.identifier)),
    col('Address', 3, (r) => address(r.address)),
  ],
};

// D/S `relationship` is one CodeableConcept, R a list
const relationship = (r: Json): Cell => some(objects(r.relationship).map((x) => worded(x, ROLE)), 2);

const relatedPerson: Rule = {
  label: (r) => first(humanName(r.name), relationship(r)),
  facts: (r) => join(' · ', humanName(r.name).t ? relationship(r) : EMPTY, ref(r.patient).t ? { t: `of ${ref(r.patient).t}`, h: ref(r.patient).h } : EMPTY),
  date: (r) => startOf(r.period),
  columns: [
    col('Name', 3, (r) => humanName(r.name)),
    col('Relationship', 2, relationship),
    col('Patient', 2, (r) => ref(r.patient)),
    col('Telecom', 2, telecom),
    col('Address', 3, (r) => address(r.address)),
  ],
};

const organization: Rule = {
  label: (r) => ({ t: str(r.name) }),
  facts: (r) => join(' · ', specific(r.type, []), address(r.address)),
  columns: [
    col('Name', 3, (r) => ({ t: str(r.name) })),
    col('Type', 2, (r) => specific(r.type, [])),
    col('Address', 4, (r) => address(r.address)),
  ],
};

// D/S `type` is one CodeableConcept, R a list
const location: Rule = {
  label: (r) => first({ t: str(r.name) }, { t: str(r.description) }, specific(r.type, [])),
  facts: (r) => join(' · ', specific(r.type, []), address(r.address)),
  columns: [
    col('Name', 3, (r) => ({ t: str(r.name) })),
    col('Type', 2, (r) => specific(r.type, [])),
    col('Address', 4, (r) => address(r.address)),
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
  facts: (r) => (str(r.name) || specific(r.category).t ? members(r) : count(objects(r.participant).length, 'member')),
  columns: [
    col('Team', 3, (r) => first({ t: str(r.name) }, specific(r.category))),
    col('Members', 4, members),
    status,
    col('Period', 2, (r) => period(r.period)),
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
