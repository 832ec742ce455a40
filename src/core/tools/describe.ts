import type { Resource } from '../fhir/types';
import { labelOf } from '../render/columns';
import { code, dateTime, humanName, isObject, type Json, reference, str } from '../render/format';
import { timelineItem } from '../render/patientRecord';

/** At most this many characters of any one field in a line. */
const FIELD = 120;

/**
 * One line about a resource for a model: `Type/id · what it is · value · date · status · patient`.
 * Uses the same label and date rules as the views, so the model and the user see the same words.
 */
export function resourceLine(r: Resource): string {
  const j = r as Json;
  const parts: string[] = [`${r.resourceType}/${str(r.id) || '(no id)'}`];
  if (r.resourceType === 'Patient') {
    parts.push(humanName(j.name).t || 'unnamed', str(j.gender), str(j.birthDate) ? `born ${str(j.birthDate)}` : '');
    if (j.deceasedBoolean === true || str(j.deceasedDateTime)) parts.push(`deceased${str(j.deceasedDateTime) ? ` ${dateTime(j.deceasedDateTime).t}` : ''}`);
  } else {
    const item = timelineItem(r, 0);
    if (item) {
      parts.push(item.title.t, item.detail?.t ?? '', item.date.t, item.status ?? '');
    } else {
      parts.push(labelOf(j).t, code(j.status).t);
      if (isObject(j.meta)) parts.push(dateTime(j.meta.lastUpdated).t ? `updated ${dateTime(j.meta.lastUpdated).t}` : '');
    }
    const subject = reference(j.subject ?? j.patient).h ?? reference(j.subject ?? j.patient).t;
    if (subject) parts.push(`patient ${subject}`);
  }
  return parts.map((p) => clip(p.trim())).filter(Boolean).join(' · ');
}

function clip(s: string): string {
  return s.length > FIELD ? `${s.slice(0, FIELD - 1)}…` : s;
}
