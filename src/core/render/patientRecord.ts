import type { Bundle, Resource } from '../fhir/types';
import type { Cell } from '../webviewProtocol/common';
import type { PatientHeaderView, TimelineItem, TypeCount } from '../webviewProtocol/patientRecord';
import { labelOf, observationValue } from './columns';
import { choice, code, dateTime, EMPTY, first, humanName, isObject, Json, period, str, timeOf } from './format';

type Describe = (r: Json) => { date: Cell; when: unknown; detail?: Cell };

const medication: Describe = (r) => {
  const date = first(dateTime(r.authoredOn), dateTime(r.dateWritten), choice(r, 'effective'), dateTime(r.dateAsserted));
  return { date, when: date.h ?? date.t, detail: code(r.intent) };
};

/** The resource types the timeline shows, with how each is dated and described. */
const TIMELINE: Record<string, Describe> = {
  Encounter: (r) => {
    const p = isObject(r.period) ? r.period : {};
    return { date: dateTime(p.start), when: p.start, detail: first(code(r.class), period(r.period)) };
  },
  Condition: (r) => {
    const onset = first(choice(r, 'onset'), dateTime(r.recordedDate), dateTime(r.assertedDate), dateTime(r.dateRecorded));
    const abated = choice(r, 'abatement');
    const status = code(r.clinicalStatus);
    return { date: onset, when: onset.h ?? onset.t, detail: { t: [status.t, abated.t ? `until ${abated.t}` : ''].filter(Boolean).join(' · ') } };
  },
  Observation: (r) => {
    const date = first(choice(r, 'effective'), dateTime(r.issued));
    return { date, when: date.h ?? date.t, detail: observationValue(r) };
  },
  MedicationRequest: medication,
  MedicationOrder: medication,
  MedicationStatement: medication,
  Immunization: (r) => {
    const date = first(choice(r, 'occurrence'), dateTime(r.date));
    return { date, when: date.h ?? date.t };
  },
  Procedure: (r) => {
    const performed = isObject(r.performedPeriod) ? r.performedPeriod.start : r.performedDateTime;
    return { date: dateTime(performed), when: performed, detail: choice(r, 'performed') };
  },
  AllergyIntolerance: (r) => {
    const date = first(dateTime(r.recordedDate), dateTime(r.assertedDate), choice(r, 'onset'));
    return { date, when: date.h ?? date.t, detail: code(r.criticality) };
  },
};

export const TIMELINE_TYPES: readonly string[] = Object.keys(TIMELINE);

/** When a resource happened, by the timeline's rule for its type (undefined for types the timeline does not date). */
export function resourceTime(r: Resource): number | undefined {
  const describe = TIMELINE[r.resourceType];
  if (!describe) return undefined;
  try {
    return timeOf(describe(r as Json).when);
  } catch {
    return undefined;
  }
}

/**
 * A patient's record built page by page from `$everything` Bundles: the patient, counts per
 * resource type and a dated timeline. Keys number the resources in arrival order.
 */
export class PatientRecord {
  private readonly resources: Resource[] = [];
  private readonly counts = new Map<string, number>();
  private readonly index = new Map<string, number>();
  private patient: Resource | undefined;
  total: number | undefined;

  constructor(private readonly patientId?: string) {}

  /** Adds a page; answers the timeline items it brought. */
  addPage(bundle: Bundle): TimelineItem[] {
    if (typeof bundle.total === 'number') this.total = bundle.total;
    const items: TimelineItem[] = [];
    for (const entry of bundle.entry ?? []) {
      const r = entry?.resource;
      if (!r || typeof r.resourceType !== 'string') continue;
      const key = this.resources.push(r) - 1;
      if (typeof entry.fullUrl === 'string') this.index.set(entry.fullUrl, key);
      if (typeof r.id === 'string') this.index.set(`${r.resourceType}/${r.id}`, key);
      this.counts.set(r.resourceType, (this.counts.get(r.resourceType) ?? 0) + 1);
      // the first Patient, unless a later one is the one asked for
      if (r.resourceType === 'Patient' && (!this.patient || (r.id === this.patientId && this.patient.id !== this.patientId))) this.patient = r;
      const item = timelineItem(r, key);
      if (item) items.push(item);
    }
    return items;
  }

  get loaded(): number {
    return this.resources.length;
  }

  resource(key: number): Resource | undefined {
    return this.resources[key];
  }

  /** fullUrl and `Type/id` → key, for references between the record's resources. */
  get entries(): Map<string, number> {
    return this.index;
  }

  countList(): TypeCount[] {
    return [...this.counts].map(([type, count]) => ({ type, count })).sort((a, b) => b.count - a.count || a.type.localeCompare(b.type));
  }

  items(): TimelineItem[] {
    return this.resources.map((r, key) => timelineItem(r, key)).filter((i): i is TimelineItem => !!i);
  }

  header(now = new Date()): PatientHeaderView | undefined {
    return this.patient ? patientHeader(this.patient, now) : undefined;
  }
}

export function timelineItem(r: Resource, key: number): TimelineItem | undefined {
  const describe = TIMELINE[r.resourceType];
  if (!describe) return undefined;
  const j = r as Json;
  let d: ReturnType<Describe>;
  try {
    d = describe(j);
  } catch {
    d = { date: EMPTY, when: undefined };
  }
  const status = code(j.status).t;
  return {
    key,
    type: r.resourceType,
    time: timeOf(d.when),
    date: d.date,
    title: labelOf(j),
    detail: d.detail?.t ? d.detail : undefined,
    status: status || undefined,
  };
}

/** Whole years from `birth` to `until` (both FHIR dates). */
export function ageInYears(birth: string, until: Date): number | undefined {
  const m = /^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?/.exec(birth);
  if (!m) return undefined;
  const [y, mo, d] = [Number(m[1]), Number(m[2] ?? 1), Number(m[3] ?? 1)];
  let age = until.getUTCFullYear() - y;
  if (until.getUTCMonth() + 1 < mo || (until.getUTCMonth() + 1 === mo && until.getUTCDate() < d)) age--;
  return age >= 0 ? age : undefined;
}

export function patientHeader(p: Resource, now: Date): PatientHeaderView {
  const j = p as Json;
  const birthDate = str(j.birthDate);
  const deceased = str(j.deceasedDateTime);
  const until = deceased ? new Date(timeOf(deceased) ?? now.getTime()) : now;
  const years = birthDate ? ageInYears(birthDate, until) : undefined;
  let age: string | undefined;
  if (years !== undefined) age = deceased ? `died at ${years}` : `${years} years`;
  else if (j.deceasedBoolean === true) age = 'deceased';
  const identifiers = (Array.isArray(j.identifier) ? j.identifier : []).filter(isObject).map((id): Cell => {
    const label = isObject(id.type) ? code(id.type).t : '';
    return { t: label ? `${label}: ${str(id.value)}` : str(id.value), h: str(id.system) || undefined };
  }).filter((c) => c.t);
  return {
    name: humanName(j.name).t || (typeof p.id === 'string' ? `Patient/${p.id}` : 'Patient'),
    age,
    gender: str(j.gender) || undefined,
    birthDate: birthDate || undefined,
    identifiers,
  };
}
