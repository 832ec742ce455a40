// R4 → DSTU2 (1.0.2), per type: DSTU2 names (patient for subject, MedicationOrder), its single
// elements where R4 has lists (Practitioner.name, RelatedPerson.relationship…), HumanName.family
// as a list, its value sets (Device and CarePlan status, criticality codes), no R4/STU3-only
// elements (CarePlan intent/title/careTeam, Medication.identifier…).
import { drop, each, first, firstCode, rename } from './convert';

type Obj = Record<string, unknown>;

const ENCOUNTER_CLASS: Record<string, string> = { AMB: 'outpatient', EMER: 'emergency', IMP: 'inpatient', HH: 'home', ACUTE: 'inpatient', NONAC: 'inpatient' };
const CAREPLAN_STATUS: Record<string, string> = { draft: 'draft', active: 'active', 'on-hold': 'active', revoked: 'cancelled', completed: 'completed', 'entered-in-error': 'cancelled', unknown: 'active' };
const ACTIVITY_STATUS = new Set(['not-started', 'scheduled', 'in-progress', 'on-hold', 'completed', 'cancelled']);

/** DSTU2's HumanName.family is a list (R4: one string). */
function names(v: unknown): unknown {
  const fix = (n: Obj) => (typeof n.family === 'string' ? { ...n, family: [n.family] } : n);
  return Array.isArray(v) ? (v as Obj[]).map(fix) : v && typeof v === 'object' ? fix(v as Obj) : v;
}

export function toDstu2(o: Obj): Obj {
  if (o.name && typeof o.name !== 'string') o.name = names(o.name);
  each(o.contact, (c) => { if (c.name) c.name = names(c.name); });
  switch (o.resourceType) {
    case 'Patient':
      rename(o, 'generalPractitioner', 'careProvider');
      break;
    case 'Practitioner':
      first(o, 'name');
      break;
    case 'Organization':
      first(o, 'type');
      break;
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
      drop(o, 'resultsInterpreter');
      break;
    case 'MedicationRequest':
      o.resourceType = 'MedicationOrder';
      rename(o, 'authoredOn', 'dateWritten');
      rename(o, 'subject', 'patient');
      rename(o, 'requester', 'prescriber');
      delete o.intent;
      if (!['active', 'on-hold', 'completed', 'entered-in-error', 'stopped', 'draft'].includes(o.status as string)) o.status = 'stopped';
      first(o, 'reasonReference');
      each(o.dosageInstruction, (d) => drop(d, 'sequence'));
      break;
    case 'Encounter': {
      rename(o, 'subject', 'patient');
      const cls = (o.class as Obj | undefined)?.code as string | undefined;
      o.class = ENCOUNTER_CLASS[cls ?? ''] ?? 'ambulatory';
      rename(o, 'reasonCode', 'reason');
      drop(o, 'reasonReference');
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
    case 'Medication':
      drop(o, 'identifier', 'status');
      if (o.form) o.product = { form: o.form };
      drop(o, 'form');
      break;
    case 'MedicationStatement':
      rename(o, 'subject', 'patient');
      break;
    case 'DocumentReference':
      rename(o, 'date', 'indexed');
      rename(o, 'category', 'class');
      first(o, 'class');
      if (typeof o.docStatus === 'string') o.docStatus = { coding: [{ system: 'http://hl7.org/fhir/composition-status', code: o.docStatus }] };
      each(o.content, (c) => { if (c.format && !Array.isArray(c.format)) c.format = [c.format]; });
      break;
    case 'FamilyMemberHistory':
      o.gender = firstCode(o.sex);
      drop(o, 'sex');
      if (!o.gender) delete o.gender;
      each(o.condition, (c) => rename(c, 'onsetAge', 'onsetQuantity'));
      break;
    case 'RelatedPerson':
      first(o, 'relationship');
      first(o, 'name');
      drop(o, 'active');
      break;
    case 'DetectedIssue':
      first(o, 'identifier');
      rename(o, 'code', 'category');
      rename(o, 'identifiedDateTime', 'date');
      drop(o, 'status');
      break;
    case 'Device':
      o.status = o.status === 'active' ? 'available' : o.status === 'entered-in-error' ? 'entered-in-error' : 'not-available';
      rename(o, 'modelNumber', 'model');
      drop(o, 'deviceName');
      break;
    case 'CarePlan':
      drop(o, 'intent', 'title', 'careTeam', 'created');
      rename(o, 'encounter', 'context');
      o.status = CAREPLAN_STATUS[o.status as string] ?? 'active';
      each(o.activity, (a) => {
        const d = a.detail as Obj | undefined;
        if (!d) return;
        drop(d, 'kind', 'instantiatesCanonical', 'instantiatesUri');
        if (!ACTIVITY_STATUS.has(d.status as string)) d.status = d.status === 'stopped' || d.status === 'entered-in-error' ? 'cancelled' : 'in-progress';
        d.prohibited ??= false;
      });
      break;
  }
  return o;
}
