import { InputError, isApiError } from '../../core/errors';
import { isResourceType } from '../../core/fhir/resourceTypes';
import { type Bundle, linkUrl } from '../../core/fhir/types';
import { ToolNames } from '../../core/tools/catalog';
import { actingAs, readAnswer, searchAnswer } from '../../core/tools/fhirAnswers';
import { FHIR_ID } from '../../core/tools/inputs';
import { PatientSummary } from '../../core/tools/patientSummary';
import type { PageRecord } from '../../core/tools/state';
import type { FhirVersion } from '../../core/environments';
import { fhirAs, patientIdOf } from '../../host/acting';
import type { ToolRun } from '../context';
import { absolute, userOf, type ToolUser } from './common';

const TYPE = /^[A-Z][A-Za-z]{1,63}$/;
const MAX_PAGE = 50;

function resourceType(r: ToolRun, version: FhirVersion, key = 'type'): string {
  const type = r.input.string(key, { required: true, pattern: TYPE, what: 'a FHIR resource type such as Observation' })!;
  if (!isResourceType(version, type)) throw new InputError(`"${type}" is not a FHIR ${version.toUpperCase()} resource type${version === 'dstu2' && type === 'MedicationRequest' ? ' (DSTU2 calls it MedicationOrder)' : ''}.`);
  return type;
}

/** One page of a search, or the page a cursor points to. */
export async function search(r: ToolRun): Promise<string> {
  const cursor = r.input.string('page', { max: 40 });
  if (cursor) {
    const page = r.state.cursors.get(cursor);
    if (!page) throw new InputError(`The page "${cursor}" is unknown or expired (the last 200 searches of this window are kept): run the search again.`);
    if (page.environment !== r.environment.name) throw new InputError(`The page "${cursor}" is from the environment “${page.environment}”, but “${r.environment.name}” is active now: run the search again.`);
    const bundle = await fhirAs(r.s, page.version, page.user).fetchPage(page.url, r.signal);
    return answer(r, bundle, page, page.url);
  }
  const version = r.input.version(r.environment.fhirVersion);
  const type = resourceType(r, version);
  const count = r.input.integer('count', { min: 1, max: MAX_PAGE, default: 10 });
  const content = r.input.string('content', { max: 300 });
  const params = r.input.params('params').filter(([k]) => k !== '_count');
  const user = await userOf(r, false);
  const query: [string, string][] = [...(content ? [['_content', content] as [string, string]] : []), ...params, ['_count', String(count)]];
  const fhir = fhirAs(r.s, version, user);
  const bundle = await fhir.search(type, query, r.signal);
  const page: PageRecord = { environment: r.environment.name, version, type, url: '', user, offset: 0, format: r.input.oneOf('format', ['summary', 'json'], 'summary') };
  return answer(r, bundle, page, `${fhir.base}/${type}`);
}

function answer(r: ToolRun, bundle: Bundle, page: PageRecord, requestUrl: string): string {
  const nextLink = linkUrl(bundle, 'next');
  const entries = bundle.entry?.length ?? 0;
  const next = nextLink && entries ? r.state.cursors.add({ ...page, url: absolute(nextLink, requestUrl), offset: page.offset + entries }) : undefined;
  return searchAnswer({
    bundle, environment: r.environment.name, version: page.version, type: page.type, as: actingAs(page.user),
    offset: page.offset, format: page.format, next, maxChars: r.maxChars,
  });
}

export async function read(r: ToolRun): Promise<string> {
  const version = r.input.version(r.environment.fhirVersion);
  const type = resourceType(r, version);
  const id = r.input.string('id', { required: true, pattern: FHIR_ID, what: 'a FHIR id (letters, digits, - and ., at most 64)' })!;
  const user = await userOf(r, false);
  const resource = await fhirAs(r.s, version, user).read(type, id, r.signal);
  return readAnswer({ resource, environment: r.environment.name, version, as: actingAs(user), narrative: r.input.boolean('includeNarrative', false), maxChars: r.maxChars });
}

/** `$everything`, page by page into a summary (never held as one Bundle). */
export async function patientSummary(r: ToolRun): Promise<string> {
  const version = r.input.version(r.environment.fhirVersion);
  const user = await userOf(r, false);
  const given = r.input.string('patientId', { pattern: FHIR_ID, what: 'a Patient id' });
  if (!given && !user) throw new InputError(`Name the patient with "patientId", or the app user whose record it is with "oneupUserId" or "appUserId" (${ToolNames.listUsers} lists them).`);
  const maxResources = r.input.integer('maxResources', { min: 10, max: 5000, default: 1000 });
  const recent = r.input.integer('recent', { min: 0, max: 50, default: 15 });
  const patientId = given ?? await patientIdOf(r.s, version, user as ToolUser, r.signal);
  const fhir = fhirAs(r.s, version, user);
  const summary = new PatientSummary(patientId);
  const base = `${fhir.base}/Patient/${encodeURIComponent(patientId)}/$everything`;
  let page = await firstEverythingPage(() => fhir.everything(patientId, { _count: 100 }, r.signal), () => fhir.everything(patientId, undefined, r.signal));
  let url = base;
  const seen = new Set<string>();
  let truncated = false;
  for (;;) {
    summary.addPage(page);
    const next = linkUrl(page, 'next');
    if (!next || !page.entry?.length) break;
    const abs = absolute(next, url);
    if (seen.has(abs)) break;
    if (summary.loaded >= maxResources) { truncated = true; break; }
    seen.add(abs);
    url = abs;
    page = await fhir.fetchPage(abs, r.signal);
  }
  return summary.answer({ environment: r.environment.name, version, as: actingAs(user), patientId, recent, truncated, maxChars: r.maxChars });
}

/** `_count` keeps a big record to few requests; a server that refuses it on `$everything` is asked without. */
async function firstEverythingPage(withCount: () => Promise<Bundle>, plain: () => Promise<Bundle>): Promise<Bundle> {
  try {
    return await withCount();
  } catch (e) {
    if (isApiError(e) && e.status === 400) return plain();
    throw e;
  }
}
