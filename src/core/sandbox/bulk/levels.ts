// What a kick-off exports: the level's patients (every visible one, or a Group's members), the
// resources outside any patient (system level only), and the _typeFilter searches. A filter the
// sandbox cannot apply is refused (Prefer: handling=strict) or reported in the export's error
// file and left out (the spec's lenient default).
import type { FhirVersion } from '../../environments';
import type { OperationOutcome } from '../../fhir/types';
import type { Compartment } from '../data/dataset';
import type { DataView, Entry, Scope } from '../data/view';
import { isResourceType } from '../../fhir/resourceTypes';
import { parseSearch, SearchError } from '../fhir/params';
import { HttpError } from '../http/context';
import type { ExportPlan } from './jobs';

export type Level = { kind: 'system' } | { kind: 'patient' } | { kind: 'group'; id: string };

/** The sandbox's Groups, by id: every patient, the Synthea demo patients, the generated ones. */
export const GROUPS: Record<string, (c: Compartment) => boolean> = {
  'all-patients': () => true,
  'demo-patients': (c) => c.kind === 'demo',
  'generated-patients': (c) => c.kind === 'gen',
};

// a new Type?query starts after a comma: the queries themselves may hold commas (code=a,b)
const FILTER_START = /,(?=[A-Z][A-Za-z]+\?)/;

export function exportPlan(view: DataView, scope: Scope, version: FhirVersion, level: Level, since: number | undefined, typeFilters: string[], strict: boolean): ExportPlan {
  let compartments = view.compartments(scope);
  if (level.kind === 'group') {
    const member = GROUPS[level.id];
    if (!member) throw new HttpError(404, `Group/${level.id} is not known: the sandbox has ${Object.keys(GROUPS).map((g) => `Group/${g}`).join(', ')}`);
    compartments = compartments.filter(member);
  }
  const { filters, errors } = typeFilterPlan(version, typeFilters, strict);
  const withDeleted = since !== undefined;
  return {
    compartments,
    loose: level.kind === 'system' ? (type) => view.looseEntries(scope, version, type, withDeleted) : undefined,
    filters,
    errors,
  };
}

function typeFilterPlan(version: FhirVersion, raw: string[], strict: boolean): { filters: Map<string, ((e: Entry) => boolean)[]>; errors: OperationOutcome[] } {
  const filters = new Map<string, ((e: Entry) => boolean)[]>();
  const errors: OperationOutcome[] = [];
  const problem = (text: string) => {
    if (strict) throw new HttpError(400, text, {}, 'not-supported');
    errors.push({ resourceType: 'OperationOutcome', issue: [{ severity: 'warning', code: 'not-supported', diagnostics: `${text}; the filter was not applied` }] });
  };
  for (const entry of raw.flatMap((r) => r.split(FILTER_START)).map((f) => f.trim()).filter(Boolean)) {
    const m = /^([A-Za-z]+)\?(.*)$/s.exec(entry);
    if (!m || !isResourceType(version, m[1])) {
      problem(`_typeFilter "${entry.slice(0, 80)}" is not Type?search for a ${version} resource type`);
      continue;
    }
    try {
      const search = parseSearch(new URLSearchParams(m[2]));
      const { filter, patients } = search;
      const test = (e: Entry) => (!patients || (e.compartmentId !== undefined && patients.has(e.compartmentId))) && (!filter || filter(e));
      filters.set(m[1], [...(filters.get(m[1]) ?? []), test]);
    } catch (e) {
      if (!(e instanceof SearchError)) throw e;
      problem(`_typeFilter "${entry.slice(0, 80)}": ${e.message}`);
    }
  }
  return { filters, errors };
}
