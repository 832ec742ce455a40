import { Readable } from 'node:stream';
import { type AppCredentials, credentialSecrets, type RequestAuth } from './auth';
import { type CurlSecret, toCurl } from './curl';
import { encodeQuery, maskUrlTokens, pathForLog, queryPairs, type QueryInput, splitRaw, withQuery } from './url';
import type { UserManagementKeys } from '../environments';

export type HttpMethod = 'GET' | 'HEAD' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

export type RequestBody =
  | { form: QueryInput }
  | { json: unknown; contentType?: string }
  | { text: string; contentType: string }
  /** Streamed bodies cannot be replayed, so such requests are never retried. */
  | { stream: Readable | AsyncIterable<Uint8Array>; contentType: string };

/** One HTTP exchange as the client's modules (and the bulk-export engine) describe it. */
export interface TransportRequest {
  method: HttpMethod;
  /** Absolute URL; its path and query are sent exactly as written. */
  url: string;
  /** Appended to `url`, encoded by the client's rules (`|` as %7C). */
  query?: QueryInput;
  headers?: Record<string, string>;
  body?: RequestBody;
  auth?: RequestAuth;
  signal?: AbortSignal;
  /** Defaults to true for GET/HEAD/PUT/DELETE; POST is never retried even when this says true. */
  retry?: boolean;
  /** Default true: a 4xx/5xx answer throws ApiError/AuthError; false hands it to the caller. */
  throwOnError?: boolean;
  /** Values in this request to mask in logs and to replace with $ONEUP_* in "copy as curl". */
  secrets?: readonly CurlSecret[];
  /** Counts against the app's user-management budget (300/hour). */
  userManagement?: boolean;
  accept?: string;
  /**
   * A large GET whose body will be read with `res.pump(sink)`: on a direct connection (no proxy)
   * it is read into reused buffers instead of undici's fresh buffer per socket read.
   */
  download?: boolean;
}

export interface WireOptions {
  userAgent: string;
  /** The environment's userManagementKeys: 'headers' sends the app keys of user-management calls as headers. */
  credentialsIn?: UserManagementKeys;
  /** The API host's origin: log lines for it show the path alone. */
  apiOrigin: string;
  logQueryValues: boolean;
}

/** A request as it goes on the wire, with its log target and curl rendering. */
export interface Wire {
  origin: string;
  /** The request target, sent as is. */
  path: string;
  url: URL;
  headers: Record<string, string>;
  body: string | Readable | undefined;
  logTarget: string;
  /** Path without query, token-like segments masked, for errors (query values may be secret). */
  errPath: string;
  curl: string;
}

/** Headers, credentials (by auth kind) and body of one try of a request. */
export function buildWire(req: TransportRequest, auth: RequestAuth, creds: AppCredentials | undefined, token: string | undefined, o: WireOptions): Wire {
  const headers: Record<string, string> = { 'user-agent': o.userAgent, accept: req.accept ?? 'application/json' };
  const secrets: CurlSecret[] = [...(req.secrets ?? [])];
  let query = queryPairs(req.query);
  let form = req.body && 'form' in req.body ? queryPairs(req.body.form) : undefined;
  if (creds) secrets.push(...credentialSecrets(creds));
  if (auth.kind === 'bearer' && token) {
    headers.authorization = `Bearer ${token}`;
    secrets.push({ value: token, kind: 'accessToken' });
  } else if (auth.kind === 'app' && creds) {
    Object.assign(headers, { client_id: creds.clientId, client_secret: creds.clientSecret, 'x-oneup-user-id': auth.oneupUserId ?? 'client' });
  }
  // the app keys as parameters, where the endpoint table puts them (user management: as headers if the environment says so)
  const place = auth.kind === 'none' ? undefined : auth.keys;
  if (place && creds) {
    const keys: [string, string][] = [['client_id', creds.clientId], ['client_secret', creds.clientSecret]];
    if (o.credentialsIn === 'headers' && req.userManagement) Object.assign(headers, Object.fromEntries(keys));
    else if (place === 'form') {
      if (req.body && !('form' in req.body)) throw new Error('app keys as form fields need a form body');
      form = [...(form ?? []), ...keys];
    } else query = [...query, ...keys];
  }
  let body: string | Readable | undefined;
  let curlBody: string | undefined;
  if (form) {
    headers['content-type'] = 'application/x-www-form-urlencoded';
    body = encodeQuery(form);
  } else if (req.body && 'json' in req.body) {
    headers['content-type'] = req.body.contentType ?? 'application/json';
    body = curlBody = JSON.stringify(req.body.json);
  } else if (req.body && 'text' in req.body) {
    headers['content-type'] = req.body.contentType;
    body = curlBody = req.body.text;
  } else if (req.body && 'stream' in req.body) {
    headers['content-type'] = req.body.contentType;
    body = req.body.stream instanceof Readable ? req.body.stream : Readable.from(req.body.stream);
  }
  for (const [k, v] of Object.entries(req.headers ?? {})) headers[k.toLowerCase()] = v;
  const full = withQuery(req.url, query);
  const { origin, path, parsed } = splitRaw(full);
  const host = o.apiOrigin === origin ? '' : parsed.host;
  const logTarget = host + pathForLog(path, o.logQueryValues);
  const curl = toCurl({ method: req.method, url: full, headers, form, body: curlBody, streamed: !!req.body && 'stream' in req.body, secrets });
  return { origin, path, url: parsed, headers, body, logTarget, errPath: maskUrlTokens(parsed.pathname), curl };
}

