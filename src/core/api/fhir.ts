import * as l10n from '@vscode/l10n';
import type { FhirVersion } from '../environments';
import { ApiError, InputError } from '../errors';
import { isResourceType } from '../fhir/resourceTypes';
import { type Bundle, isBundle, isOperationOutcome, linkUrl, type OperationOutcome, type Resource } from '../fhir/types';
import { type ActingAs, authFor } from './auth';
import { endpoint, type EndpointId, expandPath, keysPlace } from './endpoints';
import type { Transport } from './transport';
import type { QueryInput } from './url';

export interface PageOptions {
  /** Stop after this many pages (default 1000). */
  maxPages?: number;
  signal?: AbortSignal;
}

export interface PermissionResult {
  oneupUserId: string;
  success: boolean;
}

const DEFAULT_MAX_PAGES = 1000;

/** FHIR calls against `{fhirUrl}/{version}`, acting as one user or as the app. */
export class FhirClient {
  readonly base: string;

  constructor(
    private readonly transport: Transport,
    readonly version: FhirVersion,
    private readonly as: ActingAs,
  ) {
    this.base = transport.fhirBase(version);
  }

  /** One page of a search (`GET {base}/{type}?params`); `_count` sets the page size (1up: at most 100). */
  async search(type: string, params?: QueryInput, signal?: AbortSignal): Promise<Bundle> {
    return this.bundle('fhir.search', this.url('fhir.search', { type: this.type(type) }), params, signal);
  }

  /** Every page of a search, following each `next` link exactly as the server wrote it. */
  pages(type: string, params?: QueryInput, options: PageOptions = {}): AsyncIterableIterator<Bundle> {
    return this.follow(() => this.search(type, params, options.signal), options);
  }

  async read<R extends Resource = Resource>(type: string, id: string, signal?: AbortSignal): Promise<R> {
    const { status, data } = await this.json<R>('fhir.read', this.url('fhir.read', { type: this.type(type), id: this.id(id) }), undefined, signal);
    if (!data || data.resourceType !== type) throw unexpected(status, 'GET', `${type}/${id}`, l10n.t('a {0}', type));
    return data;
  }

  /** Creates a resource; answers the stored resource with its id. Never retried (POST). */
  async create<R extends Resource = Resource>(resource: R, signal?: AbortSignal): Promise<R> {
    if (!resource || typeof resource !== 'object' || typeof resource.resourceType !== 'string') {
      throw new InputError(l10n.t('A FHIR resource needs a "resourceType".'));
    }
    const type = this.type(resource.resourceType);
    const e = endpoint('fhir.create');
    const res = await this.transport.requestJson<R>({
      method: e.method, url: this.url('fhir.create', { type }), body: { json: resource }, auth: authFor(this.as), accept: e.headers.accept, signal,
    });
    if (res.data?.resourceType === type) return res.data;
    // a server may answer 201 with only a Location; read what it stored
    const location = headerOf(res.headers, 'location') ?? headerOf(res.headers, 'content-location');
    const m = location && /\/([A-Za-z]+)\/([^/?#]+)(?:\/_history\/[^/?#]+)?\/?$/.exec(location);
    if (!res.data && m && m[1] === type) return this.read<R>(type, decodeURIComponent(m[2]), signal);
    throw unexpected(res.status, 'POST', type, l10n.t('the stored {0}', type));
  }

  /** One page of `Patient/{id}/$everything` (R4 takes `_type`, `_since`, `start`, `end`). */
  async everything(patientId: string, params?: QueryInput, signal?: AbortSignal): Promise<Bundle> {
    return this.bundle('fhir.everything', this.url('fhir.everything', { id: this.id(patientId) }), params, signal);
  }

  /** Every page of `$everything`. */
  everythingPages(patientId: string, params?: QueryInput, options: PageOptions = {}): AsyncIterableIterator<Bundle> {
    return this.follow(() => this.everything(patientId, params, options.signal), options);
  }

  /** Deletes all of a patient's resources (`DELETE …/Patient/{id}/$everything`) and answers the OperationOutcome. */
  async deleteEverything(patientId: string, params?: QueryInput, signal?: AbortSignal): Promise<OperationOutcome> {
    const url = this.url('fhir.deleteEverything', { id: this.id(patientId) });
    const { status, data } = await this.json<Resource>('fhir.deleteEverything', url, params, signal);
    if (!isOperationOutcome(data)) throw unexpected(status, 'DELETE', new URL(url).pathname, l10n.t('an OperationOutcome'));
    return data;
  }

  /** Lets `oneupUserId` see the acting user's resources (PUT, path with the literal `patientid` as 1up's SDK sends it). */
  grantPermission(oneupUserId: string, signal?: AbortSignal): Promise<PermissionResult> {
    return this.permission('permissions.grant', oneupUserId, signal);
  }

  revokePermission(oneupUserId: string, signal?: AbortSignal): Promise<PermissionResult> {
    return this.permission('permissions.revoke', oneupUserId, signal);
  }

  /** Fetches a Bundle link (next/previous) verbatim; only links on the environment's own hosts. */
  async fetchPage(url: string, signal?: AbortSignal): Promise<Bundle> {
    this.transport.assertOwnOrigin(url, 'page link');
    return this.bundle('fhir.search', url, undefined, signal);
  }

  private async *follow(first: () => Promise<Bundle>, options: PageOptions): AsyncIterableIterator<Bundle> {
    const max = options.maxPages ?? DEFAULT_MAX_PAGES;
    const seen = new Set<string>();
    let page = await first();
    for (let n = 1; ; n++) {
      yield page;
      const next = linkUrl(page, 'next');
      // a server that links a page to itself would otherwise keep us here forever
      if (!next || n >= max || seen.has(next)) return;
      seen.add(next);
      page = await this.fetchPage(next, options.signal);
    }
  }

  /** Grant: the bearer token and the app keys as form fields (the reference lists them); revoke: bearer only. */
  private async permission(which: 'permissions.grant' | 'permissions.revoke', oneupUserId: string, signal?: AbortSignal): Promise<PermissionResult> {
    const e = endpoint(which);
    const url = this.transport.apiUrl(expandPath(e, { oneupUserId }));
    const { data } = await this.transport.requestJson<{ oneUpUserId?: unknown; oneup_user_id?: unknown; success?: unknown }>({
      method: e.method, url, auth: authFor(this.as, keysPlace(e)), accept: e.headers.accept, signal,
    });
    const id = data?.oneUpUserId ?? data?.oneup_user_id;
    return { oneupUserId: id === undefined ? oneupUserId : String(id), success: data?.success !== false };
  }

  private async bundle(id: EndpointId, url: string, params: QueryInput | undefined, signal?: AbortSignal): Promise<Bundle> {
    const { status, data } = await this.json<Resource>(id, url, params, signal);
    if (!isBundle(data)) throw unexpected(status, endpoint(id).method, new URL(url).pathname, l10n.t('a Bundle'));
    return data;
  }

  /** A call to one of the table's FHIR endpoints (a page link is sent with its endpoint's method and headers). */
  private json<T>(id: EndpointId, url: string, query: QueryInput | undefined, signal?: AbortSignal) {
    const e = endpoint(id);
    return this.transport.requestJson<T>({ method: e.method, url, query, auth: authFor(this.as), accept: e.headers.accept, signal });
  }

  /** `{fhirUrl}` + the endpoint's path for this client's version. */
  private url(id: EndpointId, values: Record<string, string>): string {
    return this.transport.environment.fhirUrl.replace(/\/+$/, '') + expandPath(endpoint(id), { version: this.version, ...values });
  }

  private type(type: string): string {
    if (!isResourceType(this.version, type)) throw new InputError(l10n.t('"{0}" is not a FHIR {1} resource type.', type, this.version.toUpperCase()));
    return type;
  }

  private id(id: string): string {
    if (!id) throw new InputError(l10n.t('A resource id is needed.'));
    return id;
  }
}

function unexpected(status: number, method: string, what: string, expected: string): ApiError {
  return new ApiError(status, method, what, l10n.t('Expected {0} in the answer to {1} {2}.', expected, method, what));
}

function headerOf(headers: Record<string, string | string[] | undefined>, name: string): string | undefined {
  const v = headers[name];
  return Array.isArray(v) ? v[0] : v;
}
