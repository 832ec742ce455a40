// The sandbox keeps its data in R4 and serves DSTU2 and STU3 by converting each resource to that
// version's shape (terminology URLs, renamed, narrowed and removed elements, value sets that
// changed, MedicationRequest ↔ MedicationOrder): stu3.ts and dstu2.ts, one case per type. Types
// whose older shapes share little with R4's (Claim, ExplanationOfBenefit, ImagingStudy) are
// served in R4 only. Resources created through an older version's path are stored as sent.
import type { FhirVersion } from '../../environments';
import { isResourceType } from '../../fhir/resourceTypes';
import type { Resource } from '../../fhir/types';
import { toDstu2 } from './dstu2';
import { toStu3 } from './stu3';

type Obj = Record<string, unknown>;

const R4_ONLY = new Set(['Claim', 'ExplanationOfBenefit', 'ImagingStudy']);

/** The R4 type holding the data a version's type is served from (undefined: no base data). */
export function baseType(version: FhirVersion, type: string): string | undefined {
  if (version === 'dstu2' && type === 'MedicationOrder') return 'MedicationRequest';
  if (version === 'dstu2' && type === 'MedicationRequest') return undefined;
  if (version !== 'r4' && R4_ONLY.has(type)) return undefined;
  return isResourceType('r4', type) && isResourceType(version, type) ? type : undefined;
}

/** The type an R4 type is served as in a version (undefined: that version does not serve it). */
export function versionType(version: FhirVersion, r4Type: string): string | undefined {
  if (version === 'dstu2' && r4Type === 'MedicationRequest') return 'MedicationOrder';
  if (version !== 'r4' && R4_ONLY.has(r4Type)) return undefined;
  return isResourceType(version, r4Type) ? r4Type : undefined;
}

export function convert(r: Resource, version: FhirVersion): Resource {
  if (version === 'r4') return r;
  const o = oldTerminology(structuredClone(r)) as Obj;
  // Meta.source is new in R4
  if (o.meta && typeof o.meta === 'object') delete (o.meta as Obj).source;
  return (version === 'stu3' ? toStu3(o) : toDstu2(o)) as Resource;
}

/** R4's terminology.hl7.org code systems were hl7.org/fhir ones before (v2/v3 tables in their own folders). */
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

// helpers shared by the version converters

export function rename(o: Obj, from: string, to: string): void {
  if (from in o) {
    o[to] = o[from];
    delete o[from];
  }
}

export function firstCode(cc: unknown): string | undefined {
  return ((cc as Obj | undefined)?.coding as Obj[] | undefined)?.[0]?.code as string | undefined;
}

/** An array element narrowed to its first item (0..1 in the older version). */
export function first(o: Obj, key: string): void {
  if (Array.isArray(o[key])) {
    if (o[key].length) o[key] = (o[key] as unknown[])[0];
    else delete o[key];
  }
}

export function drop(o: Obj, ...keys: string[]): void {
  for (const k of keys) delete o[k];
}

export function each(v: unknown, f: (o: Obj) => void): void {
  if (Array.isArray(v)) for (const x of v) if (x && typeof x === 'object') f(x as Obj);
}
