// The sandbox keeps its data in R4 and serves DSTU2 and STU3 by converting where the versions'
// shapes differ for the types it holds (terminology URLs, renamed and narrowed elements,
// MedicationRequest ↔ MedicationOrder). Resources created through an older version's path are
// stored as sent and never converted.
import type { FhirVersion } from '../../environments';
import { isResourceType } from '../../fhir/resourceTypes';
import type { Resource } from '../../fhir/types';

type Obj = Record<string, unknown>;

/** The R4 type holding the data a version's type is served from (undefined: no base data). */
export function baseType(version: FhirVersion, type: string): string | undefined {
  if (version === 'dstu2' && type === 'MedicationOrder') return 'MedicationRequest';
  if (version === 'dstu2' && type === 'MedicationRequest') return undefined;
  return isResourceType('r4', type) ? type : undefined;
}

/** The type an R4 type is served as in a version (undefined: that version has no such type). */
export function versionType(version: FhirVersion, r4Type: string): string | undefined {
  if (version === 'dstu2' && r4Type === 'MedicationRequest') return 'MedicationOrder';
  return isResourceType(version, r4Type) ? r4Type : undefined;
}

export function convert(r: Resource, version: FhirVersion): Resource {
  if (version === 'r4') return r;
  const o = oldTerminology(structuredClone(r)) as Obj;
  return (version === 'stu3' ? toStu3(o) : toDstu2(o)) as Resource;
}

function oldTerminology(v: unknown, key?: string): unknown {
  if (typeof v === 'string') {
    if (key !== 'system' || !v.startsWith('http://terminology.hl7.org/CodeSystem/')) return v;
    const name = v.slice('http://terminology.hl7.org/CodeSystem/'.length);
    return 'http://hl7.org/fhir/' + name.replace(/^(v[23])-/, '$1/');
  }
  if (Array.isArray(v)) return v.map((x) => oldTerminology(x));
  if (v && typeof v === 'object') {
    for (const [k, x] of Object.entries(v)) (v as Obj)[k] = oldTerminology(x, k);
  }
  return v;
}

function rename(o: Obj, from: string, to: string): void {
  if (from in o) {
    o[to] = o[from];
    delete o[from];
  }
}

function firstCode(cc: unknown): string | undefined {
  return ((cc as Obj | undefined)?.coding as Obj[] | undefined)?.[0]?.code as string | undefined;
}

function first(o: Obj, key: string): void {
  if (Array.isArray(o[key])) o[key] = (o[key] as unknown[])[0];
}

const STU3_CONTEXT = new Set(['Observation', 'Condition', 'Procedure', 'DiagnosticReport', 'MedicationRequest', 'CarePlan', 'CareTeam']);

function toStu3(o: Obj): Obj {
  const type = o.resourceType as string;
  if (STU3_CONTEXT.has(type)) rename(o, 'encounter', 'context');
  switch (type) {
    case 'Condition':
    case 'AllergyIntolerance':
      o.clinicalStatus = firstCode(o.clinicalStatus);
      o.verificationStatus = firstCode(o.verificationStatus) ?? 'confirmed';
      rename(o, 'recordedDate', 'assertedDate');
      break;
    case 'MedicationRequest':
      if (o.requester) o.requester = { agent: o.requester };
      break;
    case 'DiagnosticReport':
      first(o, 'category');
      break;
    case 'Immunization':
      rename(o, 'occurrenceDateTime', 'date');
      o.notGiven = false;
      break;
    case 'Encounter':
      rename(o, 'reasonCode', 'reason');
      break;
  }
  return o;
}

const DSTU2_ENCOUNTER_CLASS: Record<string, string> = { AMB: 'outpatient', EMER: 'emergency', IMP: 'inpatient', HH: 'home' };

function toDstu2(o: Obj): Obj {
  switch (o.resourceType) {
    case 'Condition': {
      rename(o, 'subject', 'patient');
      const recorded = o.recordedDate as string | undefined;
      delete o.recordedDate;
      if (recorded) o.dateRecorded = recorded.slice(0, 10);
      o.clinicalStatus = firstCode(o.clinicalStatus);
      o.verificationStatus = firstCode(o.verificationStatus) ?? 'confirmed';
      o.category = { coding: [{ system: 'http://hl7.org/fhir/condition-category', code: 'diagnosis' }] };
      break;
    }
    case 'Observation':
      first(o, 'category');
      break;
    case 'DiagnosticReport':
      first(o, 'category');
      first(o, 'performer');
      break;
    case 'MedicationRequest':
      o.resourceType = 'MedicationOrder';
      rename(o, 'authoredOn', 'dateWritten');
      rename(o, 'subject', 'patient');
      rename(o, 'requester', 'prescriber');
      delete o.intent;
      if (!['active', 'on-hold', 'completed', 'entered-in-error', 'stopped', 'draft'].includes(o.status as string)) o.status = 'stopped';
      first(o, 'reasonReference');
      for (const d of (o.dosageInstruction as Obj[] | undefined) ?? []) delete d.sequence;
      break;
    case 'Encounter': {
      rename(o, 'subject', 'patient');
      const cls = (o.class as Obj | undefined)?.code as string | undefined;
      o.class = DSTU2_ENCOUNTER_CLASS[cls ?? ''] ?? 'ambulatory';
      rename(o, 'reasonCode', 'reason');
      break;
    }
    case 'Immunization':
      rename(o, 'occurrenceDateTime', 'date');
      delete o.primarySource;
      o.wasNotGiven = false;
      o.reported = false;
      break;
    case 'Procedure':
      first(o, 'reasonReference');
      break;
    case 'AllergyIntolerance': {
      rename(o, 'code', 'substance');
      const clinical = firstCode(o.clinicalStatus);
      delete o.clinicalStatus;
      delete o.verificationStatus;
      o.status = clinical === 'resolved' ? 'resolved' : clinical === 'inactive' ? 'inactive' : 'confirmed';
      first(o, 'category');
      if (o.criticality === 'low') o.criticality = 'CRITL';
      else if (o.criticality === 'high') o.criticality = 'CRITH';
      else if (o.criticality) o.criticality = 'CRITU';
      break;
    }
  }
  return o;
}
