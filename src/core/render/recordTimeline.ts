import type { Resource } from '../fhir/types';
import type { Cell } from '../webviewProtocol/common';
import type { TimelineItem } from '../webviewProtocol/patientRecord';
import { labelOf } from './columns';
import { choice, code, dateTime, EMPTY, first, isObject, type Json, timeOf } from './format';
import { TIMELINE_TYPES } from './patientRecord';

/**
 * Types a record holds for reference (who, where, what), with no date of their own: they are not
 * events, so the timeline leaves them out and their chip says so.
 */
const DIRECTORY_TYPES: ReadonlySet<string> = new Set([
  'Organization', 'Practitioner', 'PractitionerRole', 'Location', 'Medication', 'Substance', 'Device',
  'RelatedPerson', 'Person', 'Group', 'HealthcareService', 'Endpoint', 'Binary',
]);

/** Why a type's resources are not on the timeline; undefined when they are. */
export function timelineNote(type: string): string | undefined {
  if (type === 'Patient') return 'The patient is shown in the header, not on the timeline.';
  if (DIRECTORY_TYPES.has(type)) return `${type} resources are what the record refers to (who, where, what) and have no date of their own, so they are not on the timeline; open them from a resource that refers to them.`;
  return undefined;
}

/** The first date a resource of any type carries (when it happened, else when it was recorded). */
function anyDate(r: Json): Cell {
  const start = (v: unknown) => (isObject(v) ? dateTime(v.start) : EMPTY);
  return first(
    choice(r, 'effective'), choice(r, 'occurrence'), choice(r, 'performed'), choice(r, 'onset'),
    start(r.period), start(r.billablePeriod), dateTime(r.authoredOn), dateTime(r.issued), dateTime(r.created),
    dateTime(r.date), dateTime(r.recorded), dateTime(r.recordedDate), dateTime(r.sent), dateTime(r.whenHandedOver),
  );
}

/**
 * Timeline items for the record's resources from `from` on whose types the record's own rules
 * do not place (claims, care plans, reports…): dated by the first date they carry, or listed
 * under "Undated". Patients and reference-only types stay off (see `timelineNote`).
 */
export function moreTimelineItems(record: { loaded: number; resource(key: number): Resource | undefined }, from = 0): TimelineItem[] {
  const out: TimelineItem[] = [];
  for (let key = from; key < record.loaded; key++) {
    const r = record.resource(key);
    if (!r || TIMELINE_TYPES.includes(r.resourceType) || timelineNote(r.resourceType)) continue;
    const j = r as Json;
    let date: Cell = EMPTY;
    let title: Cell = { t: r.resourceType };
    try {
      date = anyDate(j);
      title = labelOf(j);
    } catch {
      // a malformed resource is still listed, undated
    }
    const status = code(j.status).t;
    out.push({ key, type: r.resourceType, time: timeOf(date.h ?? date.t), date, title: title.t ? title : { t: r.resourceType }, status: status || undefined });
  }
  return out;
}
