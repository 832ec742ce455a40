// R4 → STU3 (3.0.2), per type: what STU3 named, narrowed or did not have yet.
import { drop, each, first, firstCode, rename } from './convert';

type Obj = Record<string, unknown>;

// R4 renamed STU3's `context` to `encounter` in these
const CONTEXT = new Set(['Observation', 'Condition', 'Procedure', 'DiagnosticReport', 'MedicationRequest', 'CarePlan', 'CareTeam']);

export function toStu3(o: Obj): Obj {
  const type = o.resourceType as string;
  if (CONTEXT.has(type)) rename(o, 'encounter', 'context');
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
      // STU3 performer is {role, actor}
      if (Array.isArray(o.performer)) o.performer = (o.performer as Obj[]).map((actor) => ({ actor }));
      drop(o, 'resultsInterpreter');
      break;
    case 'Immunization':
      rename(o, 'occurrenceDateTime', 'date');
      o.notGiven = false;
      o.primarySource ??= true;
      break;
    case 'Encounter':
      rename(o, 'reasonCode', 'reason');
      drop(o, 'reasonReference');
      break;
    case 'Medication':
      drop(o, 'identifier');
      break;
    case 'MedicationStatement':
      o.taken = 'y';
      break;
    case 'DocumentReference':
      rename(o, 'date', 'indexed');
      rename(o, 'category', 'class');
      first(o, 'class');
      break;
    case 'FamilyMemberHistory':
      o.gender = firstCode(o.sex);
      drop(o, 'sex');
      if (!o.gender) delete o.gender;
      break;
    case 'RelatedPerson':
      first(o, 'relationship');
      break;
    case 'DetectedIssue':
      first(o, 'identifier');
      rename(o, 'code', 'category');
      rename(o, 'identifiedDateTime', 'date');
      break;
    case 'Device':
      rename(o, 'modelNumber', 'model');
      drop(o, 'deviceName');
      break;
    case 'CarePlan':
      drop(o, 'created');
      each(o.activity, (a) => { if (a.detail) drop(a.detail as Obj, 'kind'); });
      break;
    case 'CareTeam':
      each(o.participant, (p) => first(p, 'role'));
      break;
  }
  return o;
}
