// Vital signs at every visit and lab panels (each a DiagnosticReport over its Observations).
// The numbering of Observations is a pure function of the plan, so reports can point at their
// results without building them.
import type { Resource } from '../../fhir/types';
import type { Builder } from './build';
import { codeable } from './build';
import { attachment, type DocSection, htmlDocument, pdfDocument } from './documents';
import type { EncounterPlan, Plan } from './plan';
import { ageAt } from './plan';
import { Rng, round } from './rng';
import { iso, isoDate } from './text';
import type { Code } from './vocab';
import { LOINC, PANELS, SNOMED, UCUM } from './vocab';

type Vital = 'height' | 'weight' | 'bmi' | 'bp' | 'heart' | 'resp' | 'temp' | 'pain' | 'smoking';

const VITAL_CODES: Record<Vital, Code> = {
  height: { code: '8302-2', display: 'Body Height' },
  weight: { code: '29463-7', display: 'Body Weight' },
  bmi: { code: '39156-5', display: 'Body Mass Index' },
  bp: { code: '85354-9', display: 'Blood Pressure' },
  heart: { code: '8867-4', display: 'Heart rate' },
  resp: { code: '9279-1', display: 'Respiratory rate' },
  temp: { code: '8310-5', display: 'Body temperature' },
  pain: { code: '72514-3', display: 'Pain severity - 0-10 verbal numeric rating [Score] - Reported' },
  smoking: { code: '72166-2', display: 'Tobacco smoking status NHIS' },
};
const SMOKING: readonly Code[] = [
  { code: '266919005', display: 'Never smoker' }, { code: '8517006', display: 'Former smoker' },
  { code: '449868002', display: 'Smokes tobacco daily' },
];

function vitalsAt(plan: Plan, e: EncounterPlan): Vital[] {
  const age = ageAt(plan, e.start);
  const v: Vital[] = ['height', 'weight'];
  if (age >= 2) v.push('bmi');
  if (age >= 3) v.push('bp');
  v.push('heart', 'resp');
  if (e.temperature) v.push('temp');
  if (age >= 3) v.push('pain');
  if (age >= 12) v.push('smoking');
  return v;
}

export function countObservations(plan: Plan): number {
  let n = 0;
  for (const e of plan.encounters) {
    n += vitalsAt(plan, e).length;
    for (const p of e.panels) n += PANELS[p].tests.length;
  }
  return n;
}

function category(code: string, display: string): Record<string, unknown>[] {
  return [codeable('http://terminology.hl7.org/CodeSystem/observation-category', { code, display })];
}

function quantity(value: number, unit: string): Record<string, unknown> {
  return { value, unit, system: UCUM, code: unit };
}

/**
 * A patient's Observations or lab DiagnosticReports. Both walk the same visits with the same random
 * streams (a report's results are the Observations' values), but only the asked-for type is built:
 * an export asks for each type once, and building the other alongside doubled the work.
 */
export function buildObservations(b: Builder, type: 'Observation' | 'DiagnosticReport'): Resource[] {
  const { plan } = b;
  const observations: Resource[] = [];
  const reports: Resource[] = [];
  const wantObservations = type === 'Observation';
  let count = 0;
  const obs = (e: EncounterPlan, code: Code, cat: Record<string, unknown>[], value: Record<string, unknown>, shown: string) => {
    const n = count++;
    if (!wantObservations) return n;
    observations.push(b.resource('Observation', b.id('Observation', n), e.end, {
      status: 'final', category: cat, code: codeable(LOINC, code), subject: b.patient(), encounter: b.ref('Encounter', e.n),
      effectiveDateTime: iso(e.start), issued: iso(e.end), performer: [b.practitioner(e)], ...value,
    }, [`**${code.display}**: ${shown}`, `Measured ${isoDate(e.start)}`]));
    return n;
  };
  for (const e of plan.encounters) {
    const age = ageAt(plan, e.start);
    const rng = Rng.of(plan.seed, 'vitals', e.n);
    const adult = plan.gender === 'male' ? 176 : 162;
    const height = round(age < 2 ? 50 + 25 * age : Math.min(adult, 85 + 6.2 * (age - 2)) + rng.normal(0, 4), 1);
    const bmi = round(age < 18 ? rng.normal(17, 1.5) : rng.normal(26.5, 4), 2);
    const weight = round(bmi * (height / 100) ** 2, 1);
    const vitals = VITAL_CODES;
    const vs = category('vital-signs', 'vital-signs');
    for (const v of vitalsAt(plan, e)) {
      switch (v) {
        case 'height': obs(e, vitals.height, vs, { valueQuantity: quantity(height, 'cm') }, `${height} cm`); break;
        case 'weight': obs(e, vitals.weight, vs, { valueQuantity: quantity(weight, 'kg') }, `${weight} kg`); break;
        case 'bmi': obs(e, vitals.bmi, vs, { valueQuantity: quantity(bmi, 'kg/m2') }, `${bmi} kg/m2`); break;
        case 'bp': {
          const sys = Math.round(rng.normal(112 + Math.max(0, age - 30) * 0.35, 11));
          const dia = Math.round(rng.normal(76, 7));
          obs(e, vitals.bp, vs, { component: [
            { code: codeable(LOINC, { code: '8462-4', display: 'Diastolic Blood Pressure' }), valueQuantity: quantity(dia, 'mm[Hg]') },
            { code: codeable(LOINC, { code: '8480-6', display: 'Systolic Blood Pressure' }), valueQuantity: quantity(sys, 'mm[Hg]') },
          ] }, `${sys}/${dia} mm[Hg]`);
          break;
        }
        case 'heart': { const hr = Math.round(rng.normal(age < 12 ? 95 : 74, 9)); obs(e, vitals.heart, vs, { valueQuantity: quantity(hr, '/min') }, `${hr} /min`); break; }
        case 'resp': { const rr = Math.round(rng.normal(age < 12 ? 22 : 15, 2)); obs(e, vitals.resp, vs, { valueQuantity: quantity(rr, '/min') }, `${rr} /min`); break; }
        case 'temp': { const t = round(rng.normal(37.9, 0.5), 1); obs(e, vitals.temp, vs, { valueQuantity: quantity(t, 'Cel') }, `${t} Cel`); break; }
        case 'pain': {
          const p = e.kind === 'wellness' ? rng.int(0, 2) : rng.int(2, 8);
          obs(e, vitals.pain, vs, { valueQuantity: quantity(p, '{score}') }, `${p} {score}`);
          break;
        }
        case 'smoking': {
          const s = SMOKING[Rng.of(plan.seed, 'smoking').int(0, 9) < 7 ? 0 : age > 40 ? 1 : 2];
          obs(e, vitals.smoking, category('survey', 'survey'), { valueCodeableConcept: codeable(SNOMED, s) }, s.display);
          break;
        }
      }
    }
    for (const p of e.panels) {
      const panel = PANELS[p];
      const lab = category('laboratory', 'laboratory');
      const rows: [string, string][] = [];
      const results = panel.tests.map((t) => {
        const value = round(Math.max(0, rng.normal(t.mean, t.sd)), t.decimals);
        const n = obs(e, t, lab, { valueQuantity: quantity(value, t.unit) }, `${value} ${t.unit}`);
        rows.push([t.display, `${value} ${t.unit}`]);
        return { n, display: t.display };
      });
      if (!wantObservations) reports.push(report(b, e, panel, results, rows, reports.length));
    }
  }
  return wantObservations ? observations : reports;
}

function report(b: Builder, e: EncounterPlan, panel: Code, tests: { n: number; display: string }[], rows: [string, string][], n: number): Resource {
  const results = tests.map((t) => ({ reference: `Observation/${b.id('Observation', t.n)}`, display: t.display }));
  const title = `${panel.display}, ${isoDate(e.start)}`;
  const subtitle = `${b.plan.patientDisplay} · ${b.org(e).display}`;
  const sections: DocSection[] = [{ heading: 'Results', rows }, { lines: [`Collected ${iso(e.start)}, reported ${iso(e.end)}.`] }];
  // every lab report carries its HTML rendering, as Cerner's do; every third also a PDF
  const presentedForm = [attachment('text/html', htmlDocument(title, subtitle, sections), `${title}.html`, iso(e.end))];
  if (n % 3 === 0) presentedForm.push(attachment('application/pdf', pdfDocument(title, subtitle, sections, new Date(e.end)), `${title}.pdf`, iso(e.end)));
  return b.resource('DiagnosticReport', b.id('DiagnosticReport', n), e.end, {
    status: 'final',
    category: [codeable('http://terminology.hl7.org/CodeSystem/v2-0074', { code: 'LAB', display: 'Laboratory' })],
    code: codeable(LOINC, panel), subject: b.patient(), encounter: b.ref('Encounter', e.n),
    effectiveDateTime: iso(e.start), issued: iso(e.end), performer: [b.org(e)], result: results, presentedForm,
  }, [`**${panel.display}**`, `Reported ${isoDate(e.end)} by ${b.org(e).display}`, ...results.map((r) => r.display)]);
}
