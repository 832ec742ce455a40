import * as l10n from '@vscode/l10n';
import { InputError } from '../errors';

/** A query value; arrays repeat the parameter (`date=ge2020&date=le2021`), undefined drops it. */
export type QueryValue = string | number | boolean | undefined | readonly (string | number | boolean)[];
/** Query parameters as a record, or as ordered pairs when order or repetition matters. */
export type QueryInput = Readonly<Record<string, QueryValue>> | readonly (readonly [string, string])[];

// RFC 3986 allows these in a query; FHIR values use them (`code:text`, `a,b`, `Patient/1`), so they stay readable.
const KEEP = /%(2C|3A|2F|40|24)/g;
const KEPT: Record<string, string> = { '2C': ',', '3A': ':', '2F': '/', '40': '@', '24': '$' };

/**
 * Encodes one query key or value. `|` becomes %7C (1up rejects a raw pipe in token searches such as
 * `code=http://loinc.org|1234-5`), `+` becomes %2B so it is never read as a space, space becomes %20.
 */
export function encodeQueryPart(s: string): string {
  return encodeURIComponent(s).replace(KEEP, (_m, hex: string) => KEPT[hex.toUpperCase()]);
}

export function queryPairs(query: QueryInput | undefined): [string, string][] {
  if (!query) return [];
  if (Array.isArray(query)) return (query as readonly (readonly [string, string])[]).map(([k, v]) => [k, v]);
  const out: [string, string][] = [];
  for (const [k, v] of Object.entries(query as Record<string, QueryValue>)) {
    if (v === undefined) continue;
    if (Array.isArray(v)) for (const item of v) out.push([k, String(item)]);
    else out.push([k, String(v)]);
  }
  return out;
}

export function encodeQuery(pairs: readonly (readonly [string, string])[]): string {
  return pairs.map(([k, v]) => `${encodeQueryPart(k)}=${encodeQueryPart(v)}`).join('&');
}

/** Appends encoded pairs to a URL string without re-encoding what is already there. */
export function withQuery(url: string, pairs: readonly (readonly [string, string])[]): string {
  if (!pairs.length) return url;
  const sep = url.includes('?') ? (url.endsWith('?') || url.endsWith('&') ? '' : '&') : '?';
  return url + sep + encodeQuery(pairs);
}

/**
 * Splits an absolute URL into its origin and the request target exactly as written, so a server's
 * `next` link is sent byte for byte (a `new URL()` round trip may re-encode it).
 */
export function splitRaw(url: string): { origin: string; path: string; parsed: URL } {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new InputError(l10n.t('Not an absolute URL: {0}', url));
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') throw new InputError(l10n.t('Not an http(s) URL: {0}', url));
  const afterScheme = url.indexOf('//') + 2;
  const slash = url.slice(afterScheme).search(/[/?#]/);
  let path = slash < 0 ? '/' : url.slice(afterScheme + slash);
  const hash = path.indexOf('#');
  if (hash >= 0) path = path.slice(0, hash);
  if (path.startsWith('?')) path = '/' + path;
  if (/[\s\u0000-\u001f\u007f]/.test(path)) throw new InputError(l10n.t('URL contains characters that cannot be sent: {0}', url));
  return { origin: parsed.origin, path, parsed };
}

/**
 * The path of a request target as the log shows it: query values replaced (they may hold search
 * terms about patients) unless `showValues`, and token-like path segments and values masked
 * either way (export file URLs carry a signed token in the path).
 */
export function pathForLog(target: string, showValues: boolean): string {
  const q = target.indexOf('?');
  const path = maskPathTokens(q < 0 ? target : target.slice(0, q));
  if (q < 0) return path;
  const masked = target.slice(q + 1).split('&').map((part) => {
    const eq = part.indexOf('=');
    if (eq < 0) return part;
    const name = part.slice(0, eq);
    return showValues && !HIDDEN_QUERY.test(safeDecode(name)) ? `${name}=${maskTokens(part.slice(eq + 1))}` : `${name}=…`;
  });
  return `${path}?${masked.join('&')}`;
}

// query parameters whose values are credentials wherever they appear (signed URLs included)
const SECRET_QUERY = /^(client_secret|access_token|refresh_token|id_token|code|token|password|sig|signature|x-amz-signature|x-amz-credential|x-amz-security-token|x-goog-signature|x-goog-credential)$/i;
// the app keys stay out of the log as a pair (API.md: neither reaches a log), even with query values shown
const HIDDEN_QUERY = new RegExp(`${SECRET_QUERY.source.replace('^(', '^(client_id|')}`, 'i');
const JWT = /eyJ[A-Za-z0-9_-]{4,}\.[A-Za-z0-9_-]{4,}\.[A-Za-z0-9_-]*/g;
const MASK = '••••';

/** A long opaque token: 32+ URL-safe characters mixing upper case, lower case and digits (hex ids and UUIDs are not). */
function isOpaqueToken(s: string): boolean {
  return s.length >= 32 && /^[A-Za-z0-9_\-~+=%]+$/.test(s) && /[A-Z]/.test(s) && /[a-z]/.test(s) && /\d/.test(s);
}

/** JWTs and long opaque tokens in one piece of text (a segment or a value), a short extension kept. */
function maskTokens(piece: string): string {
  const out = piece.replace(JWT, MASK);
  const ext = /^(.*?)(\.[A-Za-z0-9]{1,8})?$/.exec(out)!;
  return isOpaqueToken(ext[1]) ? MASK + (ext[2] ?? '') : out;
}

function maskPathTokens(path: string): string {
  return path.split('/').map(maskTokens).join('/');
}

/** A URL (or path) with its token-like path segments and query values masked, for logs and messages. */
export function maskUrlTokens(url: string): string {
  const q = url.indexOf('?');
  const path = maskPathTokens(q < 0 ? url : url.slice(0, q));
  if (q < 0) return path;
  const query = url.slice(q + 1).split('&').map((part) => {
    const eq = part.indexOf('=');
    if (eq < 0) return maskTokens(part);
    const name = part.slice(0, eq);
    return `${name}=${SECRET_QUERY.test(safeDecode(name)) ? MASK : maskTokens(part.slice(eq + 1))}`;
  });
  return `${path}?${query.join('&')}`;
}

function safeDecode(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}

/** Joins a base URL (no trailing slash needed) and path segments, encoding each segment. */
export function joinUrl(base: string, ...segments: string[]): string {
  const b = base.replace(/\/+$/, '');
  return [b, ...segments.map((s) => encodeURIComponent(s))].join('/');
}
