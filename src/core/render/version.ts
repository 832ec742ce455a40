import type { FhirVersion } from '../environments';
import type { Resource } from '../fhir/types';
import { isObject } from './format';

/**
 * The FHIR version a file's resources were written in, from shapes that differ between
 * versions; undefined when nothing tells (the caller then uses the environment's default).
 */
export function guessFhirVersion(resources: Iterable<Resource>): FhirVersion | undefined {
  let seen = 0;
  for (const r of resources) {
    if (++seen > 2_000) break;
    const j = r as Record<string, unknown>;
    switch (r.resourceType) {
      case 'MedicationOrder': case 'DiagnosticOrder': case 'Conformance': return 'dstu2';
      case 'MedicationRequest': if (isObject(j.requester) && 'agent' in j.requester) return 'stu3'; break;
      case 'ServiceRequest': case 'CoverageEligibilityRequest': return 'r4';
      case 'Patient': case 'Practitioner': {
        const names = Array.isArray(j.name) ? j.name : [j.name];
        if (names.some((n) => isObject(n) && Array.isArray(n.family))) return 'dstu2';
        break;
      }
      case 'Encounter':
        if (typeof j.class === 'string') return 'dstu2';
        break;
      case 'Condition':
        if (typeof j.clinicalStatus === 'string') return 'dateRecorded' in j || 'patient' in j ? 'dstu2' : 'stu3';
        if (isObject(j.clinicalStatus)) return 'r4';
        break;
      case 'Immunization':
        if ('wasNotGiven' in j) return 'dstu2';
        if ('notGiven' in j) return 'stu3';
        if ('occurrenceDateTime' in j || 'occurrenceString' in j) return 'r4';
        break;
      case 'Observation':
        if ('context' in j) return 'stu3';
        break;
    }
  }
  return undefined;
}
