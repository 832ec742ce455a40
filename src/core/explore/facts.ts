// What the explorer needs to know of one resource without showing it: whose it is, when it
// happened and its status. Dates follow the patient record's timeline rules (core/render).
import type { Resource } from '../fhir/types';
import { timeOf } from '../render/format';
import { RULES } from '../render/rules';

/**
 * The top-level elements that put a resource in a patient's compartment, across DSTU2, STU3 and
 * R4 (subject, patient, beneficiary…, after the Patient CompartmentDefinition); each holds a
 * Reference or a list of them.
 */
export const PATIENT_LINKS: readonly string[] = ['subject', 'patient', 'beneficiary', 'subscriber', 'policyHolder', 'target'];

/** The id in a reference to a Patient (`Patient/1`, `https://x/fhir/r4/Patient/1/_history/2`), else undefined. */
export function patientIdOf(reference: unknown): string | undefined {
  if (typeof reference !== 'string') return undefined;
  const m = /(?:^|\/)Patient\/([A-Za-z0-9\-.]{1,64})(?:\/_history\/[^/]*)?$/.exec(reference);
  return m ? m[1] : undefined;
}

function referenced(value: unknown, out: Set<string>): void {
  if (Array.isArray(value)) {
    for (const v of value) referenced(v, out);
    return;
  }
  if (typeof value === 'object' && value !== null) {
    const id = patientIdOf((value as { reference?: unknown }).reference);
    if (id) out.add(id);
  }
}

/** Every patient a resource belongs to: a Patient itself, or the patients its compartment links name. */
export function patientsOf(r: Resource): string[] {
  if (r.resourceType === 'Patient') return typeof r.id === 'string' ? [r.id] : [];
  const out = new Set<string>();
  for (const key of PATIENT_LINKS) if (key in r) referenced(r[key], out);
  return [...out];
}

/** The first patient of a resource (what the per-patient counts use). */
export function patientOf(r: Resource): string | undefined {
  if (r.resourceType === 'Patient') return typeof r.id === 'string' ? r.id : undefined;
  for (const key of PATIENT_LINKS) {
    const v = r[key];
    if (v === undefined) continue;
    const found = new Set<string>();
    referenced(v, found);
    const first = found.values().next();
    if (!first.done) return first.value;
  }
  return undefined;
}

/**
 * Milliseconds since the epoch of the resource's date by its type's rule (the one the patient
 * record's timeline uses; only the date, not the label), or NaN when its type has no rule or no date.
 */
export function timeOfResource(r: Resource): number {
  const date = RULES[r.resourceType]?.date;
  if (!date) return Number.NaN;
  try {
    return timeOf(date(r as Record<string, unknown>).at) ?? Number.NaN;
  } catch {
    return Number.NaN;
  }
}

export function statusOf(r: Resource): string | undefined {
  return typeof r.status === 'string' && r.status.length <= 64 ? r.status : undefined;
}

/** A parsed line is a resource when it is an object with a string `resourceType`. */
export function isResource(x: unknown): x is Resource {
  return typeof x === 'object' && x !== null && !Array.isArray(x) && typeof (x as Resource).resourceType === 'string';
}
