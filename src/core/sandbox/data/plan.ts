// The skeleton of a generated patient: who they are and what happened at each visit, decided from
// (seed, index) alone. Resources are built from it type by type (build.ts), so a search for
// Observations never builds the Encounters, and counting needs no resource at all.
import { Rng } from './rng';
import type { EncounterKind, MedKey, ProcedureKey, VaccineKey } from './vocab';
import {
  CITIES, CONDITIONS, FAMILY, GIVEN_FEMALE, GIVEN_MALE, PANELS, RACES, STREETS, ALLERGIES,
} from './vocab';

export const DAY = 86_400_000;
export const YEAR = 365.25 * DAY;
/** "Today" for generated histories: fixed so that a seed always yields the same data. */
export const REFERENCE_TIME = Date.UTC(2025, 5, 1);

export interface Demographics {
  gender: 'male' | 'female';
  given: string;
  family: string;
  street: string;
  city: string;
  zip: string;
  phone: string;
  ssn: string;
  race: number;
  ethnicity: number;
  married: boolean;
}

export interface MedPlan { med: MedKey; condition: number; chronic: boolean }

export interface EncounterPlan {
  n: number;
  kind: EncounterKind;
  start: number;
  end: number;
  org: number;
  practitioner: number;
  /** index in Plan.conditions of the condition diagnosed at this visit */
  condition: number;
  temperature: boolean;
  panels: number[];
  vaccines: VaccineKey[];
  procedures: ProcedureKey[];
  meds: MedPlan[];
}

export interface ConditionPlan { template: number; encounter: number; onset: number; abatement?: number }
export interface AllergyPlan { template: number; encounter: number; recorded: number }

/** Where records came from when a health system was connected: stamped on their meta. */
export interface PlanSource { systemId: number; url: string; at: string }

export interface Plan {
  /** the Patient id all resources point at */
  patientId: string;
  patientDisplay: string;
  /** where the records come from, for their ids: 0 the patient's own, else a connected system's id */
  sourceKey: number;
  seed: number;
  birth: number;
  gender: 'male' | 'female';
  /** present when the plan also yields the Patient resource */
  demographics?: Demographics;
  encounters: EncounterPlan[];
  conditions: ConditionPlan[];
  allergies: AllergyPlan[];
  source?: PlanSource;
}

/** Only how many hospitals and practitioners there are matters to a plan. */
export interface DirectorySize { organizations: ArrayLike<unknown>; practitioners: ArrayLike<unknown> }

export function ageAt(plan: Plan, t: number): number {
  return (t - plan.birth) / YEAR;
}

/** A generated patient with a full history (4–14 visits over up to ten years); `id` is its Patient id. */
export function planPatient(seed: number, index: number, dir: DirectorySize, id: string): Plan {
  const rng = Rng.of(seed, 'patient', index);
  const gender = rng.chance(0.5) ? 'male' : 'female';
  const age = rng.chance(0.85) ? rng.int(18, 90) + rng.next() : rng.int(0, 17) + rng.next();
  const birth = Math.floor((REFERENCE_TIME - age * YEAR) / DAY) * DAY;
  const place = rng.pick(CITIES);
  const demographics: Demographics = {
    gender,
    given: rng.pick(gender === 'male' ? GIVEN_MALE : GIVEN_FEMALE),
    family: rng.pick(FAMILY),
    street: `${rng.int(1, 999)} ${rng.pick(STREETS)}`,
    city: place.city,
    zip: place.zip,
    phone: `555-${rng.digits(3)}-${rng.digits(4)}`,
    ssn: `999-${rng.digits(2)}-${rng.digits(4)}`,
    race: rng.int(0, RACES.length - 1),
    ethnicity: rng.chance(0.85) ? 0 : 1,
    married: age > 24 && rng.chance(0.55),
  };
  const plan: Plan = {
    patientId: id,
    patientDisplay: `${gender === 'male' ? 'Mr.' : 'Ms.'} ${demographics.given} ${demographics.family}`,
    sourceKey: 0,
    seed: rng.int(0, 0x7fffffff),
    birth,
    gender,
    demographics,
    encounters: [],
    conditions: [],
    allergies: [],
  };
  const from = Math.max(birth + 30 * DAY, REFERENCE_TIME - 10 * YEAR);
  const org = rng.int(0, dir.organizations.length - 1);
  schedule(rng, plan, from, REFERENCE_TIME - DAY, rng.int(4, 14), { org, dir });
  addChronic(rng, plan);
  const allergyCount = rng.chance(0.3) ? (rng.chance(0.3) ? 2 : 1) : 0;
  for (let i = 0; i < allergyCount && plan.encounters.length; i++) {
    const template = rng.int(0, ALLERGIES.length - 1);
    if (plan.allergies.some((a) => a.template === template)) continue;
    plan.allergies.push({ template, encounter: 0, recorded: plan.encounters[0].start });
  }
  return plan;
}

/** The records a health system adds for a patient who connects it: 2–5 visits at that system. */
export function planSystemRecords(
  seed: number,
  patient: { id: string; display: string; birth: number; gender: 'male' | 'female' },
  system: { id: number; org: number; url: string },
  connectedAt: string,
  dir: DirectorySize,
): Plan {
  const rng = Rng.of(seed, 'system', system.id, patient.id);
  const plan: Plan = {
    patientId: patient.id,
    patientDisplay: patient.display,
    sourceKey: system.id,
    seed: rng.int(0, 0x7fffffff),
    birth: patient.birth,
    gender: patient.gender,
    encounters: [],
    conditions: [],
    allergies: [],
    source: { systemId: system.id, url: system.url, at: connectedAt },
  };
  const from = Math.max(patient.birth + 30 * DAY, REFERENCE_TIME - 3 * YEAR);
  schedule(rng, plan, from, REFERENCE_TIME - DAY, rng.int(2, 5), { org: system.org, dir });
  return plan;
}

/**
 * What a Synthea demo patient gets besides Synthea's own records (allergies, medications the
 * patient reports, notes, family history, contacts, devices): planned like a generated patient's
 * history, of which only those types are served.
 */
export function planSupplement(seed: number, patient: { id: string; display: string; birth: number; gender: 'male' | 'female' }, dir: DirectorySize): Plan {
  const rng = Rng.of(seed, 'supplement', patient.id);
  const plan: Plan = {
    patientId: patient.id,
    patientDisplay: patient.display,
    sourceKey: 0,
    seed: rng.int(0, 0x7fffffff),
    birth: patient.birth,
    gender: patient.gender,
    encounters: [],
    conditions: [],
    allergies: [],
  };
  const from = Math.max(patient.birth + 30 * DAY, REFERENCE_TIME - 5 * YEAR);
  schedule(rng, plan, from, REFERENCE_TIME - DAY, rng.int(3, 6), { org: rng.int(0, dir.organizations.length - 1), dir });
  addChronic(rng, plan);
  const template = rng.int(0, ALLERGIES.length - 1);
  if (plan.encounters.length && rng.chance(0.6)) plan.allergies.push({ template, encounter: 0, recorded: plan.encounters[0].start });
  return plan;
}

function schedule(rng: Rng, plan: Plan, from: number, to: number, count: number, at: { org: number; dir: DirectorySize }): void {
  const times: number[] = [];
  for (let i = 0; i < count; i++) times.push(from + Math.floor(rng.next() * Math.max(DAY, to - from)));
  times.sort((a, b) => a - b);
  const practitioner = at.org % Math.max(1, at.dir.practitioners.length);
  for (const t of times) {
    const roll = rng.next();
    const kind: EncounterKind = roll < 0.55 ? 'wellness' : roll < 0.8 ? 'symptom' : roll < 0.9 ? 'emergency' : 'urgent';
    // office hours, except the emergency room
    const day = Math.floor(t / DAY) * DAY;
    const start = day + (kind === 'emergency' ? rng.int(0, 23) : rng.int(8, 16)) * 3_600_000 + rng.int(0, 3) * 900_000;
    const minutes = kind === 'emergency' ? rng.int(60, 240) : kind === 'wellness' ? 30 : rng.int(15, 45);
    const enc: EncounterPlan = {
      n: plan.encounters.length, kind, start, end: start + minutes * 60_000, org: at.org, practitioner,
      condition: -1, temperature: kind === 'symptom' || kind === 'urgent', panels: [], vaccines: [], procedures: [], meds: [],
    };
    plan.encounters.push(enc);
    fillVisit(rng, plan, enc);
  }
}

function fillVisit(rng: Rng, plan: Plan, enc: EncounterPlan): void {
  const age = ageAt(plan, enc.start);
  if (enc.kind === 'wellness') {
    PANELS.forEach((p, i) => {
      const odds = i === 0 ? 0.35 : i === 3 ? 0.15 : 0.3;
      if (age >= p.minAge && rng.chance(odds)) enc.panels.push(i);
    });
    if (age >= 0.5 && rng.chance(0.7)) enc.vaccines.push('flu');
    if (age < 2) enc.vaccines.push(rng.pick(['hepB', 'dtap', 'ipv', 'hib', 'pcv'] as const));
    else if (age < 6 && rng.chance(0.5)) enc.vaccines.push(rng.pick(['mmr', 'varicella', 'dtap'] as const));
    else if (age >= 11 && age < 18 && rng.chance(0.3)) enc.vaccines.push('mening');
    else if (age >= 18 && rng.chance(0.08)) enc.vaccines.push(age >= 50 && rng.chance(0.5) ? 'zoster' : 'td');
    if (age >= 12 && rng.chance(0.2)) enc.procedures.push('depressionScreen');
    return;
  }
  const kind = enc.kind === 'emergency' ? 'injury' : 'acute';
  const options = CONDITIONS.map((c, i) => ({ c, i })).filter(({ c }) => c.kind === kind && c.minAge <= age);
  if (!options.length) return;
  const { c, i } = rng.pick(options);
  const days = c.days ?? [7, 14];
  enc.condition = plan.conditions.length;
  plan.conditions.push({ template: i, encounter: enc.n, onset: enc.start, abatement: enc.start + rng.int(days[0], days[1]) * DAY });
  enc.procedures.push(...c.procedures);
  if (c.meds.length) enc.meds.push({ med: c.meds[0], condition: enc.condition, chronic: false });
}

function addChronic(rng: Rng, plan: Plan): void {
  const wellness = plan.encounters.filter((e) => e.kind === 'wellness');
  let added = 0;
  CONDITIONS.forEach((c, i) => {
    if (c.kind !== 'chronic' || added >= 3 || !rng.chance(0.14)) return;
    const enc = wellness.find((e) => ageAt(plan, e.start) >= c.minAge && e.condition < 0);
    if (!enc) return;
    added++;
    enc.condition = plan.conditions.length;
    plan.conditions.push({ template: i, encounter: enc.n, onset: enc.start });
    for (const p of c.procedures) if (!enc.procedures.includes(p)) enc.procedures.push(p);
    for (const med of c.meds.slice(0, rng.int(1, Math.max(1, c.meds.length)))) enc.meds.push({ med, condition: enc.condition, chronic: true });
  });
}
