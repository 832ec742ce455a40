// From an export to a patient: the patients an export holds, and every resource of one patient
// across the export's data files (found by the workers, which parse only lines naming the id).
import { createReadStream } from 'node:fs';
import { createInterface } from 'node:readline';
import type { Resource } from '../fhir/types';
import { dateTime, humanName } from '../render/format';
import { readExportFolder } from './exportFolder';
import type { PatientResult } from './jobs';
import { splitParts } from './lines';
import type { WorkerPool } from './pool';

export interface ExportPatient {
  id: string;
  name: string;
  birthDate?: string;
  gender?: string;
}

/** The first `max` patients of an export's Patient files, as a picker lists them. */
export async function listPatients(folder: string, max = 5_000, signal?: AbortSignal): Promise<{ patients: ExportPatient[]; more: boolean }> {
  const info = await readExportFolder(folder);
  const out: ExportPatient[] = [];
  let more = false;
  for (const f of info.files.filter((x) => x.kind === 'data' && x.type === 'Patient' && x.state !== 'missing')) {
    const rl = createInterface({ input: createReadStream(f.path, 'utf8'), crlfDelay: Infinity });
    for await (const line of rl) {
      if (signal?.aborted || out.length >= max) {
        more ||= out.length >= max;
        rl.close();
        break;
      }
      try {
        const r = JSON.parse(line) as Resource;
        if (r.resourceType !== 'Patient' || typeof r.id !== 'string') continue;
        out.push({ id: r.id, name: humanName(r.name).t || `Patient/${r.id}`, birthDate: dateTime(r.birthDate).t || undefined, gender: typeof r.gender === 'string' ? r.gender : undefined });
      } catch {
        // a bad line is the viewer's to show, not the picker's
      }
    }
  }
  return { patients: out, more };
}

export interface PatientResources {
  resources: Resource[];
  /** data files read */
  files: number;
  /** stopped at `max` resources */
  truncated: boolean;
}

/**
 * Every resource of the export that belongs to the patient: the Patient itself and those whose
 * subject/patient (and the other compartment links) name it, the Patient first, then in file order.
 */
export async function collectPatient(folder: string, patientId: string, pool: WorkerPool, options: { max?: number; signal?: AbortSignal } = {}): Promise<PatientResources> {
  const max = options.max ?? 100_000;
  const info = await readExportFolder(folder);
  const files = info.files.filter((f) => f.kind === 'data' && f.state !== 'missing');
  const perFile = await Promise.all(files.map(async (f) => {
    const parts = await splitParts(f.path, f.bytes, pool.size);
    return Promise.all(parts.map((part) => pool.run<PatientResult>({ kind: 'patient', path: f.path, part, patientId, max }, { signal: options.signal })));
  }));
  const resources: Resource[] = [];
  let truncated = false;
  for (const results of perFile) {
    for (const r of results) {
      truncated ||= r.truncated;
      for (const line of r.lines) {
        if (resources.length >= max) {
          truncated = true;
          break;
        }
        resources.push(JSON.parse(line) as Resource);
      }
    }
  }
  if (!truncated) truncated = await addReferencedMedications(resources, info.files.filter((f) => f.kind === 'data' && f.type === 'Medication' && f.state !== 'missing').map((f) => f.path), max, options.signal);
  const patientFirst = [...resources.filter((r) => r.resourceType === 'Patient'), ...resources.filter((r) => r.resourceType !== 'Patient')];
  return { resources: patientFirst, files: files.length, truncated };
}

/**
 * Medications have no patient link of their own: they belong to a record because its medication
 * statements, requests (DSTU2 orders), dispenses and administrations point at them
 * (`medicationReference`), and `$everything` answers them with the record. Adds those the export
 * holds; answers whether `max` was reached.
 */
async function addReferencedMedications(resources: Resource[], medicationFiles: string[], max: number, signal?: AbortSignal): Promise<boolean> {
  const wanted = new Set<string>();
  for (const r of resources) {
    const ref = (r as { medicationReference?: { reference?: unknown } }).medicationReference?.reference;
    const m = typeof ref === 'string' ? /(?:^|\/)Medication\/([A-Za-z0-9\-.]{1,64})$/.exec(ref) : null;
    if (m) wanted.add(m[1]);
  }
  for (const file of wanted.size ? medicationFiles : []) {
    const rl = createInterface({ input: createReadStream(file, 'utf8'), crlfDelay: Infinity });
    for await (const line of rl) {
      if (signal?.aborted) throw signal.reason ?? new Error('cancelled');
      if (!wanted.size) break;
      // only lines that spell a wanted id are parsed (ids are [A-Za-z0-9-.], never escaped in JSON)
      if (![...wanted].some((id) => line.includes(`"${id}"`))) continue;
      try {
        const r = JSON.parse(line) as Resource;
        if (r.resourceType !== 'Medication' || typeof r.id !== 'string' || !wanted.has(r.id)) continue;
        if (resources.length >= max) return true;
        resources.push(r);
        wanted.delete(r.id);
      } catch {
        // a bad line is the viewer's to show
      }
    }
    rl.close();
  }
  return false;
}
