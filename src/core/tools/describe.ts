import type { Resource } from '../fhir/types';
import { dateTime, humanName, isObject, type Json, reference, str } from '../render/format';
import { describe } from '../render/rules';

/** At most this many characters of any one field in a line. */
const FIELD = 120;

/**
 * One line about a resource for a model: `Type/id · what it is · facts · date · status · patient`,
 * by the same rule table the views read, so the model and the user see the same words.
 */
export function resourceLine(r: Resource): string {
  const j = r as Json;
  const parts: string[] = [`${r.resourceType}/${str(r.id) || '(no id)'}`];
  if (r.resourceType === 'Patient') {
    parts.push(humanName(j.name).t || 'unnamed', str(j.gender), str(j.birthDate) ? `born ${str(j.birthDate)}` : '');
    if (j.deceasedBoolean === true || str(j.deceasedDateTime)) parts.push(`deceased${str(j.deceasedDateTime) ? ` ${dateTime(j.deceasedDateTime).t}` : ''}`);
    return join(parts);
  }
  const d = describe(r);
  const updated = isObject(j.meta) ? dateTime(j.meta.lastUpdated).t : '';
  parts.push(d.label.t, d.facts.t, d.date.cell.t || (updated ? `updated ${updated}` : ''), d.status.t);
  const subject = reference(j.subject ?? j.patient ?? j.beneficiary);
  const ref = subject.h ?? subject.t;
  if (ref) parts.push(`patient ${ref}`);
  return join(parts);
}

function join(parts: string[]): string {
  return parts.map((p) => p.trim()).filter(Boolean).map((p) => (p.length > FIELD ? `${p.slice(0, FIELD - 1)}…` : p)).join(' · ');
}
