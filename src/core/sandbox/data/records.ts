// The rest of a patient's record, as production accounts carry it: medications (and what the
// patient says they take), visit notes with HTML/PDF attachments, family history, an emergency
// contact, alerts about their medications, devices and care plans. R4; every count is known
// without building (countRecord), so searches over many patients stay cheap.
import type { Resource } from '../../fhir/types';
import type { Builder } from './build';
import { codeable } from './build';
import { attachment, type DocSection, htmlDocument, pdfDocument } from './documents';
import type { EncounterPlan, MedPlan, Plan } from './plan';
import { ageAt, DAY } from './plan';
import { Rng } from './rng';
import { iso, isoDate } from './text';
import type { Code, MedKey } from './vocab';
import { CONDITIONS, ENCOUNTER_TYPES, FAMILY, GIVEN_FEMALE, GIVEN_MALE, LOINC, MEDS, PROCEDURES, RXNORM, SNOMED } from './vocab';

export const RECORD_TYPES = ['Medication', 'MedicationStatement', 'DocumentReference', 'FamilyMemberHistory', 'RelatedPerson',
  'DetectedIssue', 'Device', 'CarePlan'] as const;

const ROLE_CODE = 'http://terminology.hl7.org/CodeSystem/v3-RoleCode';
const ACT_CODE = 'http://terminology.hl7.org/CodeSystem/v3-ActCode';
const RELATIVES: readonly (Code & { sex: 'male' | 'female' })[] = [
  { code: 'FTH', display: 'father', sex: 'male' }, { code: 'MTH', display: 'mother', sex: 'female' },
  { code: 'BRO', display: 'brother', sex: 'male' }, { code: 'SIS', display: 'sister', sex: 'female' },
];
const FAMILY_CONDITIONS: readonly Code[] = [
  { code: '38341003', display: 'Hypertensive disorder' }, { code: '44054006', display: 'Diabetes mellitus type 2' },
  { code: '22298006', display: 'Myocardial infarction' }, { code: '254837009', display: 'Malignant neoplasm of breast' },
  { code: '230690007', display: 'Cerebrovascular accident' }, { code: '195967001', display: 'Asthma' },
];
const DEVICES: Record<string, Code & { maker: string; model: string }> = {
  '195967001': { code: '334990003', display: 'Nebulizer', maker: 'Acme Respiratory', model: 'NB-200' },
  '44054006': { code: '337414009', display: 'Blood glucose meter', maker: 'Acme Diagnostics', model: 'GlucoCheck 3' },
  '59621000': { code: '258057004', display: 'Non-invasive blood pressure monitor', maker: 'Acme Cardio', model: 'BP-Home 5' },
};
const HEARING_AID: Code & { maker: string; model: string } = { code: '6012004', display: 'Hearing aid', maker: 'Acme Audio', model: 'Clear 2' };

function meds(plan: Plan): { e: EncounterPlan; m: MedPlan }[] {
  return plan.encounters.flatMap((e) => e.meds.map((m) => ({ e, m })));
}

function distinctMeds(plan: Plan): MedKey[] {
  return [...new Set(meds(plan).map((x) => x.m.med))];
}

function familyCount(plan: Plan): number {
  return Rng.of(plan.seed, 'family').int(1, 3);
}

function issueVisits(plan: Plan): EncounterPlan[] {
  return plan.encounters.filter((e) => e.meds.length > 0 && Rng.of(plan.seed, 'issue', e.n).chance(0.4));
}

function devices(plan: Plan): (Code & { maker: string; model: string; since: number })[] {
  const out: (Code & { maker: string; model: string; since: number })[] = [];
  for (const c of plan.conditions) {
    const d = DEVICES[CONDITIONS[c.template].code];
    if (d && c.abatement === undefined && !out.some((x) => x.code === d.code)) out.push({ ...d, since: c.onset });
  }
  const last = plan.encounters.at(-1);
  if (last && ageAt(plan, last.start) >= 65 && Rng.of(plan.seed, 'hearing').chance(0.4)) out.push({ ...HEARING_AID, since: last.start });
  return out;
}

function carePlans(plan: Plan): { condition: number; onset: number }[] {
  return plan.conditions.map((c, i) => ({ condition: i, onset: c.onset, chronic: c.abatement === undefined }))
    .filter((c) => c.chronic);
}

export function countRecord(plan: Plan, type: string): number {
  switch (type) {
    case 'Medication': return distinctMeds(plan).length;
    case 'MedicationStatement': return meds(plan).length;
    case 'DocumentReference': return plan.encounters.length;
    case 'FamilyMemberHistory': return familyCount(plan);
    case 'RelatedPerson': return 1;
    case 'DetectedIssue': return issueVisits(plan).length;
    case 'Device': return devices(plan).length;
    case 'CarePlan': return carePlans(plan).length;
    default: return 0;
  }
}

export function buildRecord(b: Builder, type: string): Resource[] {
  switch (type) {
    case 'Medication': return medications(b);
    case 'MedicationStatement': return statements(b);
    case 'DocumentReference': return b.plan.encounters.map((e) => note(b, e));
    case 'FamilyMemberHistory': return familyHistory(b);
    case 'RelatedPerson': return [relatedPerson(b)];
    case 'DetectedIssue': return issues(b);
    case 'Device': return devices(b.plan).map((d, n) => b.resource('Device', b.id('Device', n), d.since, {
      status: 'active', type: codeable(SNOMED, d), manufacturer: d.maker, modelNumber: d.model,
      deviceName: [{ name: `${d.maker} ${d.model}`, type: 'user-friendly-name' }], patient: b.patient(),
    }, [`**${d.display}**`, `${d.maker} ${d.model}`]));
    case 'CarePlan': return carePlans(b.plan).map((c, n) => carePlan(b, c.condition, c.onset, n));
    default: return [];
  }
}

function medicationRef(b: Builder, med: MedKey): Record<string, string> {
  return b.ref('Medication', distinctMeds(b.plan).indexOf(med), MEDS[med].display);
}

function medications(b: Builder): Resource[] {
  const first = new Map(meds(b.plan).map(({ e, m }) => [m.med, e.start] as const).reverse());
  return distinctMeds(b.plan).map((med, n) => b.resource('Medication', b.id('Medication', n), first.get(med)!, {
    code: codeable(RXNORM, MEDS[med]),
    status: 'active',
    form: codeable(SNOMED, /Inhaler/.test(MEDS[med].display) ? { code: '420317006', display: 'Inhaler' } : { code: '385055001', display: 'Tablet' }),
  }, [`**${MEDS[med].display}**`]));
}

function statements(b: Builder): Resource[] {
  return meds(b.plan).map(({ e, m }, n) => {
    const med = MEDS[m.med];
    const end = m.chronic ? undefined : e.start + 10 * DAY;
    return b.resource('MedicationStatement', b.id('MedicationStatement', n), e.end, {
      status: m.chronic ? 'active' : 'completed',
      medicationReference: medicationRef(b, m.med),
      subject: b.patient(),
      effectivePeriod: end ? { start: iso(e.start), end: iso(end) } : { start: iso(e.start) },
      dateAsserted: iso(e.end),
      informationSource: b.patient(),
      dosage: [{ text: m.chronic ? 'One tablet by mouth daily' : 'As needed, up to three times a day', route: codeable(SNOMED, { code: '26643006', display: 'Oral route' }) }],
    }, [`**${med.display}**`, m.chronic ? `Taking since ${isoDate(e.start)}` : `Took ${isoDate(e.start)} – ${isoDate(end!)}`]);
  });
}

function note(b: Builder, e: EncounterPlan): Resource {
  const t = ENCOUNTER_TYPES[e.kind];
  const er = e.kind === 'emergency';
  const kind = er ? { code: '18842-5', display: 'Discharge summary' } : { code: '11506-3', display: 'Progress note' };
  const cond = e.condition >= 0 ? CONDITIONS[b.plan.conditions[e.condition].template] : undefined;
  const title = `${kind.display}, ${isoDate(e.start)}`;
  const subtitle = `${b.plan.patientDisplay} · ${b.org(e).display} · ${b.practitioner(e).display}`;
  const sections: DocSection[] = [
    { heading: 'Visit', rows: [['Type', t.display], ['Date', `${iso(e.start)} – ${iso(e.end)}`], ['Reason', cond?.display ?? 'Routine visit']] },
    { heading: 'Assessment and plan', lines: [
      cond ? `Assessed for ${cond.display.toLowerCase()}.` : 'No new complaints. Preventive care reviewed.',
      ...e.procedures.map((p) => `Performed: ${PROCEDURES[p].display}.`),
      ...e.meds.map((m) => `Prescribed: ${MEDS[m.med].display}.`),
    ] },
  ];
  const created = iso(e.end);
  const content = [{ attachment: attachment('text/html', htmlDocument(title, subtitle, sections), `${title}.html`, created) }];
  if (er) content.push({ attachment: attachment('application/pdf', pdfDocument(title, subtitle, sections, new Date(e.end)), `${title}.pdf`, created) });
  return b.resource('DocumentReference', b.id('DocumentReference', e.n), e.end, {
    status: 'current',
    docStatus: 'final',
    type: codeable(LOINC, kind),
    category: [codeable('http://hl7.org/fhir/us/core/CodeSystem/us-core-documentreference-category', { code: 'clinical-note', display: 'Clinical Note' })],
    subject: b.patient(),
    date: created,
    author: [b.practitioner(e)],
    custodian: b.org(e),
    description: title,
    content,
    context: { period: { start: iso(e.start), end: iso(e.end) } },
  }, [`**${title}**`, subtitle]);
}

function familyHistory(b: Builder): Resource[] {
  const rng = Rng.of(b.plan.seed, 'family');
  const n = rng.int(1, 3);
  const out: Resource[] = [];
  const used = new Set<number>();
  for (let i = 0; i < n; i++) {
    let r = rng.int(0, RELATIVES.length - 1);
    while (used.has(r)) r = (r + 1) % RELATIVES.length;
    used.add(r);
    const rel = RELATIVES[r];
    const cond = rng.pick(FAMILY_CONDITIONS);
    const onset = rng.int(38, 72);
    const recorded = b.plan.encounters[0]?.start ?? b.plan.birth;
    out.push(b.resource('FamilyMemberHistory', b.id('FamilyMemberHistory', i), recorded, {
      status: 'completed',
      patient: b.patient(),
      date: isoDate(recorded),
      relationship: codeable(ROLE_CODE, rel),
      sex: codeable('http://hl7.org/fhir/administrative-gender', { code: rel.sex, display: rel.sex === 'male' ? 'Male' : 'Female' }),
      condition: [{ code: codeable(SNOMED, cond), onsetAge: { value: onset, unit: 'yr', system: 'http://unitsofmeasure.org', code: 'a' } }],
    }, [`**${rel.display[0].toUpperCase()}${rel.display.slice(1)}**: ${cond.display}`, `Onset at ${onset} years`]));
  }
  return out;
}

function relatedPerson(b: Builder): Resource {
  const rng = Rng.of(b.plan.seed, 'contact');
  const adult = ageAt(b.plan, b.plan.encounters.at(-1)?.start ?? b.plan.birth) >= 25;
  const rel = adult ? { code: 'SPS', display: 'spouse' } : { code: b.plan.gender === 'male' ? 'MTH' : 'FTH', display: 'parent' };
  const sex = adult ? (b.plan.gender === 'male' ? 'female' : 'male') : (rel.code === 'MTH' ? 'female' : 'male');
  const given = rng.pick(sex === 'male' ? GIVEN_MALE : GIVEN_FEMALE);
  const family = b.plan.patientDisplay.split(' ').at(-1) ?? rng.pick(FAMILY);
  const phone = `555-${rng.digits(3)}-${rng.digits(4)}`;
  return b.resource('RelatedPerson', b.id('RelatedPerson', 0), b.plan.encounters[0]?.start ?? b.plan.birth, {
    active: true,
    patient: b.patient(),
    relationship: [codeable(ROLE_CODE, rel), codeable('http://terminology.hl7.org/CodeSystem/v2-0131', { code: 'C', display: 'Emergency Contact' })],
    name: [{ use: 'official', family, given: [given] }],
    telecom: [{ system: 'phone', value: phone, use: 'mobile' }],
    gender: sex,
  }, [`**${given} ${family}**`, `${rel.display}, emergency contact`, phone]);
}

function issues(b: Builder): Resource[] {
  return issueVisits(b.plan).map((e, n) => {
    const med = MEDS[e.meds[0].med];
    const all = meds(b.plan);
    const implicated = [b.ref('MedicationStatement', all.findIndex((x) => x.e === e), med.display)];
    const other = all.find((x) => x.m.chronic && x.e.start < e.start && x.m.med !== e.meds[0].med);
    if (other) implicated.push(b.ref('MedicationStatement', all.indexOf(other), MEDS[other.m.med].display));
    const detail = other
      ? `${med.display} may interact with ${MEDS[other.m.med].display}: review the combination.`
      : `${med.display}: check the dose against the patient's kidney function.`;
    return b.resource('DetectedIssue', b.id('DetectedIssue', n), e.start, {
      status: 'final',
      code: codeable(ACT_CODE, other ? { code: 'DRG', display: 'Drug Interaction Alert' } : { code: 'DOSEAMT', display: 'Dose amount alert' }),
      severity: other ? 'moderate' : 'low',
      patient: b.patient(),
      identifiedDateTime: iso(e.start),
      author: b.practitioner(e),
      implicated,
      detail,
    }, [`**${other ? 'Drug interaction' : 'Dose alert'}**`, detail]);
  });
}

function carePlan(b: Builder, condition: number, onset: number, n: number): Resource {
  const cond = CONDITIONS[b.plan.conditions[condition].template];
  const activities: string[] = [...cond.meds.map((m) => MEDS[m].display), ...cond.procedures.map((p) => PROCEDURES[p].display)];
  return b.resource('CarePlan', b.id('CarePlan', n), onset, {
    status: 'active',
    intent: 'plan',
    category: [codeable(SNOMED, { code: '734163000', display: 'Care plan' })],
    title: `${cond.display} care plan`,
    description: `Ongoing management of ${cond.display.toLowerCase()}.`,
    subject: b.patient(),
    period: { start: iso(onset) },
    created: iso(onset),
    addresses: [b.ref('Condition', condition, cond.display)],
    activity: (activities.length ? activities : ['Lifestyle counselling']).map((text) => ({
      detail: { status: 'in-progress', description: text, code: { text } },
    })),
  }, [`**${cond.display} care plan**`, `Since ${isoDate(onset)}`, ...activities]);
}
