// Turns a Plan into R4 resources, one type at a time. Ids are a pure function of (patient, source,
// type, position) (ids.ts), so a read rebuilds just that type of that patient.
import type { Resource } from '../../fhir/types';
import { FIRST_VERSION_ID, patientRecordIdAt, recordIdBase, versionIdOf } from './ids';
import { buildObservations, countObservations } from './observations';
import type { EncounterPlan, Plan } from './plan';
import { ageAt } from './plan';
import { buildRecord, countRecord, RECORD_TYPES } from './records';
import { hash32, Rng } from './rng';
import { iso, isoDate, narrative } from './text';
import type { Code } from './vocab';
import { ALLERGIES, CONDITIONS, CVX, ENCOUNTER_TYPES, ETHNICITIES, MEDS, PROCEDURES, RACES, RXNORM, SNOMED, VACCINES, WELL_CHILD } from './vocab';

export interface DirectoryEntry { id: string; name: string }
export interface Directory { organizations: DirectoryEntry[]; practitioners: DirectoryEntry[] }

export const GENERATED_TYPES = ['Patient', 'Encounter', 'Condition', 'Observation', 'DiagnosticReport', 'MedicationRequest',
  'Immunization', 'Procedure', 'AllergyIntolerance', ...RECORD_TYPES] as const;

/** What a Synthea demo patient is given on top of Synthea's records (their references stay inside this set). */
export const SUPPLEMENT_TYPES: readonly string[] = ['AllergyIntolerance', 'Medication', 'MedicationStatement', 'DocumentReference',
  'FamilyMemberHistory', 'RelatedPerson', 'DetectedIssue', 'Device'];

/** The numbered OID arc of each type's identifiers (`urn:oid:2.16.840.1.113883.3.7418.2.<n>`). */
const IDENTIFIER_ARC: Record<string, number> = {
  Patient: 1, Encounter: 4, Condition: 5, Observation: 6, DiagnosticReport: 7, MedicationRequest: 8, Immunization: 9, Procedure: 10,
  AllergyIntolerance: 11, Medication: 12, MedicationStatement: 13, DocumentReference: 14, FamilyMemberHistory: 15, RelatedPerson: 16,
  DetectedIssue: 17, Device: 18, CarePlan: 19,
};
export const IDENTIFIER_ROOT = 'urn:oid:2.16.840.1.113883.3.7418.2';

/** The record number a health system's EHR gives a record, as the identifier production resources carry. */
export function recordIdentifier(type: string, id: string): Record<string, unknown> {
  const digits = String(hash32('identifier', id)).padStart(10, '0');
  return { use: 'usual', system: `${IDENTIFIER_ROOT}.${IDENTIFIER_ARC[type] ?? 99}`, value: type === 'Encounter' ? `CSN${digits}` : digits };
}

export const TAG_SYSTEM = 'https://api.1up.health/connect/system/clinical';

export function codeable(system: string, c: Code): Record<string, unknown> {
  return { coding: [{ system, code: c.code, display: c.display }], text: c.display };
}

export class Builder {
  constructor(readonly plan: Plan, readonly dir: Directory) {}

  private readonly ids = new Map<string, { base: number; ids: string[] }>();

  id(type: string, n: number): string {
    let of = this.ids.get(type);
    if (!of) this.ids.set(type, of = { base: recordIdBase(this.plan.patientId, this.plan.sourceKey, type), ids: [] });
    return of.ids[n] ??= patientRecordIdAt(this.plan.patientId, of.base, n);
  }

  ref(type: string, n: number, display?: string): Record<string, string> {
    return display ? { reference: `${type}/${this.id(type, n)}`, display } : { reference: `${type}/${this.id(type, n)}` };
  }

  patient(): Record<string, string> {
    return { reference: `Patient/${this.plan.patientId}`, display: this.plan.patientDisplay };
  }

  org(enc: EncounterPlan): Record<string, string> {
    const o = this.dir.organizations[enc.org % this.dir.organizations.length];
    return { reference: `Organization/${o.id}`, display: o.name };
  }

  practitioner(enc: EncounterPlan): Record<string, string> {
    const p = this.dir.practitioners[enc.practitioner % this.dir.practitioners.length];
    return { reference: `Practitioner/${p.id}`, display: p.name };
  }

  resource(type: string, id: string, updated: number, body: Record<string, unknown>, text: (string | undefined)[]): Resource {
    const s = this.plan.source;
    const meta: Record<string, unknown> = { versionId: s ? FIRST_VERSION_ID : versionIdOf(id), lastUpdated: s ? s.at : iso(updated) };
    if (s) {
      meta.source = s.url;
      meta.tag = [{ system: TAG_SYSTEM, code: String(s.systemId) }];
    }
    const identifier = body.identifier ?? [recordIdentifier(type, id)];
    return { resourceType: type, id, meta, text: narrative(text), identifier, ...body };
  }
}

export function countType(plan: Plan, type: string): number {
  switch (type) {
    case 'Patient': return plan.demographics ? 1 : 0;
    case 'Encounter': return plan.encounters.length;
    case 'Condition': return plan.conditions.length;
    case 'Observation': return countObservations(plan);
    case 'DiagnosticReport': return plan.encounters.reduce((a, e) => a + e.panels.length, 0);
    case 'MedicationRequest': return plan.encounters.reduce((a, e) => a + e.meds.length, 0);
    case 'Immunization': return plan.encounters.reduce((a, e) => a + e.vaccines.length, 0);
    case 'Procedure': return plan.encounters.reduce((a, e) => a + e.procedures.length, 0);
    case 'AllergyIntolerance': return plan.allergies.length;
    default: return countRecord(plan, type);
  }
}

export function buildType(plan: Plan, type: string, dir: Directory): Resource[] {
  const b = new Builder(plan, dir);
  switch (type) {
    case 'Patient': return plan.demographics ? [buildPatient(b)] : [];
    case 'Encounter': return plan.encounters.map((e) => buildEncounter(b, e));
    case 'Condition': return buildConditions(b);
    case 'Observation': case 'DiagnosticReport': return buildObservations(b, type);
    case 'MedicationRequest': return perVisit(plan, (e) => e.meds, (e, m, n) => {
      const med = MEDS[m.med];
      return b.resource('MedicationRequest', b.id('MedicationRequest', n), e.end, {
        status: m.chronic ? 'active' : 'stopped', intent: 'order', medicationCodeableConcept: codeable(RXNORM, med),
        subject: b.patient(), encounter: b.ref('Encounter', e.n), authoredOn: iso(e.start), requester: b.practitioner(e),
        reasonReference: [b.ref('Condition', m.condition)],
        dosageInstruction: [{ sequence: 1, text: m.chronic ? 'Take one tablet by mouth daily' : 'Take as needed for up to 10 days', asNeededBoolean: !m.chronic }],
      }, [`**${med.display}**`, `Ordered ${isoDate(e.start)} by ${b.practitioner(e).display}`, m.chronic ? 'Status: active' : 'Status: stopped']);
    });
    case 'Immunization': return perVisit(plan, (e) => e.vaccines, (e, v, n) => {
      const vac = VACCINES[v];
      return b.resource('Immunization', b.id('Immunization', n), e.end, {
        status: 'completed', vaccineCode: codeable(CVX, vac), patient: b.patient(), encounter: b.ref('Encounter', e.n),
        occurrenceDateTime: iso(e.start), primarySource: true, location: { display: b.org(e).display },
      }, [`**${vac.display}**`, `Given ${isoDate(e.start)} at ${b.org(e).display}`]);
    });
    case 'Procedure': return perVisit(plan, (e) => e.procedures, (e, p, n) => {
      const proc = PROCEDURES[p];
      const end = e.start + 15 * 60_000;
      return b.resource('Procedure', b.id('Procedure', n), e.end, {
        status: 'completed', code: codeable(SNOMED, proc), subject: b.patient(), encounter: b.ref('Encounter', e.n),
        performedPeriod: { start: iso(e.start), end: iso(end) }, location: { display: b.org(e).display },
        ...(e.condition >= 0 ? { reasonReference: [b.ref('Condition', e.condition)] } : {}),
      }, [`**${proc.display}**`, `Performed ${isoDate(e.start)}`]);
    });
    case 'AllergyIntolerance': return plan.allergies.map((a, n) => {
      const t = ALLERGIES[a.template];
      return b.resource('AllergyIntolerance', b.id('AllergyIntolerance', n), a.recorded, {
        clinicalStatus: codeable('http://terminology.hl7.org/CodeSystem/allergyintolerance-clinical', { code: 'active', display: 'Active' }),
        verificationStatus: codeable('http://terminology.hl7.org/CodeSystem/allergyintolerance-verification', { code: 'confirmed', display: 'Confirmed' }),
        type: 'allergy', category: [t.category], criticality: t.criticality, code: codeable(SNOMED, t),
        patient: b.patient(), recordedDate: iso(a.recorded),
        reaction: [{ manifestation: [codeable(SNOMED, t.reaction)], severity: t.criticality === 'high' ? 'severe' : 'mild' }],
      }, [`**${t.display}**`, `Reaction: ${t.reaction.display}`, `Criticality: ${t.criticality}`]);
    });
    default: return buildRecord(b, type);
  }
}

function perVisit<T>(plan: Plan, items: (e: EncounterPlan) => T[], make: (e: EncounterPlan, item: T, n: number) => Resource): Resource[] {
  const out: Resource[] = [];
  for (const e of plan.encounters) for (const item of items(e)) out.push(make(e, item, out.length));
  return out;
}

function buildPatient(b: Builder): Resource {
  const { plan } = b;
  const d = plan.demographics!;
  const rng = Rng.of(plan.seed, 'Patient');
  const race = RACES[d.race];
  const eth = ETHNICITIES[d.ethnicity];
  const last = plan.encounters.at(-1)?.end ?? plan.birth;
  return b.resource('Patient', plan.patientId, last, {
    extension: [
      { url: 'http://hl7.org/fhir/us/core/StructureDefinition/us-core-race', extension: [
        { url: 'ombCategory', valueCoding: { system: 'urn:oid:2.16.840.1.113883.6.238', code: race.code, display: race.display } },
        { url: 'text', valueString: race.display }] },
      { url: 'http://hl7.org/fhir/us/core/StructureDefinition/us-core-ethnicity', extension: [
        { url: 'ombCategory', valueCoding: { system: 'urn:oid:2.16.840.1.113883.6.238', code: eth.code, display: eth.display } },
        { url: 'text', valueString: eth.display }] },
      { url: 'http://hl7.org/fhir/us/core/StructureDefinition/us-core-birthsex', valueCode: d.gender === 'male' ? 'M' : 'F' },
    ],
    identifier: [
      { use: 'usual', type: codeable('http://terminology.hl7.org/CodeSystem/v2-0203', { code: 'MR', display: 'Medical Record Number' }),
        system: `${IDENTIFIER_ROOT}.1`, value: `E${rng.digits(7)}` },
      { use: 'secondary', system: 'https://api.1up.health/patient', value: plan.patientId },
      { type: codeable('http://terminology.hl7.org/CodeSystem/v2-0203', { code: 'SS', display: 'Social Security Number' }),
        system: 'http://hl7.org/fhir/sid/us-ssn', value: d.ssn },
    ],
    name: [{ use: 'official', family: d.family, given: [d.given], prefix: [d.gender === 'male' ? 'Mr.' : 'Ms.'] }],
    telecom: [{ system: 'phone', value: d.phone, use: 'home' }],
    gender: d.gender,
    birthDate: isoDate(plan.birth),
    address: [{ line: [d.street], city: d.city, state: 'MA', postalCode: d.zip, country: 'US' }],
    maritalStatus: codeable('http://terminology.hl7.org/CodeSystem/v3-MaritalStatus', d.married ? { code: 'M', display: 'Married' } : { code: 'S', display: 'Never Married' }),
    communication: [{ language: codeable('urn:ietf:bcp:47', { code: 'en-US', display: 'English' }) }],
  }, [`**${d.given} ${d.family}**`, `${d.gender}, born ${isoDate(plan.birth)}`, `${d.street}, ${d.city}, MA ${d.zip}`]);
}

function buildEncounter(b: Builder, e: EncounterPlan): Resource {
  const t = ENCOUNTER_TYPES[e.kind];
  const type = e.kind === 'wellness' && ageAt(b.plan, e.start) < 18 ? WELL_CHILD : t;
  const cond = e.condition >= 0 ? CONDITIONS[b.plan.conditions[e.condition].template] : undefined;
  return b.resource('Encounter', b.id('Encounter', e.n), e.end, {
    status: 'finished',
    class: { system: 'http://terminology.hl7.org/CodeSystem/v3-ActCode', code: t.cls },
    type: [codeable(SNOMED, type)],
    subject: b.patient(),
    participant: [{ individual: b.practitioner(e) }],
    period: { start: iso(e.start), end: iso(e.end) },
    ...(cond && e.kind !== 'wellness' ? { reasonCode: [codeable(SNOMED, cond)] } : {}),
    serviceProvider: b.org(e),
  }, [`**${type.display}**`, `${iso(e.start)} – ${iso(e.end)}`, `${b.org(e).display}, ${b.practitioner(e).display}`,
    cond ? `Reason: ${cond.display}` : undefined]);
}

function buildConditions(b: Builder): Resource[] {
  return b.plan.conditions.map((c, n) => {
    const t = CONDITIONS[c.template];
    const resolved = c.abatement !== undefined;
    const status = resolved ? { code: 'resolved', display: 'Resolved' } : { code: 'active', display: 'Active' };
    return b.resource('Condition', b.id('Condition', n), c.abatement ?? c.onset, {
      clinicalStatus: codeable('http://terminology.hl7.org/CodeSystem/condition-clinical', status),
      verificationStatus: codeable('http://terminology.hl7.org/CodeSystem/condition-ver-status', { code: 'confirmed', display: 'Confirmed' }),
      category: [codeable('http://terminology.hl7.org/CodeSystem/condition-category', { code: 'encounter-diagnosis', display: 'Encounter Diagnosis' })],
      code: codeable(SNOMED, t),
      subject: b.patient(),
      encounter: b.ref('Encounter', c.encounter),
      onsetDateTime: iso(c.onset),
      ...(c.abatement !== undefined ? { abatementDateTime: iso(c.abatement) } : {}),
      recordedDate: iso(c.onset),
    }, [`**${t.display}**`, `Onset ${isoDate(c.onset)}`, c.abatement !== undefined ? `Resolved ${isoDate(c.abatement)}` : 'Active']);
  });
}
