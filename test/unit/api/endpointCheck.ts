import type { Endpoint, EndpointId } from '../../../src/core/api/endpoints';
import { ENDPOINTS } from '../../../src/core/api/endpoints';
import type { Environment } from '../../../src/core/environments';
import type { CallRecord } from '../../../src/core/sandbox';

/** How a request the sandbox logged is checked against a row of the table. */
export interface CheckOptions {
  /** Sent to a URL the server answered (a `next` link, a status URL): its query is the server's. */
  link?: boolean;
  /** The environment sends user-management keys as headers (`userManagementKeys: headers`). */
  keysAsHeaders?: boolean;
  /** Whom a `user-or-app` call acts as. */
  as?: 'user' | 'app';
}

const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

function basePath(env: Environment, e: Endpoint): string {
  const url = { api: env.apiUrl, fhir: env.fhirUrl, token: env.tokenUrl, bulk: env.bulkDataUrl, link: env.apiUrl }[e.base];
  return new URL(url).pathname.replace(/\/+$/, '');
}

/** The request paths a row stands for (the sandbox logs paths decoded). */
export function pathPattern(env: Environment, e: Endpoint): RegExp {
  if (e.base === 'link') return /^\/.*/;
  const template = escape(basePath(env, e) + e.path)
    .replace(/\\\{version\\\}/g, '(dstu2|stu3|r4)')
    .replace(/\\\{[^}]+\\\}/g, '[^/]+');
  return new RegExp(`^${template}$`);
}

/** The rows (of `ids`) a logged request can belong to: same method, path of that shape. */
export function rowsFor(env: Environment, rec: CallRecord, ids: readonly EndpointId[]): Endpoint[] {
  return ENDPOINTS.filter((e) => ids.includes(e.id) && e.method === rec.method && pathPattern(env, e).test(rec.path));
}

/** What in a logged request differs from the table's row; empty when it is exactly as documented. */
export function problems(env: Environment, rec: CallRecord, e: Endpoint, o: CheckOptions = {}): string[] {
  const out: string[] = [];
  const say = (m: string) => out.push(`${e.id} ${rec.method} ${rec.path}: ${m}`);
  const keyNames = new Set(['client_id', 'client_secret']);
  const moved = (name: string) => o.keysAsHeaders && keyNames.has(name) && e.params.some((p) => p.name === name && p.in !== 'path');
  const declared = (place: string) => e.params.filter((p) => p.in === place && !moved(p.name));

  if (rec.method !== e.method) say(`method ${rec.method}, the table says ${e.method}`);
  if (!pathPattern(env, e).test(rec.path)) say(`path does not match ${e.path}`);

  // query: only the declared parameters (or any, for FHIR search), the required ones present
  const query = rec.query.map(([k]) => k);
  if (!o.link) {
    for (const k of query) if (!declared('query').some((p) => p.name === k) && !(e.openQuery && !keyNames.has(k))) say(`query parameter ${k} is not in the table`);
    for (const p of declared('query')) if (p.required && !query.includes(p.name)) say(`required query parameter ${p.name} is missing`);
  }
  for (const k of query) if (moved(k)) say(`${k} went in the query, not as a header`);

  // body: form fields or JSON fields exactly where the table puts them
  const form = declared('form');
  const json = declared('json');
  const fields = (rec.body?.fields ?? []).map(([k]) => k);
  if (form.length) {
    if (rec.body?.kind !== 'form') say(`no form body (content-type ${rec.headers['content-type'] ?? 'none'})`);
    for (const k of fields) if (!form.some((p) => p.name === k)) say(`form field ${k} is not in the table`);
    for (const p of form) if (p.required && !fields.includes(p.name)) say(`required form field ${p.name} is missing`);
    if (!/^application\/x-www-form-urlencoded/.test(rec.headers['content-type'] ?? '')) say(`content-type ${rec.headers['content-type']}`);
  } else if (json.length) {
    if (rec.body?.kind !== 'json') say('no JSON body');
    for (const p of json) if (p.required && !fields.includes(p.name)) say(`required JSON field ${p.name} is missing`);
  } else if (rec.body || rec.headers['content-length'] && rec.headers['content-length'] !== '0') {
    say(`a body was sent (${rec.body?.kind ?? rec.headers['content-type']}) where the table has none`);
  }

  // headers: the documented ones, user-agent, and authentication of the row's kind
  for (const [k, v] of Object.entries(e.headers)) if (rec.headers[k] !== v) say(`header ${k}: ${rec.headers[k] ?? 'missing'}, the table says ${v}`);
  if (!rec.headers['user-agent']) say('no user-agent');
  const bearer = /^Bearer /i.test(rec.headers.authorization ?? '');
  const appHeaders = rec.headers.client_secret !== undefined || rec.headers['x-oneup-user-id'] !== undefined;
  const keysInHeaders = rec.headers.client_id !== undefined && rec.headers.client_secret !== undefined;
  switch (e.auth) {
    case 'app-keys':
      if (rec.headers.authorization) say('an Authorization header on an app-keys call');
      if (rec.headers['x-oneup-user-id']) say('x-oneup-user-id on an app-keys call');
      if (o.keysAsHeaders ? !keysInHeaders : appHeaders) say(o.keysAsHeaders ? 'the keys are not in the headers' : 'app headers where the keys go as parameters');
      break;
    case 'bearer':
      if (!bearer) say('no bearer token');
      if (appHeaders) say('app headers on a bearer-only call');
      break;
    case 'bearer+app-keys':
      if (!bearer) say('no bearer token');
      break;
    case 'user-or-app': {
      const asApp = keysInHeaders && !!rec.headers['x-oneup-user-id'];
      if (bearer === asApp) say('neither (or both) a bearer token and the app headers');
      if (o.as && (o.as === 'app') !== asApp) say(`acted as ${asApp ? 'the app' : 'a user'}, expected ${o.as}`);
      break;
    }
    case 'none':
      if (rec.headers.authorization || appHeaders) say('credentials on a call that carries none');
      break;
  }
  return out;
}
