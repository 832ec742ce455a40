// What the request log keeps of a request's shape: where each parameter came (query, body,
// headers), so tests can check a client against the documented placement. Secret values are
// masked here, before anything is kept.
import type { CallRecord } from '../services';
import type { Ctx } from './context';

const MASK = '••••';
const SECRET_FIELDS = new Set(['client_secret', 'access_token', 'refresh_token', 'id_token', 'code', 'password']);
const SECRET_HEADERS = new Set(['client_secret', 'client-secret', 'cookie', 'x-sandbox-secret']);

function field(name: string, value: string): [string, string] {
  return [name, SECRET_FIELDS.has(name.toLowerCase()) ? MASK : value];
}

function headerValue(name: string, value: string): string {
  if (name === 'authorization' || name === 'proxy-authorization') {
    const scheme = /^\s*(\S+)\s/.exec(value)?.[1];
    return scheme ? `${scheme} ${MASK}` : MASK;
  }
  return SECRET_HEADERS.has(name) ? MASK : value;
}

/** The shape of one request as the log keeps it (body fields only when the body was read). */
export function shapeOf(ctx: Ctx): Pick<CallRecord, 'query' | 'headers' | 'body'> {
  const headers: Record<string, string> = {};
  for (const [name, v] of Object.entries(ctx.req.headers)) {
    if (v === undefined) continue;
    headers[name] = headerValue(name, Array.isArray(v) ? v.join(', ') : v);
  }
  const query = [...ctx.query].map(([k, v]) => field(k, v));
  const fields = ctx.bodyFields();
  if (!fields) return { query, headers };
  // JSON bodies keep names only (their values are resources), so there is nothing to mask
  return { query, headers, body: { kind: fields.kind, fields: fields.kind === 'json' ? fields.fields : fields.fields.map(([k, v]) => field(k, v)) } };
}
