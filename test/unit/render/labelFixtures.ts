import * as fs from 'node:fs';
import * as path from 'node:path';
import type { FhirVersion } from '../../../src/core/environments';
import type { Bundle, Resource } from '../../../src/core/fhir/types';
import { ROOT, synthea } from './fixtures';

// Realistic resources of every type and version for the label rules: HL7's published examples
// (the npm packages hl7.fhir.r3.examples and hl7.fhir.r4.examples, CC0), Synthea's patient, and
// the hand-written production-like DSTU2/R4 files (all synthetic).

/** Every type 1upHealth serves (production accounts carry all of these). */
export const ONEUP_TYPES = [
  'Patient', 'Practitioner', 'Organization', 'Encounter', 'Observation', 'Condition', 'Procedure', 'AllergyIntolerance',
  'MedicationStatement', 'MedicationOrder', 'MedicationRequest', 'MedicationDispense', 'MedicationAdministration', 'Medication',
  'Immunization', 'DiagnosticReport', 'DocumentReference', 'CarePlan', 'CareTeam', 'Goal', 'FamilyMemberHistory', 'RelatedPerson',
  'DetectedIssue', 'Device', 'Coverage', 'ExplanationOfBenefit', 'Claim', 'Location', 'Provenance', 'ImagingStudy',
] as const;

export function readBundle(file: string): Bundle {
  return JSON.parse(fs.readFileSync(path.join(ROOT, file), 'utf8')) as Bundle;
}

export function productionLike(version: 'dstu2' | 'r4'): Resource[] {
  return (readBundle(`test/fixtures/${version}/production-like.json`).entry ?? []).map((e) => e.resource!);
}

const HL7_PACKAGE: Partial<Record<FhirVersion, string>> = { stu3: 'hl7.fhir.r3.examples', r4: 'hl7.fhir.r4.examples' };

/** Definitions rather than data: thousands of files no user browses as records. */
const CONFORMANCE = new Set(['StructureDefinition', 'ValueSet', 'CodeSystem', 'SearchParameter', 'ConceptMap', 'OperationDefinition', 'CapabilityStatement', 'Conformance', 'CompartmentDefinition', 'ImplementationGuide', 'NamingSystem', 'StructureMap', 'DataElement', 'ig']);

const parsed = new Map<string, { file: string; resource: Resource }[]>();

/** HL7's examples of one version (resources, and the resources inside example Bundles), by file. */
export function hl7Examples(version: FhirVersion, types?: readonly string[]): { file: string; resource: Resource }[] {
  const key = `${version}:${types?.join(',') ?? '*'}`;
  const known = parsed.get(key);
  if (known) return known;
  const found = readExamples(version, types);
  parsed.set(key, found);
  return found;
}

function readExamples(version: FhirVersion, types?: readonly string[]): { file: string; resource: Resource }[] {
  const pkg = HL7_PACKAGE[version];
  if (!pkg) return [];
  const dir = path.join(ROOT, 'node_modules', pkg);
  const out: { file: string; resource: Resource }[] = [];
  for (const file of fs.readdirSync(dir)) {
    if (!file.endsWith('.json') || file === 'package.json' || file.startsWith('.')) continue;
    const type = file.split('-')[0];
    if (types ? !types.includes(type) && type !== 'Bundle' : CONFORMANCE.has(type)) continue;
    const r = JSON.parse(fs.readFileSync(path.join(dir, file), 'utf8').replace(/^\uFEFF/, '')) as Resource;
    if (r.resourceType === 'Bundle') {
      for (const e of (r as Bundle).entry ?? []) if (e.resource && (!types || types.includes(e.resource.resourceType))) out.push({ file, resource: e.resource });
    } else if (!types || types.includes(r.resourceType)) {
      out.push({ file, resource: r });
    }
  }
  return out;
}

export function hl7Example(version: 'stu3' | 'r4', file: string): Resource {
  return JSON.parse(fs.readFileSync(path.join(ROOT, 'node_modules', HL7_PACKAGE[version]!, file), 'utf8').replace(/^\uFEFF/, '')) as Resource;
}

/** All realistic resources of a version. */
export function allOf(version: FhirVersion, types?: readonly string[]): { source: string; resource: Resource }[] {
  const own = version === 'dstu2' ? productionLike('dstu2') : version === 'r4' ? productionLike('r4') : [];
  const syn = (synthea(version).entry ?? []).map((e) => e.resource!);
  return [
    ...own.map((resource) => ({ source: `production-like ${version}`, resource })),
    ...syn.map((resource) => ({ source: `synthea ${version}`, resource })),
    ...hl7Examples(version, types).map(({ file, resource }) => ({ source: `HL7 ${version} ${file}`, resource })),
  ].filter((x) => !types || types.includes(x.resource.resourceType));
}
