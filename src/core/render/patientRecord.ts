import * as l10n from '@vscode/l10n';
import type { Bundle, Resource } from '../fhir/types';
import type { Cell } from '../webviewProtocol/common';
import type { PatientHeaderView, TimelineItem, TypeCount } from '../webviewProtocol/patientRecord';
import { code, humanName, isObject, Json, str, timeOf } from './format';
import { describe, RULES, titleOf } from './rules';

/** The resource types the timeline shows: those whose rule says so. */
export const TIMELINE_TYPES: readonly string[] = Object.keys(RULES).filter((t) => RULES[t].timeline);
const ON_TIMELINE = new Set(TIMELINE_TYPES);

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
  if (!ON_TIMELINE.has(r.resourceType)) return undefined;
  const d = describe(r);
  return {
    key,
    type: r.resourceType,
    time: timeOf(d.date.at),
    date: d.date.cell,
    title: d.label.t ? d.label : { t: titleOf(r) },
    detail: d.facts.t ? d.facts : undefined,
    status: d.status.t || undefined,
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
  if (years !== undefined) age = deceased ? l10n.t('died at {0}', years) : years === 1 ? l10n.t('1 year') : l10n.t('{0} years', years);
  else if (j.deceasedBoolean === true) age = l10n.t('deceased');
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
