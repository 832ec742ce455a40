import type { HttpMethod } from './wire';

/**
 * Every 1upHealth endpoint the extension knows, as `shared/1uphealth-api-reference.txt` (the
 * contract) and `shared/API.md` (what 1up's public guides add) describe it: method, path, where
 * each parameter and key goes, how the call authenticates, and the line it comes from. The client
 * modules take method, path and key placement from here; a test checks every request the local
 * sandbox receives against it, and `src/core/api/README.md` is rendered from it.
 */

/** Where a path hangs off: the environment's API, FHIR (without version), token or bulk base; or a URL the server gave. */
export type Base = 'api' | 'fhir' | 'token' | 'bulk' | 'link';

/** Where a parameter travels. `json` is the JSON request body; `path` a `{name}` in the path. */
export type Place = 'query' | 'form' | 'json' | 'header' | 'path';

/**
 * How a call proves who it is:
 * - `app-keys`: `client_id` and `client_secret` as parameters (the table's params say where);
 * - `bearer`: `Authorization: Bearer <access_token>` of one app user;
 * - `bearer+app-keys`: both at once;
 * - `user-or-app`: a user's bearer token, or the app headers `client_id`, `client_secret` and
 *   `x-oneup-user-id` (a user's id, or `client` for all users; API.md line 21);
 * - `none`: the URL alone (pages opened in a browser carry their token in the query).
 */
export type AuthKind = 'app-keys' | 'bearer' | 'bearer+app-keys' | 'user-or-app' | 'none';

/** A line of `reference` (1uphealth-api-reference.txt) or `API.md`, and text found on it. */
export interface Source {
  doc: 'reference' | 'API.md';
  line: number;
  quote: string;
}

export interface Param {
  name: string;
  in: Place;
  required?: boolean;
  /** Masked in every log line; a `$ONEUP_*` variable in copy-as-curl. */
  secret?: boolean;
  source: Source;
}

export interface Endpoint {
  id: EndpointId;
  /** The reference's heading (or API.md's wording). */
  title: string;
  method: HttpMethod;
  base: Base;
  /** After the base; `{name}` is a path parameter. Empty for the token URL itself. */
  path: string;
  auth: AuthKind;
  params: readonly Param[];
  /** Any other query parameter may be sent too (FHIR search parameters). */
  openQuery?: boolean;
  /** Headers the client sends on this call besides `user-agent` and authentication. */
  headers: Readonly<Record<string, string>>;
  /** `request`: the client sends it; `browser`: the client builds the URL for a browser; `not-sent`: known, not used. */
  via: 'request' | 'browser' | 'not-sent';
  /** The client code that makes the call. */
  client: string;
  source: Source;
  note?: string;
}

type Row = Omit<Endpoint, 'id'> & { id: string };

const ref = (line: number, quote: string): Source => ({ doc: 'reference', line, quote });
const api = (line: number, quote: string): Source => ({ doc: 'API.md', line, quote });

const JSON_ACCEPT = { accept: 'application/json' };
const FHIR_ACCEPT = { accept: 'application/fhir+json, application/json;q=0.9' };
const BULK_ACCEPT = { accept: 'application/fhir+json' };

/** The two app keys, as user management sends them: form fields (POST/PUT) or query parameters (GET). */
function keys(place: 'form' | 'query', id: Source, secret: Source = id): Param[] {
  return [
    { name: 'client_id', in: place, required: true, source: id },
    { name: 'client_secret', in: place, required: true, secret: true, source: secret },
  ];
}
const KEYS_AS_QUERY_ON_GET = api(20, 'as query parameters on GET');

const ENDPOINT_LIST = [
  {
    id: 'users.list', title: 'Get Users', method: 'GET', base: 'api', path: '/user-management/v1/user', auth: 'app-keys',
    params: [
      { name: 'app_user_id', in: 'query', source: api(27, 'optional filters `app_user_id`, `oneup_user_id`') },
      { name: 'oneup_user_id', in: 'query', source: api(27, 'optional filters `app_user_id`, `oneup_user_id`') },
      ...keys('query', KEYS_AS_QUERY_ON_GET),
    ],
    headers: JSON_ACCEPT, via: 'request', client: 'users.listUsers', source: ref(2, 'https://api.1up.health/user-management/v1/user'),
    note: 'The reference names a bearer header (line 5), but listing the app\'s users acts as no user: the app keys, as API.md line 20 says.',
  },
  {
    id: 'users.create', title: 'Create User', method: 'POST', base: 'api', path: '/user-management/v1/user', auth: 'app-keys',
    params: [
      { name: 'app_user_id', in: 'form', required: true, source: api(28, 'form `app_user_id` (and the app keys)') },
      { name: 'active', in: 'form', source: ref(33, '"active" : "boolean"') },
      ...keys('form', ref(25, '1/2 API keys generated in creating a new app.'), ref(26, '1/2 API keys generated in creating a new app.')),
    ],
    headers: JSON_ACCEPT, via: 'request', client: 'users.createUser', source: ref(19, 'https://api.1up.health/user-management/v1/user'),
    note: 'The reference names a bearer header (line 23) and the two keys as form data (lines 24-26); a user being created has no token: the keys only. `active` is sent only when chosen.',
  },
  {
    id: 'users.update', title: 'Update User', method: 'PUT', base: 'api', path: '/user-management/v1/user', auth: 'app-keys',
    params: [
      { name: 'oneup_user_id', in: 'form', required: true, source: api(29, 'form `oneup_user_id`, new `app_user_id` and/or `active`') },
      { name: 'app_user_id', in: 'form', source: api(29, 'new `app_user_id` and/or `active`') },
      { name: 'active', in: 'form', source: api(29, 'new `app_user_id` and/or `active`') },
      ...keys('form', ref(46, '1/2 API keys generated in creating a new app.'), ref(47, '1/2 API keys generated in creating a new app.')),
    ],
    headers: JSON_ACCEPT, via: 'request', client: 'users.updateUser', source: ref(41, 'https://api.1up.health/user-management/v1/user'),
  },
  {
    id: 'users.authCode', title: 'Generate User Authorization Code', method: 'POST', base: 'api', path: '/user-management/v1/user/auth-code', auth: 'app-keys',
    params: [
      { name: 'app_user_id', in: 'form', source: ref(61, '"app_user_id" : "string"') },
      { name: 'oneup_user_id', in: 'form', source: api(30, '"oneup_user_id and/or app_user_id"') },
      { name: 'client_id', in: 'form', required: true, source: ref(60, '"client_id" : "string"') },
      { name: 'client_secret', in: 'form', required: true, secret: true, source: ref(62, '"client_secret" : "string"') },
    ],
    headers: JSON_ACCEPT, via: 'request', client: 'users.createAuthCode (and every TokenManager sign-in)', source: ref(54, 'https://api.1up.health/user-management/v1/user/auth-code'),
    note: '`app_user_id` whenever it is known (looked up by oneup_user_id when only that is), plus `oneup_user_id` when known: the call works whichever the server requires.',
  },
  {
    id: 'tokens.exchange', title: 'Generate Access Token', method: 'POST', base: 'token', path: '', auth: 'app-keys',
    params: [
      { name: 'grant_type', in: 'form', required: true, source: api(36, '`grant_type=authorization_code`') },
      { name: 'code', in: 'form', required: true, secret: true, source: ref(81, 'Access code is exchanged for the bearer token.') },
      ...keys('form', ref(82, '1/2 API keys generated in creating a new app.'), ref(83, '1/2 API keys generated in creating a new app.')),
    ],
    headers: JSON_ACCEPT, via: 'request', client: 'tokens.exchangeCode', source: ref(73, 'https://api.1up.health/fhir/oauth2/token'),
    note: 'The token URL is a setting: newer docs use https://auth.1up.health/oauth2/token (API.md line 14).',
  },
  {
    id: 'tokens.refresh', title: 'Refresh Access Token', method: 'POST', base: 'token', path: '', auth: 'app-keys',
    params: [
      { name: 'grant_type', in: 'form', required: true, source: api(37, '`grant_type=refresh_token`') },
      { name: 'refresh_token', in: 'form', required: true, secret: true, source: api(37, 'with `refresh_token`, `client_id`, `client_secret`') },
      ...keys('form', api(37, 'with `refresh_token`, `client_id`, `client_secret`')),
    ],
    headers: JSON_ACCEPT, via: 'request', client: 'tokens.refreshToken (TokenManager)', source: ref(84, 'you can obtain a new access_token by using the refresh_token'),
  },
  {
    id: 'fhir.search', title: 'Get FHIR® Resources', method: 'GET', base: 'fhir', path: '/{version}/{type}', auth: 'user-or-app',
    params: [
      { name: 'version', in: 'path', required: true, source: ref(94, 'https://api.1up.health/fhir/{fhirVersion}/{resourceType}') },
      { name: 'type', in: 'path', required: true, source: ref(94, 'https://api.1up.health/fhir/{fhirVersion}/{resourceType}') },
      { name: '_content', in: 'query', source: ref(98, '/fhir/dstu2/Patient?_content=Atul+Gawande') },
      { name: '_count', in: 'query', source: ref(100, '/fhir/dstu2/Patient?_count=10') },
    ],
    openQuery: true, headers: FHIR_ACCEPT, via: 'request', client: 'fhir.search, fhir.pages, fhir.fetchPage', source: ref(94, 'https://api.1up.health/fhir/{fhirVersion}/{resourceType}'),
    note: 'Any FHIR search parameter may be added. Later pages follow the Bundle\'s `next` link exactly as the server wrote it (API.md line 43). The FHIR base is a setting: newer docs drop `/fhir` (API.md line 13).',
  },
  {
    id: 'fhir.read', title: 'Read a FHIR® Resource', method: 'GET', base: 'fhir', path: '/{version}/{type}/{id}', auth: 'user-or-app',
    params: [{ name: 'id', in: 'path', required: true, source: api(44, 'Read `GET …/{type}/{id}`') }],
    headers: FHIR_ACCEPT, via: 'request', client: 'fhir.read', source: api(44, 'Read `GET …/{type}/{id}`'),
  },
  {
    id: 'fhir.create', title: 'Create a FHIR® Resource', method: 'POST', base: 'fhir', path: '/{version}/{type}', auth: 'user-or-app',
    params: [{ name: 'resourceType', in: 'json', required: true, source: api(44, 'with a JSON resource whose `resourceType` matches the path') }],
    headers: FHIR_ACCEPT, via: 'request', client: 'fhir.create', source: ref(112, 'https://api.1up.health/fhir/{fhirVersion}/{resourceType}'),
    note: 'The body is the resource itself (application/json). The reference names the bearer header (line 115); the app may create as `x-oneup-user-id: client` too.',
  },
  {
    id: 'fhir.everything', title: 'Get All User Data', method: 'GET', base: 'fhir', path: '/{version}/Patient/{id}/$everything', auth: 'user-or-app',
    params: [
      { name: 'id', in: 'path', required: true, source: ref(123, 'https://api.1up.health/fhir/{fhirVersion}/Patient/{patientId}/$everything') },
      ...['_type', '_since', 'start', 'end'].map((name): Param => ({ name, in: 'query', source: api(45, 'R4 takes `_type`, `_since`, `start`, `end`') })),
    ],
    headers: FHIR_ACCEPT, via: 'request', client: 'fhir.everything, fhir.everythingPages', source: ref(123, 'https://api.1up.health/fhir/{fhirVersion}/Patient/{patientId}/$everything'),
    note: 'Later pages follow the `next` link as written.',
  },
  {
    id: 'fhir.deleteEverything', title: 'Delete All User Data', method: 'DELETE', base: 'fhir', path: '/{version}/Patient/{id}/$everything', auth: 'user-or-app',
    params: [{ name: 'id', in: 'path', required: true, source: ref(138, 'https://api.1up.health/fhir/{fhirVersion}/Patient/{patientId}/$everything') }],
    headers: FHIR_ACCEPT, via: 'request', client: 'fhir.deleteEverything', source: ref(138, 'https://api.1up.health/fhir/{fhirVersion}/Patient/{patientId}/$everything'),
  },
  {
    id: 'fhir.purge', title: 'Purge (newer docs)', method: 'DELETE', base: 'fhir', path: '/{version}/purge', auth: 'user-or-app',
    params: [
      { name: '_type', in: 'query', source: api(46, 'describe `DELETE {fhir base}/purge` with `_type` and `_before`') },
      { name: '_before', in: 'query', source: api(46, 'describe `DELETE {fhir base}/purge` with `_type` and `_before`') },
    ],
    headers: FHIR_ACCEPT, via: 'not-sent', client: '—', source: api(46, 'DELETE {fhir base}/purge'),
    note: 'The client deletes with `$everything` as the reference says; the sandbox has no purge.',
  },
  {
    id: 'permissions.grant', title: 'Grant Permission to User', method: 'PUT', base: 'api', path: '/fhir/dstu2/Patient/patientid/_permission/{oneupUserId}', auth: 'bearer+app-keys',
    params: [
      { name: 'oneupUserId', in: 'path', required: true, source: ref(153, 'https://api.1up.health/fhir/dstu2/Patient/patientid/_permission/{oneUpUserId}') },
      ...keys('form', ref(157, '1 of 2 API keys generated in creating a new app.'), ref(158, '1 of 2 API keys generated in created a new app.')),
    ],
    headers: JSON_ACCEPT, via: 'request', client: 'fhir.grantPermission', source: ref(153, 'https://api.1up.health/fhir/dstu2/Patient/patientid/_permission/{oneUpUserId}'),
    note: 'The granting user\'s bearer token (API.md line 51) with the keys as form data; the literal `patientid` as 1up\'s SDK sends it (API.md line 52).',
  },
  {
    id: 'permissions.revoke', title: 'Revoke Permissions From User', method: 'DELETE', base: 'api', path: '/fhir/dstu2/Patient/patientid/_permission/{oneupUserId}', auth: 'bearer',
    params: [{ name: 'oneupUserId', in: 'path', required: true, source: ref(165, 'https://api.1up.health/fhir/dstu2/Patient/patientid/_permission/oneup_user_id_to_lose_access') }],
    headers: JSON_ACCEPT, via: 'request', client: 'fhir.revokePermission', source: ref(165, 'https://api.1up.health/fhir/dstu2/Patient/patientid/_permission/oneup_user_id_to_lose_access'),
  },
  {
    id: 'connect.page', title: 'Health System UI', method: 'GET', base: 'api', path: '/connect', auth: 'none',
    params: [
      { name: 'client_id', in: 'query', source: api(56, '`/connect/marketplace?client_id&access_token`') },
      { name: 'access_token', in: 'query', secret: true, source: api(56, '`/connect/marketplace?client_id&access_token`') },
    ],
    headers: { accept: 'text/html' }, via: 'request', client: 'connect.connectPageUrl, connect.fetchConnectPage', source: ref(175, 'https://api.1up.health/connect'),
  },
  {
    id: 'connect.marketplace', title: 'Health System UI (marketplace)', method: 'GET', base: 'api', path: '/connect/marketplace', auth: 'none',
    params: [
      { name: 'client_id', in: 'query', source: api(56, '`/connect/marketplace?client_id&access_token`') },
      { name: 'access_token', in: 'query', secret: true, source: api(56, '`/connect/marketplace?client_id&access_token`') },
    ],
    headers: { accept: 'text/html' }, via: 'browser', client: 'connect.connectPageUrl({marketplace: true}) (the Connect page)', source: api(56, '/connect/marketplace'),
  },
  {
    id: 'connect.systemLogin', title: 'Connect a user to one health system', method: 'GET', base: 'api', path: '/connect/system/clinical/{systemId}', auth: 'none',
    params: [
      { name: 'systemId', in: 'path', required: true, source: api(57, '`{api}/connect/system/clinical/{systemId}?client_id=…&access_token=…`') },
      { name: 'client_id', in: 'query', required: true, source: api(57, '?client_id=…&access_token=…') },
      { name: 'access_token', in: 'query', required: true, secret: true, source: api(57, '?client_id=…&access_token=…') },
      { name: 'redirect_uri', in: 'query', source: api(57, 'redirects to the app\'s redirect URI') },
    ],
    headers: { accept: 'text/html' }, via: 'browser', client: 'connect.systemConnectUrl', source: api(57, '/connect/system/clinical/{systemId}'),
  },
  {
    id: 'connect.providerSearch', title: 'Search Health Systems', method: 'GET', base: 'api', path: '/connect/system/provider/search', auth: 'user-or-app',
    params: [{ name: 'q', in: 'query', required: true, source: api(59, '`GET {api}/connect/system/provider/search?q=…`') }],
    headers: JSON_ACCEPT, via: 'request', client: 'connect.searchProviders', source: ref(182, 'https://api.1up.health/connect/system/provider/search'),
    note: 'The reference names the bearer header (line 185); the extension searches as the app (`x-oneup-user-id: client`) when no user is chosen.',
  },
  {
    id: 'connect.healthSystems', title: 'Get Supported Health Systems', method: 'GET', base: 'api', path: '/connect/system/clinical', auth: 'app-keys',
    params: [
      { name: 'health_systems_only', in: 'query', source: ref(197, 'health_systems_only') },
      { name: 'name', in: 'query', source: ref(200, 'Enter name of the health system.') },
      ...keys('query', api(58, 'send `client_id` and `client_secret` as query parameters')),
    ],
    headers: JSON_ACCEPT, via: 'request', client: 'connect.listHealthSystems', source: ref(194, 'https://api.1up.health/connect/system/clinical'),
    note: 'The reference names no parameter for the name filter (line 200): `name` is assumed.',
  },
  {
    id: 'bulk.kickoff', title: 'Bulk Data Export', method: 'GET', base: 'bulk', path: '/{version}/$export', auth: 'user-or-app',
    params: [
      { name: 'version', in: 'path', required: true, source: ref(216, 'https://analytics.1up.health/bulk-data/{fhirVersion}/$export') },
      { name: '_type', in: 'query', source: api(64, 'Parameters `_type` (comma-separated resource types') },
      { name: '_since', in: 'query', source: api(64, 'and `_since`') },
    ],
    headers: { ...BULK_ACCEPT, prefer: 'respond-async' }, via: 'request', client: 'bulkExport engine (kickoff.ts)', source: ref(216, 'https://analytics.1up.health/bulk-data/{fhirVersion}/$export'),
    note: 'The reference files the type list under "Path Parameters" (line 218); 1up\'s guides and the Bulk Data spec send it as the `_type` query parameter (API.md line 64).',
  },
  {
    id: 'bulk.status', title: 'Export status (poll)', method: 'GET', base: 'link', path: '{Content-Location}', auth: 'user-or-app',
    params: [], headers: BULK_ACCEPT, via: 'request', client: 'bulkExport engine (kickoff.ts)', source: api(65, 'answer `202 Accepted` with `Content-Location` to poll'),
  },
  {
    id: 'bulk.cancel', title: 'Export cancel', method: 'DELETE', base: 'link', path: '{Content-Location}', auth: 'user-or-app',
    params: [], headers: BULK_ACCEPT, via: 'request', client: 'bulkExport engine (kickoff.ts)', source: api(65, '`DELETE` on the status URL cancels'),
  },
  {
    id: 'bulk.file', title: 'Export file', method: 'GET', base: 'link', path: '{output[].url}', auth: 'user-or-app',
    params: [], headers: { accept: 'application/fhir+ndjson' }, via: 'request', client: 'bulkExport engine (fileRequest.ts)', source: api(66, 'send the bearer token to the file URLs'),
    note: 'Credentials only when `requiresAccessToken` is true and only to the export server\'s own origin (API.md line 66); real file URLs carry a signed token in the path, masked in the log.',
  },
] as const satisfies readonly Row[];

export type EndpointId = (typeof ENDPOINT_LIST)[number]['id'];

/** The table, in the reference's order. */
export const ENDPOINTS: readonly Endpoint[] = ENDPOINT_LIST as readonly Endpoint[];

const BY_ID = new Map<string, Endpoint>(ENDPOINTS.map((e) => [e.id, e]));

export function endpoint(id: EndpointId): Endpoint {
  return BY_ID.get(id)!;
}

/** Where an endpoint's app keys go (`client_secret`'s place), or undefined when it sends none as parameters. */
export function keysPlace(e: Endpoint): 'form' | 'query' | undefined {
  const p = e.params.find((x) => x.name === 'client_secret')?.in;
  return p === 'form' || p === 'query' ? p : undefined;
}

/** The path with `{name}` parameters filled in, each encoded as one segment. */
export function expandPath(e: Endpoint, values: Readonly<Record<string, string>> = {}): string {
  return e.path.replace(/\{([^}]+)\}/g, (_m, name: string) => {
    const v = values[name];
    if (v === undefined) throw new Error(`${e.id}: no value for {${name}}`);
    return encodeURIComponent(v);
  });
}
