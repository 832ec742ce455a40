// FHIR REST under {url}/fhir/{version} and {url}/{version}: search, read, create, delete,
// capabilities. $everything and permissions live in their own modules.
import type { FhirVersion } from '../../environments';
import { resourceTypes } from '../../fhir/resourceTypes';
import type { Resource } from '../../fhir/types';
import { caller } from '../auth/caller';
import { searchset } from '../fhir/bundle';
import { FIRST_VERSION_ID, newId } from '../data/ids';
import { baseType } from '../fhir/convert';
import { outcome } from '../fhir/outcome';
import { offsetFrom, pageLinks } from '../fhir/paging';
import { parseSearch, SearchError } from '../fhir/params';
import { validateResource } from '../fhir/validate';
import type { Ctx } from '../http/context';
import { HttpError } from '../http/context';
import { sendFhir } from '../http/reply';
import type { Router } from '../http/router';
import type { Services } from '../services';
import { everythingRoutes } from './everything';
import { checkType, FHIR_PREFIX, fhirBase, mayWrite } from './fhirCommon';
import { permissionRoutes } from './permissions';

const TYPE = '([A-Z][A-Za-z]+)';
const ID = '([A-Za-z0-9\\-.]{1,64})';

export function fhirRoutes(router: Router, s: Services): void {
  router.add('GET', new RegExp(`${FHIR_PREFIX}/metadata$`), (ctx, m) => sendFhir(ctx, 200, capabilities(m[2] as FhirVersion)));
  permissionRoutes(router, s);
  everythingRoutes(router, s);
  router.add('POST', new RegExp(`${FHIR_PREFIX}/${TYPE}/_search$`), async (ctx, m) => {
    const params = new URLSearchParams(Object.entries(await ctx.params()));
    search(s, ctx, m[1], m[2] as FhirVersion, m[3], params);
  });
  router.add(['GET', 'DELETE'], new RegExp(`${FHIR_PREFIX}/${TYPE}/${ID}$`), (ctx, m) => {
    const [, , version, type, id] = m;
    checkType(version as FhirVersion, type);
    const who = caller(s, ctx);
    const entry = s.view.find(who.scope, version as FhirVersion, type, id);
    if (!entry) throw new HttpError(404, `${type}/${id} is not known`);
    if (entry.deleted) throw new HttpError(410, `${type}/${id} was deleted`);
    if (ctx.method === 'GET') {
      const r = entry.resource;
      return sendFhir(ctx, 200, r, { ETag: `W/"${r.meta?.versionId ?? '1'}"`, 'Last-Modified': new Date(r.meta?.lastUpdated ?? Date.now()).toUTCString() });
    }
    const created = s.overlay.get(version as FhirVersion, type, id);
    if (!mayWrite(s, who, entry.compartmentId, created?.ownerUserId)) throw new HttpError(403, `this token may read ${type}/${id} but not delete it`);
    if (created) s.overlay.deleteCreated(created);
    else s.overlay.deleteBase(baseType(version as FhirVersion, type) ?? type, id, entry.compartmentId);
    sendFhir(ctx, 200, outcome('information', 'informational', `${type}/${id} was deleted`));
  });
  router.add(['GET', 'POST'], new RegExp(`${FHIR_PREFIX}/${TYPE}$`), async (ctx, m) => {
    if (ctx.method === 'GET') return search(s, ctx, m[1], m[2] as FhirVersion, m[3], ctx.query);
    await create(s, ctx, m[1], m[2] as FhirVersion, m[3]);
  });
}

function search(s: Services, ctx: Ctx, prefix: string, version: FhirVersion, type: string, params: URLSearchParams): void {
  checkType(version, type);
  const who = caller(s, ctx);
  let parsed;
  try {
    parsed = parseSearch(params);
  } catch (e) {
    if (e instanceof SearchError) throw new HttpError(400, e.message);
    throw e;
  }
  const searchKey = `${type}?${parsed.key}`;
  const offset = offsetFrom(params, searchKey, (id) => s.search.offsetAfter(who.scope, version, type, parsed, id));
  const count = parsed.summaryCount ? 0 : parsed.count;
  const result = s.search.run(who.scope, version, type, parsed, offset, count);
  const base = fhirBase(s, prefix);
  const links = pageLinks(s.options.mode, { url: `${base}/${type}`, params, searchKey, offset, count, total: result.total, lastId: result.resources.at(-1)?.id });
  sendFhir(ctx, 200, searchset(base, result.total, links, result.resources));
}

async function create(s: Services, ctx: Ctx, prefix: string, version: FhirVersion, type: string): Promise<void> {
  checkType(version, type);
  const who = caller(s, ctx);
  const body = await ctx.json();
  const problems = validateResource(body, version, type);
  if (problems.length) throw new HttpError(400, problems.join('; '), {}, 'invalid');
  const resource = body as Resource;
  const bytes = Buffer.byteLength(JSON.stringify(resource)) + 256;
  const full = s.overlay.noRoomFor(bytes);
  if (full) throw new HttpError(507, full, {}, 'too-costly');
  let id = newId();
  let compartmentId: string | undefined;
  if (type === 'Patient') {
    compartmentId = s.dataset.addCreated(who.app.clientId, id, who.user?.oneupUserId).id;
    who.user?.extraPatients.push(id);
  } else {
    const ref = ['subject', 'patient', 'beneficiary'].map((k) => (resource[k] as { reference?: string } | undefined)?.reference)
      .find((r) => typeof r === 'string' && /(^|\/)Patient\/[^/]+$/.test(r));
    const pid = ref?.replace(/^.*Patient\//, '');
    const c = pid ? s.dataset.compartment(pid) : undefined;
    if (c && !s.view.canSee(who.scope, c)) throw new HttpError(403, `this token may not add records to Patient/${pid}`);
    if (c && !mayWrite(s, who, c.id)) throw new HttpError(403, `Patient/${pid} was shared with this user to read, not to change`);
    compartmentId = c?.id;
    // a patient's record carries the patient's id in its own, as on 1upHealth
    if (c) id = newId(c.id);
  }
  const stored: Resource = { ...resource, id, meta: { ...(resource.meta ?? {}), versionId: FIRST_VERSION_ID, lastUpdated: new Date().toISOString() } };
  s.overlay.add({ resource: stored, version, type, appId: who.app.clientId, ownerUserId: who.user?.oneupUserId, compartmentId, bytes });
  const location = `${fhirBase(s, prefix)}/${type}/${id}/_history/${FIRST_VERSION_ID}`;
  sendFhir(ctx, 201, stored, { Location: location, 'Content-Location': location, ETag: `W/"${FIRST_VERSION_ID}"` });
}

function capabilities(version: FhirVersion): Resource {
  const fhirVersion = { dstu2: '1.0.2', stu3: '3.0.2', r4: '4.0.1' }[version];
  return {
    resourceType: version === 'dstu2' ? 'Conformance' : 'CapabilityStatement',
    status: 'active',
    date: new Date().toISOString(),
    kind: 'instance',
    software: { name: '1upHealth local sandbox' },
    fhirVersion,
    format: ['application/fhir+json', 'json'],
    rest: [{
      mode: 'server',
      resource: resourceTypes(version).map((type) => ({
        type,
        interaction: [{ code: 'read' }, { code: 'search-type' }, { code: 'create' }, { code: 'delete' }],
        searchParam: [{ name: '_content', type: 'string' }, { name: '_id', type: 'token' }, { name: '_lastUpdated', type: 'date' },
          { name: 'patient', type: 'reference' }, { name: 'date', type: 'date' }, { name: 'code', type: 'token' }],
      })),
      operation: [{ name: 'everything', definition: 'http://hl7.org/fhir/OperationDefinition/Patient-everything' }],
    }],
  };
}
