// Loads the Synthea demo patients (and the hospital/practitioner directory) shipped in
// media/sandbox: NDJSON or Bundle JSON, optionally gzip'd. Synthea links resources with
// `urn:uuid:` references; they become `Type/id` here, as a FHIR server would store them, with the
// ids production uses (12 hex digits, 48 for a patient's records: ids.ts), an identifier on every
// record and a production-style versionId.
import { existsSync } from 'node:fs';
import { readdir, readFile } from 'node:fs/promises';
import * as path from 'node:path';
import { gunzipSync } from 'node:zlib';
import type { Resource } from '../../fhir/types';
import { clinicalDate, dateRange } from '../fhir/dates';
import { describe, humanName } from '../fhir/describe';
import type { Directory } from './build';
import { recordIdentifier } from './build';
import { attachment, htmlDocument, pdfDocument } from './documents';
import { hex12Of, patientRecordIdOf, versionIdOf } from './ids';
import { REFERENCE_TIME } from './plan';
import { iso, narrative } from './text';

export interface DemoPatient { id: string; display: string; birth: number; gender: 'male' | 'female' }

export interface Fixtures {
  patients: DemoPatient[];
  /** patient id → R4 type → resources */
  byPatient: Map<string, Map<string, Resource[]>>;
  /** resources in no patient's compartment (Organization, Practitioner), by type */
  loose: Map<string, Resource[]>;
  /** hospitals and practitioners generated visits and health systems are placed at */
  directory: Directory;
  /** the hospitals as resources (addresses, phone numbers) */
  hospitals: Resource[];
}

/** The folder with the shipped data: media/sandbox under the package root, found from here. */
export function defaultFixturesDir(from = __dirname): string | undefined {
  for (let dir = from; ; dir = path.dirname(dir)) {
    const candidate = path.join(dir, 'media', 'sandbox');
    if (existsSync(candidate)) return candidate;
    if (path.dirname(dir) === dir) return undefined;
  }
}

const FALLBACK: Directory = {
  organizations: [{ id: 'sandbox-general', name: 'Sandbox General Hospital' }],
  practitioners: [{ id: 'sandbox-practitioner', name: 'Dr. Sam Sandbox' }],
};

async function readResources(file: string): Promise<Resource[]> {
  let buf = await readFile(file);
  if (file.endsWith('.gz')) buf = gunzipSync(buf);
  const text = buf.toString('utf8');
  if (/\.ndjson(\.gz)?$/.test(file)) return text.split('\n').filter((l) => l.trim()).map((l) => JSON.parse(l) as Resource);
  const doc = JSON.parse(text) as Resource & { entry?: { resource?: Resource }[] };
  return doc.resourceType === 'Bundle' ? (doc.entry ?? []).flatMap((e) => (e.resource ? [e.resource] : [])) : [doc];
}

function rewriteReferences(v: unknown, ids: Map<string, { type: string; id: string }>): void {
  if (Array.isArray(v)) {
    for (const x of v) rewriteReferences(x, ids);
  } else if (v && typeof v === 'object') {
    const o = v as Record<string, unknown>;
    for (const [k, x] of Object.entries(o)) {
      if (k === 'reference' && typeof x === 'string' && x.startsWith('urn:uuid:')) {
        const target = ids.get(x.slice('urn:uuid:'.length));
        if (target) o[k] = `${target.type}/${target.id}`;
      } else {
        rewriteReferences(x, ids);
      }
    }
  }
}

/** The Synthea id of the patient a record belongs to (its subject, patient or beneficiary). */
function patientRef(r: Resource): string | undefined {
  if (r.resourceType === 'Patient') return r.id;
  for (const k of ['subject', 'patient', 'beneficiary']) {
    const ref = (r[k] as { reference?: string } | undefined)?.reference;
    const m = ref && /^(?:urn:uuid:|Patient\/)(.+)$/.exec(ref);
    if (m) return m[1];
  }
  return undefined;
}

/** New ids for every record: 12 hex for patients and shared records, the patient's id + 36 hex for a patient's. */
function newIds(all: Resource[]): Map<string, { type: string; id: string }> {
  const types = new Map(all.map((r) => [r.id!, r.resourceType]));
  const ids = new Map<string, { type: string; id: string }>();
  for (const r of all) {
    const pid = patientRef(r);
    const owner = pid && types.get(pid) === 'Patient' ? hex12Of(`Patient/${pid}`) : undefined;
    const id = r.resourceType === 'Patient' ? hex12Of(`Patient/${r.id}`) : owner ? patientRecordIdOf(owner, `${r.resourceType}/${r.id}`) : hex12Of(`${r.resourceType}/${r.id}`);
    ids.set(r.id!, { type: r.resourceType, id });
  }
  return ids;
}

function patientOf(r: Resource): string | undefined {
  if (r.resourceType === 'Patient') return r.id;
  for (const k of ['subject', 'patient', 'beneficiary']) {
    const ref = (r[k] as { reference?: string } | undefined)?.reference;
    if (ref?.startsWith('Patient/')) return ref.slice('Patient/'.length);
  }
  return undefined;
}

function push<K, V>(map: Map<K, V[]>, key: K, value: V): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}

export async function loadFixtures(dir: string | undefined): Promise<Fixtures> {
  const files = dir && existsSync(dir)
    ? (await readdir(dir)).filter((f) => /\.(nd)?json(\.gz)?$/.test(f)).sort().map((f) => path.join(dir, f))
    : [];
  const all: { r: Resource; directory: boolean }[] = [];
  for (const f of files) {
    const directory = path.basename(f).includes('directory');
    for (const r of await readResources(f)) if (r.id) all.push({ r, directory });
  }
  const ids = newIds(all.map(({ r }) => r));
  for (const { r } of all) {
    rewriteReferences(r, ids);
    r.id = ids.get(r.id!)!.id;
  }
  for (const { r } of all) if (r.resourceType === 'Patient') medicalRecordNumber(r);
  const types = new Map(all.map(({ r }) => [r.id!, r.resourceType]));
  const byPatient = new Map<string, Map<string, Resource[]>>();
  const loose = new Map<string, Resource[]>();
  const seenLoose = new Set<string>();
  const hospitals: Resource[] = [];
  const dirPractitioners: Resource[] = [];
  for (const { r, directory } of all) {
    if (directory) (r.resourceType === 'Organization' ? hospitals : dirPractitioners).push(r);
    const pid = patientOf(r);
    if (pid && types.get(pid) === 'Patient') {
      let m = byPatient.get(pid);
      if (!m) byPatient.set(pid, (m = new Map()));
      push(m, r.resourceType, r);
    } else if (!seenLoose.has(`${r.resourceType}/${r.id}`)) {
      seenLoose.add(`${r.resourceType}/${r.id}`);
      push(loose, r.resourceType, r);
    }
  }
  const patients: DemoPatient[] = [];
  for (const [id, m] of byPatient) {
    let latest = 0;
    for (const [type, list] of m) {
      if (type === 'Patient') continue;
      for (const r of list) latest = Math.max(latest, stamp(r));
    }
    const p = m.get('Patient')?.[0];
    if (!p) continue;
    stamp(p, latest || REFERENCE_TIME);
    patients.push({
      id,
      display: humanName(p.name) ?? id,
      birth: dateRange(String(p.birthDate ?? ''))?.[0] ?? REFERENCE_TIME - 40 * 365 * 86_400_000,
      gender: p.gender === 'female' ? 'female' : 'male',
    });
  }
  for (const list of loose.values()) for (const r of list) stamp(r, REFERENCE_TIME);
  for (const p of patients) byPatient.get(p.id)?.get('DiagnosticReport')?.forEach((r, i) => presentForm(r, p.display, i));
  const entry = (r: Resource) => ({ id: r.id!, name: String((r.resourceType === 'Organization' ? r.name : humanName(r.name)) ?? r.id) });
  const directory: Directory = {
    organizations: hospitals.length ? hospitals.map(entry) : (loose.get('Organization') ?? []).map(entry),
    practitioners: dirPractitioners.length ? dirPractitioners.map(entry) : (loose.get('Practitioner') ?? []).map(entry),
  };
  if (!directory.organizations.length) directory.organizations = FALLBACK.organizations;
  if (!directory.practitioners.length) directory.practitioners = FALLBACK.practitioners;
  return { patients, byPatient, loose, directory, hospitals };
}

/** Synthea's MRN is the record's UUID; an EHR's is a short number (`E` and 7 digits, as the generated patients'). */
function medicalRecordNumber(p: Resource): void {
  for (const id of (p.identifier as { type?: { coding?: { code?: string }[] }; value?: string }[] | undefined) ?? []) {
    if (id.type?.coding?.some((c) => c.code === 'MR') && /^[0-9a-f-]{36}$/.test(id.value ?? '')) {
      id.value = `E${String(parseInt(hex12Of(`MRN/${id.value}`).slice(0, 8), 16) % 10_000_000).padStart(7, '0')}`;
    }
  }
}

/** Gives a report the HTML rendering (and for every third a PDF) that EHRs send as presentedForm. */
function presentForm(r: Resource, patient: string, n: number): void {
  if (r.presentedForm) return;
  const when = String(r.effectiveDateTime ?? r.issued ?? r.meta?.lastUpdated ?? '');
  const title = `${describe(r)}${when ? `, ${when.slice(0, 10)}` : ''}`;
  const results = ((r.result as { display?: string }[] | undefined) ?? []).map((x) => x.display ?? 'Result');
  const sections = [{ heading: 'Results', lines: results.length ? results : ['See the attached observations.'] }];
  const creation = String(r.issued ?? when);
  const form = [attachment('text/html', htmlDocument(title, patient, sections), `${title}.html`, creation)];
  const at = Date.parse(creation);
  if (n % 3 === 0) form.push(attachment('application/pdf', pdfDocument(title, patient, sections, new Date(Number.isNaN(at) ? REFERENCE_TIME : at)), `${title}.pdf`, creation));
  r.presentedForm = form;
}

/** Adds meta (and a narrative where Synthea has none); answers the lastUpdated instant. */
function stamp(r: Resource, at?: number): number {
  const date = clinicalDate(r);
  const t = at ?? (date ? (dateRange(date)?.[0] ?? REFERENCE_TIME) : REFERENCE_TIME);
  r.meta = { ...(r.meta ?? {}), versionId: versionIdOf(r.id!), lastUpdated: iso(t) };
  if (!r.identifier && r.resourceType !== 'Bundle') r.identifier = [recordIdentifier(r.resourceType, r.id!)];
  if (!r.text?.div) r.text = narrative([`**${describe(r)}**`, date ? `Date: ${date.slice(0, 10)}` : undefined]);
  return t;
}
