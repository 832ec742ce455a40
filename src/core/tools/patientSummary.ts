import type { Bundle, Resource } from '../fhir/types';
import { labelOf } from '../render/rules';
import { choice, code, dateTime, first, isObject, type Json, str } from '../render/format';
import { PatientRecord } from '../render/patientRecord';
import { Answer } from './budget';
import { ToolNames } from './catalog';

const MEDICATION_TYPES = new Set(['MedicationRequest', 'MedicationOrder', 'MedicationStatement']);
const ACTIVE = new Set(['active', 'recurrence', 'relapse']);

export interface SummaryOptions {
  environment: string;
  version: string;
  as: string;
  patientId: string;
  /** Most recent dated items to list. */
  recent: number;
  /** Pages stopped here: the record has more than was read. */
  truncated: boolean;
  maxChars: number;
  now?: Date;
}

/**
 * A patient's `$everything`, condensed for a model: demographics, counts per resource type,
 * conditions, medications and allergies (names, not resources), and the most recent dated items.
 * Built page by page, so any number of pages is read once and never held as one Bundle.
 */
export class PatientSummary {
  private readonly record: PatientRecord;

  constructor(private readonly patientId: string) {
    this.record = new PatientRecord(patientId);
  }

  addPage(bundle: Bundle): void {
    this.record.addPage(bundle);
  }

  /** Resources read so far. */
  get loaded(): number {
    return this.record.loaded;
  }

  /** The server's total for the whole record, when it said. */
  get total(): number | undefined {
    return this.record.total;
  }

  answer(o: SummaryOptions): string {
    const out = new Answer(o.maxChars, 900);
    const resources = this.resources();
    out.tail(`Patient summary of Patient/${o.patientId} in “${o.environment}” (${o.version.toUpperCase()}), from $everything ${o.as}.`);
    out.tail(`Demographics: ${this.demographics(resources, o.now ?? new Date())}`);
    const counts = this.record.countList();
    const total = this.record.total;
    const read = this.record.loaded;
    const countText = counts.map((c) => `${c.type} ${c.count}`).join(', ') || 'none';
    out.tail(`Resources: ${total ?? read} in the record${o.truncated ? `, of which the first ${read} were read` : ''} — ${countText}.`);

    const conditions = this.conditions(resources);
    if (conditions.active.length || conditions.other) {
      out.add(`Conditions, active (${conditions.active.length}): ${conditions.active.join('; ') || 'none'}${conditions.other ? `; plus ${conditions.other} resolved or inactive` : ''}.`);
    }
    const meds = this.named(resources, (r) => MEDICATION_TYPES.has(r.resourceType), (j) => code(j.status).t);
    if (meds.length) out.add(`Medications (${meds.length}): ${meds.join('; ')}.`);
    const allergies = this.named(resources, (r) => r.resourceType === 'AllergyIntolerance', (j) => first(code(j.criticality), code(j.clinicalStatus)).t);
    if (allergies.length) out.add(`Allergies (${allergies.length}): ${allergies.join('; ')}.`);

    const dated = this.record.items().filter((i) => i.time !== undefined).sort((a, b) => (b.time ?? 0) - (a.time ?? 0));
    if (dated.length) {
      out.add(`Most recent ${Math.min(o.recent, dated.length)} of ${dated.length} dated items:`);
      for (const item of dated.slice(0, o.recent)) {
        out.add(`- ${item.date.t} · ${item.type} · ${[item.title.t, item.detail?.t, item.status].filter(Boolean).join(' · ')}`);
      }
    }
    if (out.leftOut) out.tail(`(${out.leftOut} more lines left out to keep this answer short: ask for fewer "recent" items, or search one type.)`);
    if (o.truncated) out.tail(`Counts and lists cover the first ${read} resources only: call ${ToolNames.patientSummary} again with a larger "maxResources" (up to 5000) for all of them.`);
    out.tail(`For details search one type for this patient, e.g. ${ToolNames.search} with {"type":"Observation","params":{"patient":"${o.patientId}"}}.`);
    return out.toString();
  }

  private resources(): Resource[] {
    const list: Resource[] = [];
    for (let k = 0; k < this.record.loaded; k++) {
      const r = this.record.resource(k);
      if (r) list.push(r);
    }
    return list;
  }

  private demographics(resources: readonly Resource[], now: Date): string {
    const patient = resources.find((r) => r.resourceType === 'Patient' && r.id === this.patientId) ?? resources.find((r) => r.resourceType === 'Patient');
    const header = this.record.header(now);
    if (!patient || !header) return 'no Patient resource in the record.';
    const j = patient as Json;
    const addresses = Array.isArray(j.address) ? j.address.filter(isObject) : [];
    const home = addresses.find((a) => a.use === 'home') ?? addresses[0];
    const place = home ? [str(home.city), str(home.state), str(home.country)].filter(Boolean).join(', ') : '';
    const comm = Array.isArray(j.communication) ? j.communication.filter(isObject) : [];
    const language = code((comm.find((c) => c.preferred === true) ?? comm[0])?.language).t;
    const deceased = str(j.deceasedDateTime) ? `died ${dateTime(j.deceasedDateTime).t}` : j.deceasedBoolean === true ? 'deceased' : '';
    return [
      header.name,
      header.gender,
      header.birthDate ? `born ${header.birthDate}` : '',
      header.age && !deceased ? header.age : '',
      deceased,
      place ? `lives in ${place}` : '',
      language ? `language ${language}` : '',
    ].filter(Boolean).join(' · ') + '.';
  }

  private conditions(resources: readonly Resource[]): { active: string[]; other: number } {
    const active = new Map<string, string>();
    let other = 0;
    for (const r of resources) {
      if (r.resourceType !== 'Condition') continue;
      const j = r as Json;
      const status = code(j.clinicalStatus).t.toLowerCase();
      const abated = choice(j, 'abatement').t;
      if ((status && !ACTIVE.has(status)) || (!status && abated)) { other++; continue; }
      const label = labelOf(r).t || 'unnamed condition';
      const onset = first(choice(j, 'onset'), dateTime(j.recordedDate), dateTime(j.dateRecorded)).t;
      if (!active.has(label)) active.set(label, onset ? `${label} (since ${onset})` : label);
    }
    return { active: [...active.values()], other };
  }

  /** Distinct labels of matching resources, with one detail each (the first seen). */
  private named(resources: readonly Resource[], match: (r: Resource) => boolean, detail: (j: Json) => string): string[] {
    const seen = new Map<string, string>();
    for (const r of resources) {
      if (!match(r)) continue;
      const j = r as Json;
      const label = labelOf(r).t || r.resourceType;
      if (seen.has(label)) continue;
      const d = detail(j);
      seen.set(label, d ? `${label} (${d})` : label);
    }
    return [...seen.values()];
  }
}
