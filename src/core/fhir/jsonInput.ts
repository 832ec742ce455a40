import * as l10n from '@vscode/l10n';
import { InputError } from '../errors';
import type { FhirVersion } from '../environments';
import { isResourceType } from './resourceTypes';
import type { Resource } from './types';

/** Where a JSON text stops being JSON, 1-based as editors count. */
export interface JsonProblem {
  message: string;
  line: number;
  column: number;
  offset: number;
}

/** Parses JSON text, answering the position of the first error in line and column. */
export function parseJson(text: string): { value: unknown } | { problem: JsonProblem } {
  try {
    return { value: JSON.parse(text) };
  } catch (e) {
    const msg = (e as Error).message;
    // V8 says "at position N" (and newer ones "(line L column C)"); the offset is what we trust
    const pos = /position (\d+)/.exec(msg);
    const offset = pos ? Number(pos[1]) : text.length;
    const before = text.slice(0, offset);
    const line = before.split('\n').length;
    const column = offset - before.lastIndexOf('\n');
    const reason = msg.replace(/^JSON\.parse: /, '').replace(/ in JSON at position \d+.*$/, '').replace(/\s*\(line \d+ column \d+\)$/, '');
    return { problem: { message: reason, line, column, offset } };
  }
}

/**
 * Checks that a value is a FHIR resource the server can take: an object with a `resourceType`
 * of this version. Throws InputError naming the problem.
 */
export function checkResource(value: unknown, version: FhirVersion): Resource {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new InputError(l10n.t('A FHIR resource must be a JSON object.'));
  const type = (value as Resource).resourceType;
  if (typeof type !== 'string' || !type) throw new InputError(l10n.t('The resource has no "resourceType".'));
  if (!isResourceType(version, type)) throw new InputError(l10n.t('"{0}" is not a FHIR {1} resource type.', type, version));
  if (type === 'Bundle' || type === 'OperationOutcome') throw new InputError(l10n.t('A {0} cannot be created as a resource here.', type));
  return value as Resource;
}

/** A starting point for a new resource of a type: the common elements filled with examples. */
export function resourceTemplate(type: string, version: FhirVersion, patientId?: string): Resource {
  const subject = { reference: `Patient/${patientId ?? 'PATIENT_ID'}` };
  const code = (system: string, c: string, display: string) => ({ coding: [{ system, code: c, display }], text: display });
  const today = new Date().toISOString().slice(0, 10);
  switch (type) {
    case 'Patient':
      return { resourceType: 'Patient', name: [{ family: 'Example', given: ['Pat'] }], gender: 'female', birthDate: '1980-01-01' };
    case 'Observation':
      return {
        resourceType: 'Observation', status: 'final',
        code: code('http://loinc.org', '8867-4', 'Heart rate'),
        subject,
        effectiveDateTime: today,
        valueQuantity: { value: 72, unit: 'beats/minute', system: 'http://unitsofmeasure.org', code: '/min' },
      };
    case 'Condition':
      return version === 'dstu2'
        ? { resourceType: 'Condition', patient: subject, code: code('http://snomed.info/sct', '38341003', 'Hypertension'), verificationStatus: 'confirmed', clinicalStatus: 'active', onsetDateTime: today }
        : { resourceType: 'Condition', subject, code: code('http://snomed.info/sct', '38341003', 'Hypertension'), clinicalStatus: version === 'r4' ? code('http://terminology.hl7.org/CodeSystem/condition-clinical', 'active', 'Active') : 'active', onsetDateTime: today };
    case 'AllergyIntolerance':
      return { resourceType: 'AllergyIntolerance', patient: subject, code: code('http://snomed.info/sct', '91935009', 'Allergy to peanuts') };
    case 'Immunization':
      return version === 'r4'
        ? { resourceType: 'Immunization', status: 'completed', patient: subject, occurrenceDateTime: today, vaccineCode: code('http://hl7.org/fhir/sid/cvx', '140', 'Influenza, seasonal, injectable') }
        : { resourceType: 'Immunization', status: 'completed', patient: subject, date: today, vaccineCode: code('http://hl7.org/fhir/sid/cvx', '140', 'Influenza, seasonal, injectable'), notGiven: false, ...(version === 'dstu2' ? { reported: false } : { primarySource: true }) };
    default:
      return { resourceType: type, ...(type === 'Organization' || type === 'Practitioner' ? { name: type === 'Organization' ? 'Example Clinic' : [{ family: 'Example' }] } : { subject }) };
  }
}

// documents larger than this are not parsed just to decide whether to show a menu entry
const FHIR_SNIFF_LIMIT = 8 * 1024 * 1024;

/** Whether a JSON text is a FHIR resource or bundle: an object with a top-level string `resourceType`. */
export function isFhirJsonText(text: string): boolean {
  if (text.length > FHIR_SNIFF_LIMIT || !/^\s*\{/.test(text) || !text.includes('"resourceType"')) return false;
  try {
    const v: unknown = JSON.parse(text);
    return typeof v === 'object' && v !== null && !Array.isArray(v) && typeof (v as { resourceType?: unknown }).resourceType === 'string';
  } catch {
    return false;
  }
}
