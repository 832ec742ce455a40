import * as l10n from '@vscode/l10n';
import { ApiError, isAuthError } from '../errors';
import { type Bundle, isBundle, type Resource } from '../fhir/types';
import { type ActingAs, authFor, type RequestAuth } from './auth';
import type { CurlSecret } from './curl';
import { endpoint, expandPath, keysPlace } from './endpoints';
import type { Transport } from './transport';
import { queryPairs, withQuery } from './url';

/** One entry of `GET /connect/system/clinical`. */
export interface HealthSystem {
  id: string;
  name: string;
  resourceUrl?: string;
  logo?: string;
  apiVersion?: string;
  status?: string;
  ehr?: string;
  locations: unknown[];
}

/** An Organization from provider search with what the UI needs pulled out. */
export interface ProviderSummary {
  /** The 1upHealth health system id, for `systemConnectUrl`; absent when the entry carries none. */
  systemId?: string;
  name: string;
  logo?: string;
  address?: string;
  organization: Resource;
}

export interface ConnectPageOptions {
  clientId?: string;
  accessToken?: string;
  /** `/connect/marketplace` instead of `/connect`. */
  marketplace?: boolean;
}

/** Health systems, provider search and the Connect pages a user picks a health system on. */
export class ConnectApi {
  constructor(private readonly transport: Transport) {}

  /**
   * The supported health systems. The app keys go as query parameters, as 1up's examples send
   * them; without keys set yet the list is still asked for (the reference names no auth for it).
   */
  async listHealthSystems(filter: { healthSystemsOnly?: boolean; name?: string } = {}, signal?: AbortSignal): Promise<HealthSystem[]> {
    const e = endpoint('connect.healthSystems');
    const auth: RequestAuth = (await this.hasCredentials()) ? { kind: 'app-keys', keys: keysPlace(e) ?? 'query' } : { kind: 'none' };
    const { status, data } = await this.transport.requestJson<unknown>({
      method: e.method, url: this.transport.apiUrl(e.path), auth, accept: e.headers.accept, signal,
      query: { health_systems_only: filter.healthSystemsOnly ? 'true' : undefined, name: filter.name || undefined },
    });
    const list = Array.isArray(data) ? data : Array.isArray((data as { entry?: unknown })?.entry) ? (data as { entry: unknown[] }).entry : undefined;
    if (!list) throw new ApiError(status, 'GET', '/connect/system/clinical', l10n.t('Expected a list of health systems in the answer.'));
    return list.filter((s): s is Record<string, unknown> => !!s && typeof s === 'object').map(toHealthSystem);
  }

  private async hasCredentials(): Promise<boolean> {
    try {
      await this.transport.appCredentials();
      return true;
    } catch (e) {
      if (isAuthError(e) && e.problem === 'missing-credentials') return false;
      throw e;
    }
  }

  /** Text search over health systems: the Bundle of Organizations and a summary of each. */
  async searchProviders(q: string, as: ActingAs, signal?: AbortSignal): Promise<{ bundle: Bundle; providers: ProviderSummary[] }> {
    const e = endpoint('connect.providerSearch');
    const { status, data } = await this.transport.requestJson<unknown>({
      method: e.method, url: this.transport.apiUrl(e.path), query: { q }, auth: authFor(as), accept: e.headers.accept, signal,
    });
    if (!isBundle(data)) throw new ApiError(status, 'GET', '/connect/system/provider/search', l10n.t('Expected a Bundle of Organizations in the answer.'));
    const providers = (data.entry ?? []).map((e) => e.resource).filter((r): r is Resource => r?.resourceType === 'Organization').map(summarize);
    return { bundle: data, providers };
  }

  /** The Connect page to show in a browser (it carries the token in its query, as 1up designs it). */
  connectPageUrl(o: ConnectPageOptions = {}): string {
    if (o.accessToken) this.transport.masker.add(o.accessToken);
    const url = this.transport.apiUrl(endpoint(o.marketplace ? 'connect.marketplace' : 'connect.page').path);
    return withQuery(url, queryPairs({ client_id: o.clientId, access_token: o.accessToken }));
  }

  /** Where a user signs in to one health system; `clientId` defaults to the app's. */
  async systemConnectUrl(systemId: string, accessToken: string, o: { redirectUri?: string; clientId?: string } = {}): Promise<string> {
    const clientId = o.clientId ?? (await this.transport.appCredentials()).clientId;
    this.transport.masker.add(accessToken);
    const url = this.transport.apiUrl(expandPath(endpoint('connect.systemLogin'), { systemId }));
    return withQuery(url, queryPairs({ client_id: clientId, access_token: accessToken, redirect_uri: o.redirectUri }));
  }

  /** The Connect page's HTML. */
  async fetchConnectPage(o: ConnectPageOptions = {}, signal?: AbortSignal): Promise<string> {
    const secrets: CurlSecret[] = [];
    if (o.accessToken) secrets.push({ value: o.accessToken, kind: 'accessToken' });
    if (o.clientId) secrets.push({ value: o.clientId, kind: 'clientId' });
    const e = endpoint(o.marketplace ? 'connect.marketplace' : 'connect.page');
    const { text } = await this.transport.requestText({ method: e.method, url: this.connectPageUrl(o), accept: e.headers.accept, secrets, signal });
    return text;
  }
}

function toHealthSystem(s: Record<string, unknown>): HealthSystem {
  const str = (v: unknown) => (typeof v === 'string' ? v : typeof v === 'number' ? String(v) : undefined);
  const out: HealthSystem = { id: str(s.id) ?? '', name: str(s.name) ?? '', locations: Array.isArray(s.locations) ? s.locations : [] };
  const optional = { resourceUrl: str(s.resource_url), logo: str(s.logo), apiVersion: str(s.api_version), status: str(s.status), ehr: str(s.ehr) };
  for (const [k, v] of Object.entries(optional)) if (v !== undefined) (out as unknown as Record<string, unknown>)[k] = v;
  return out;
}

interface Extension {
  url?: string;
  extension?: Extension[];
  [value: string]: unknown;
}

/**
 * The reference says each Organization "contain[s] the 1upHealth health system id and an extension
 * with the logo" without fixing the field names, so both are looked for where FHIR puts such
 * things: an identifier or extension naming 1up / a system id, and an extension whose url says logo.
 */
export function summarize(org: Resource): ProviderSummary {
  const exts = flatten(org.extension as Extension[] | undefined);
  const identifiers = (org.identifier as { system?: string; value?: unknown }[] | undefined) ?? [];
  const idFromIdentifier = identifiers.find((i) => /1up/i.test(i.system ?? '') && i.value !== undefined)?.value;
  const idFromExtension = exts.find((e) => /1up|system.?id|health.?system/i.test(e.url ?? '') && !/logo/i.test(e.url ?? ''));
  const systemId = scalar(idFromIdentifier) ?? (idFromExtension ? extValue(idFromExtension) : undefined);
  const logoExt = exts.find((e) => /logo/i.test(e.url ?? ''));
  const address = (org.address as { text?: string; line?: string[]; city?: string; state?: string }[] | undefined)?.[0];
  const summary: ProviderSummary = { name: typeof org.name === 'string' ? org.name : org.id ?? '', organization: org };
  if (systemId) summary.systemId = systemId;
  const logo = logoExt && extValue(logoExt);
  if (logo) summary.logo = logo;
  const addr = address && (address.text ?? [...(address.line ?? []), address.city, address.state].filter(Boolean).join(', '));
  if (addr) summary.address = addr;
  return summary;
}

function flatten(exts: Extension[] | undefined): Extension[] {
  const out: Extension[] = [];
  for (const e of exts ?? []) out.push(e, ...flatten(e.extension));
  return out;
}

function extValue(e: Extension): string | undefined {
  for (const key of ['valueUrl', 'valueUri', 'valueString', 'valueId', 'valueCode', 'valueInteger', 'valueDecimal']) {
    const v = scalar(e[key]);
    if (v) return v;
  }
  const att = e.valueAttachment as { url?: string } | undefined;
  return att?.url;
}

function scalar(v: unknown): string | undefined {
  return typeof v === 'string' && v ? v : typeof v === 'number' ? String(v) : undefined;
}
