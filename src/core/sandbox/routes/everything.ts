// Patient/{id}/$everything: GET pages through every resource of one patient (R4 takes _type,
// _since, start, end); DELETE removes them all, after which reads answer 410.
import type { FhirVersion } from '../../environments';
import type { Resource } from '../../fhir/types';
import { caller } from '../auth/caller';
import { baseType, versionType } from '../fhir/convert';
import { searchset } from '../fhir/bundle';
import { clinicalDate, dateRange, parseDateCondition } from '../fhir/dates';
import { outcome } from '../fhir/outcome';
import { offsetFrom, pageLinks } from '../fhir/paging';
import { DEFAULT_COUNT, MAX_COUNT } from '../fhir/params';
import { HttpError } from '../http/context';
import { sendFhir } from '../http/reply';
import type { Router } from '../http/router';
import type { Services } from '../services';
import type { Compartment } from '../data/dataset';
import { checkType, FHIR_PREFIX, fhirBase, mayWrite } from './fhirCommon';

/** The types a patient's records can have in a version: Patient first, then alphabetical. */
export function patientTypes(s: Services, version: FhirVersion, c?: Compartment): string[] {
  const types = new Set<string>();
  for (const t of s.dataset.patientTypes()) {
    const v = versionType(version, t);
    if (v) types.add(v);
  }
  if (c) {
    for (const vt of s.overlay.typesInCompartment(c.id)) {
      const [v, t] = vt.split('|');
      if (v === version) types.add(t);
    }
  }
  types.delete('Patient');
  return ['Patient', ...[...types].sort()];
}

function instant(name: string, value: string | null): number | undefined {
  if (value === null) return undefined;
  const r = dateRange(value);
  if (!r) throw new HttpError(400, `${name} must be a FHIR instant or date, got "${value}"`);
  return r[0];
}

export function everythingRoutes(router: Router, s: Services): void {
  router.add(['GET', 'DELETE'], new RegExp(`${FHIR_PREFIX}/Patient/([A-Za-z0-9\\-.]{1,64})/\\$everything$`), (ctx, m) => {
    const [, prefix, v, id] = m;
    const version = v as FhirVersion;
    const who = caller(s, ctx);
    const c = s.dataset.compartment(id);
    if (!c || !s.view.canSee(who.scope, c)) throw new HttpError(404, `Patient/${id} is not known`);
    const patient = s.view.find(who.scope, version, 'Patient', id);
    if (patient?.deleted) throw new HttpError(410, `Patient/${id} was deleted`);

    if (ctx.method === 'DELETE') {
      if (!mayWrite(s, who, c.id)) throw new HttpError(403, `Patient/${id} was shared with this user to read, not to delete`);
      s.overlay.purge(c.id);
      return sendFhir(ctx, 200, outcome('information', 'informational', `All resources of Patient/${id} were deleted`));
    }

    const params = ctx.query;
    const wanted = params.get('_type')?.split(',').map((t) => t.trim()).filter(Boolean);
    for (const t of wanted ?? []) checkType(version, t);
    const since = instant('_since', params.get('_since'));
    const start = parseDateCondition(`ge${params.get('start') ?? ''}`);
    const end = parseDateCondition(`le${params.get('end') ?? ''}`);
    if (params.get('start') !== null && !start) throw new HttpError(400, 'start must be a FHIR date');
    if (params.get('end') !== null && !end) throw new HttpError(400, 'end must be a FHIR date');
    const rawCount = Number(params.get('_count') ?? DEFAULT_COUNT);
    if (!Number.isInteger(rawCount) || rawCount < 0) throw new HttpError(400, '_count must be a whole number');
    const count = Math.min(rawCount, MAX_COUNT);

    const all: Resource[] = [];
    for (const type of wanted ?? patientTypes(s, version, c)) {
      if (!baseType(version, type) && !s.overlay.inCompartment(c.id, version, type).length) continue;
      for (const e of s.view.entries(c, version, type)) {
        const r = e.resource;
        if (since !== undefined && (dateRange(r.meta?.lastUpdated ?? '')?.[0] ?? 0) < since) continue;
        const when = clinicalDate(r);
        const t = when ? dateRange(when)?.[0] : undefined;
        if (t !== undefined && ((start && t < start.lo) || (end && t >= end.hi))) continue;
        all.push(r);
      }
    }
    const key = `everything|${id}|${wanted?.join(',') ?? '*'}|${params.get('_since') ?? ''}|${params.get('start') ?? ''}|${params.get('end') ?? ''}`;
    const offset = offsetFrom(params, key, (after) => {
      const i = all.findIndex((r) => r.id === after);
      return i < 0 ? undefined : i + 1;
    });
    const base = fhirBase(s, prefix);
    const page = all.slice(offset, offset + count);
    const links = pageLinks(s.options.mode, { url: `${base}/Patient/${id}/$everything`, params, searchKey: key, offset, count, total: all.length, lastId: page.at(-1)?.id });
    sendFhir(ctx, 200, searchset(base, all.length, links, page));
  });
}
