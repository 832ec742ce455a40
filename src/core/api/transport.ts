import * as l10n from '@vscode/l10n';
import type { Dispatcher } from 'undici';
import type { Environment, FhirVersion } from '../environments';
import { AuthError, CancelledError, InputError, isNetworkError, NetworkError } from '../errors';
import { type Logger, masked, nullLogger, scoped, SecretMasker } from '../log';
import { type AppCredentials, type CredentialsProvider, needsKeys, type RequestAuth, requireCredentials } from './auth';
import type { RateBudget } from './budget';
import { RoutingDispatcher, type Timeouts } from './dispatcher';
import { displayProxy, type NetworkPolicy, type ProxySettings, settingsNetwork } from './network';
import { isInteractive } from './interactive';
import { isRetryableNetworkError, toNetworkError } from './netErrors';
import { errorFromBody, firstHeader, type Headers, readCapped, tooLarge, type TransportResponse, wrapResponse } from './response';
import { backoffMs, isIdempotent, MAX_RETRY_AFTER_SECONDS, parseRetryAfter, RETRY_STATUSES, sleep } from './retry';
import { buildWire, type TransportRequest, type WireOptions } from './wire';

export type { HttpMethod, RequestBody, TransportRequest } from './wire';

/** The last request for the UI's "Copy Last Call as curl"; holds no secret values. */
export interface LastCall {
  method: string;
  /** Path (and host when not the API host) with query values masked as in the log. */
  target: string;
  status?: number;
  error?: string;
  durationMs: number;
  /** The request as a curl command reading secrets from $ONEUP_* variables. */
  curl: string;
  /** The app user whose bearer token the request carried (ids only), for the curl command's environment. */
  user?: { oneupUserId?: string; appUserId?: string };
}

/** A clock seam so tests can see the waits the client chose without waiting them. */
export interface Clock {
  now(): number;
  sleep(ms: number, signal?: AbortSignal): Promise<void>;
  random(): number;
}
const realClock: Clock = { now: Date.now, sleep, random: Math.random };

/** Error bodies are read this far for their message; the rest is dropped. */
const ERROR_BODY_BYTES = 256 * 1024;

/** A public file fetched without credentials (`getPublic`). */
export interface PublicFile {
  status: number;
  /** The media type without parameters, lower case ('' when absent). */
  contentType: string;
  body: Buffer;
  /** The URL that answered (after redirects). */
  url: string;
}

export interface TransportOptions extends ProxySettings {
  environment: Environment;
  /** e.g. `vscode-oneup-health/0.1.0`. */
  userAgent: string;
  credentials: CredentialsProvider;
  logger?: Logger;
  /** Shared with the host so its log channel masks what the client learns. */
  masker?: SecretMasker;
  /** Connect, headers and body timeouts; each defaults to `requestTimeoutSeconds` (30). */
  requestTimeoutSeconds?: number;
  timeouts?: Partial<Timeouts>;
  /** Tries of an idempotent request (default 3). */
  maxTries?: number;
  maxRetryAfterSeconds?: number;
  retryBaseMs?: number;
  retryCapMs?: number;
  /** Show query values in the log (debug setting); secrets stay masked. */
  logQueryValues?: boolean;
  budget?: RateBudget;
  /**
   * Told of every request as it is sent (each try), in the async context of the code that made
   * it: the host attributes calls to the command that made them ("copy as curl").
   */
  onCall?: (call: LastCall) => void;
  /**
   * Proxy, certificates and proxy login per URL (in VS Code: VS Code's own). Without it the
   * `ProxySettings` fields (`proxy`, `noProxy`, `strictSSL`, `proxyAuthorization`, `env`) apply.
   */
  network?: NetworkPolicy;
  /** Largest JSON or text answer read into memory (default 64 MiB); larger ones fail with RESPONSE_TOO_LARGE. */
  maxResponseBytes?: number;
  /** A dispatcher to use instead of building one (tests: undici MockAgent). */
  dispatcher?: Dispatcher;
  clock?: Partial<Clock>;
}

/**
 * The one place that speaks HTTP to a 1upHealth environment: one keep-alive dispatcher, retries
 * of idempotent requests, bearer/app authentication, masked one-line logs, "copy as curl", and
 * credentials only ever sent to the environment's own origins.
 */
export class Transport {
  readonly environment: Environment;
  readonly masker: SecretMasker;
  /** Origins of apiUrl, fhirUrl, tokenUrl and bulkDataUrl: the only places credentials go. */
  readonly ownOrigins: readonly string[];
  private readonly dispatcher: Dispatcher;
  private readonly ownsDispatcher: boolean;
  /** The client's log: masked, prefixed `[api]`. */
  readonly logger: Logger;
  private readonly clock: Clock;
  private readonly timeouts: Timeouts;
  private last: LastCall | undefined;
  private readonly wireOptions: WireOptions;
  private readonly routes = new Set<string>();

  constructor(private readonly o: TransportOptions) {
    this.environment = o.environment;
    this.masker = o.masker ?? new SecretMasker();
    this.logger = scoped(masked(o.logger ?? nullLogger, this.masker), 'api');
    this.clock = { ...realClock, ...o.clock };
    const base = (o.requestTimeoutSeconds ?? 30) * 1000;
    const timeouts: Timeouts = { connectMs: base, headersMs: base, bodyMs: base, ...o.timeouts };
    this.timeouts = timeouts;
    this.ownsDispatcher = !o.dispatcher;
    if (o.dispatcher) this.dispatcher = o.dispatcher;
    else {
      const network = o.network ?? settingsNetwork(o);
      if (network.strictSSL === false) this.logger.warn(`${o.environment.name}: \`http.proxyStrictSSL\` is off: certificates that do not verify are accepted`);
      this.dispatcher = new RoutingDispatcher(network, timeouts, (origin, proxy) => this.logRoute(origin, proxy, network.source));
    }
    const env = o.environment;
    this.ownOrigins = [...new Set([env.apiUrl, env.fhirUrl, env.tokenUrl, env.bulkDataUrl].map((u) => new URL(u).origin))];
    this.wireOptions = { userAgent: o.userAgent, credentialsIn: o.environment.userManagementKeys, apiOrigin: this.ownOrigins[0], logQueryValues: !!o.logQueryValues };
  }

  /** `{fhirUrl}/{version}`, the base FHIR paths hang off. */
  fhirBase(version: FhirVersion): string {
    return `${this.environment.fhirUrl.replace(/\/+$/, '')}/${version}`;
  }

  /** `{bulkDataUrl}/{version}`, where `$export` lives. */
  bulkBase(version: FhirVersion): string {
    return `${this.environment.bulkDataUrl.replace(/\/+$/, '')}/${version}`;
  }

  /** `{apiUrl}{path}` for user management, connect and permissions. */
  apiUrl(path: string): string {
    return this.environment.apiUrl.replace(/\/+$/, '') + path;
  }

  isOwnOrigin(url: string): boolean {
    try {
      return this.ownOrigins.includes(new URL(url).origin);
    } catch {
      return false;
    }
  }

  /** Throws InputError unless `url` is on one of the environment's origins; `what` names the URL in the message (`'page link'`). */
  assertOwnOrigin(url: string, what = 'URL'): void {
    if (!this.isOwnOrigin(url)) throw new InputError(notOwnOrigin(what, safeOrigin(url), this.ownOrigins.join(', ')));
  }

  /** Resolves a possibly relative URL (a Content-Location, a link) against the URL it came with. */
  resolve(url: string, base: string): string {
    return new URL(url, base).href;
  }

  /** The app keys, or AuthError('missing-credentials'); the key is added to the log masker. */
  async appCredentials(): Promise<AppCredentials> {
    const c = await requireCredentials(this.o.credentials, this.environment.name);
    this.masker.add(c.clientSecret);
    return c;
  }

  /** The last request sent, for "Copy Last Call as curl". */
  get lastCall(): LastCall | undefined {
    return this.last;
  }

  /** Sends a request and answers once headers arrive; the caller reads (or dumps) the body. */
  request(req: TransportRequest): Promise<TransportResponse> {
    return this.exchange(req, async (res) => res);
  }

  /** Sends a request and parses the JSON answer (undefined for an empty body). Body failures are retried too. */
  requestJson<T>(req: TransportRequest): Promise<{ status: number; headers: Headers; data: T | undefined }> {
    return this.exchange(req, async (res) => ({ status: res.status, headers: res.headers, data: await res.json<T>() }));
  }

  /** Sends a request and reads the answer as text (HTML pages). */
  requestText(req: TransportRequest): Promise<{ status: number; headers: Headers; text: string }> {
    return this.exchange(req, async (res) => ({ status: res.status, headers: res.headers, text: await res.text() }));
  }

  /**
   * A GET without credentials on the same network path (proxy, certificates), for public files
   * such as health-system logos: up to 3 redirects over http(s), at most `maxBytes` read (more:
   * NetworkError RESPONSE_TOO_LARGE). Not a "last call": it is background work, logged once.
   */
  async getPublic(url: string, o: { accept: string; maxBytes: number; timeoutMs?: number; signal?: AbortSignal }): Promise<PublicFile> {
    const signals = [AbortSignal.timeout(o.timeoutMs ?? this.timeouts.headersMs), ...(o.signal ? [o.signal] : [])];
    const signal = AbortSignal.any(signals);
    let current = new URL(url);
    for (let hop = 0; ; hop++) {
      if (current.protocol !== 'https:' && current.protocol !== 'http:') throw new InputError(l10n.t({ message: 'Only http(s) URLs are fetched, not {0}', args: [current.protocol], comment: ['{0}: a URL scheme such as ftp:'] }));
      const where = `${current.origin}${current.pathname}`;
      let res: Dispatcher.ResponseData;
      try {
        res = await this.dispatcher.request({
          origin: current.origin, path: current.pathname + current.search, method: 'GET', signal,
          headers: { 'user-agent': this.o.userAgent, accept: o.accept },
        });
      } catch (e) {
        if (o.signal?.aborted) throw new CancelledError();
        throw toNetworkError(e, current, this.timeouts);
      }
      const location = firstHeader(res.headers as Headers, 'location');
      if (res.statusCode >= 300 && res.statusCode < 400 && location && hop < 3) {
        await res.body.dump().catch(() => undefined);
        current = new URL(location, current);
        continue;
      }
      const announced = Number(firstHeader(res.headers as Headers, 'content-length'));
      if (Number.isFinite(announced) && announced > o.maxBytes) {
        res.body.destroy();
        throw tooLarge('GET', where, o.maxBytes, announced);
      }
      const body = await readCapped(res.body, o.maxBytes, () => tooLarge('GET', where, o.maxBytes)).catch((e: unknown) => {
        throw e instanceof NetworkError ? e : toNetworkError(e, current, this.timeouts);
      });
      this.logger.info(`GET ${current.host}${current.pathname} → ${res.statusCode} (${body.length} bytes, no credentials)`);
      const contentType = (firstHeader(res.headers as Headers, 'content-type') ?? '').split(';')[0].trim().toLowerCase();
      return { status: res.statusCode, contentType, body, url: current.href };
    }
  }

  async dispose(): Promise<void> {
    if (this.ownsDispatcher) await this.dispatcher.close().catch(() => undefined);
  }

  private async exchange<R>(req: TransportRequest, consume: (res: TransportResponse) => Promise<R>): Promise<R> {
    const auth = req.auth ?? { kind: 'none' };
    if (auth.kind !== 'none') this.assertOwnOrigin(req.url, 'request URL');
    const creds = needsKeys(auth) || req.userManagement ? await requireCredentials(this.o.credentials, this.environment.name) : undefined;
    const streamed = !!req.body && 'stream' in req.body;
    const retryable = req.retry !== false && isIdempotent(req.method) && !streamed;
    // a load someone is watching gets one try (see interactive.ts); long work keeps its retries
    const maxTries = retryable && !isInteractive(req.signal) ? Math.max(1, this.o.maxTries ?? 3) : 1;
    const firstTry = this.clock.now();
    for (const s of req.secrets ?? []) if (s.kind !== 'clientId') this.masker.add(s.value);
    if (creds) this.masker.add(creds.clientSecret);
    let token = auth.kind === 'bearer' ? await auth.source.accessToken(req.signal) : undefined;
    let renewed = false;
    for (let attempt = 1; ; attempt++) {
      if (req.signal?.aborted) throw new CancelledError();
      if (token) this.masker.add(token);
      const wire = buildWire(req, auth, creds, token, this.wireOptions);
      const t0 = this.clock.now();
      const note = attempt > 1 ? ` (try ${attempt}/${maxTries})` : '';
      const call: LastCall = { method: req.method, target: wire.logTarget, durationMs: 0, curl: wire.curl, ...(auth.kind === 'bearer' && auth.source.user ? { user: { ...auth.source.user } } : {}) };
      this.last = call;
      this.o.onCall?.(call);
      const finish = (line: string, ms: number, outcome: number | string, problem = false) => {
        if (problem) this.logger.warn(line);
        else this.logger.info(line);
        call.durationMs = ms;
        if (typeof outcome === 'number') call.status = outcome;
        else call.error = outcome;
      };
      let res: TransportResponse;
      try {
        const r = await this.dispatcher.request({
          origin: wire.origin, path: wire.path, method: req.method, headers: wire.headers, body: wire.body, signal: req.signal,
        });
        res = wrapResponse(r.statusCode, r.headers as Headers, r.body as never, {
          method: req.method, url: wire.url, logPath: wire.errPath, timeouts: this.timeouts, signal: req.signal, maxBytes: this.o.maxResponseBytes,
        });
      } catch (e) {
        const ms = this.clock.now() - t0;
        if (req.signal?.aborted) {
          // an interactive load's deadline aborts with the timeout it reports (interactive.ts)
          const reason: unknown = req.signal.reason;
          if (isNetworkError(reason)) {
            finish(`${req.method} ${wire.logTarget} → ${reason.code} after ${ms} ms${note}`, ms, reason.code, true);
            throw reason;
          }
          finish(`${req.method} ${wire.logTarget} → cancelled after ${ms} ms${note}`, ms, 'cancelled');
          throw new CancelledError();
        }
        const ne = toNetworkError(e, wire.url, this.timeouts);
        if (req.userManagement && creds) this.o.budget?.record(creds.clientId);
        const again = attempt < maxTries && isRetryableNetworkError(ne);
        const wait = again ? backoffMs(attempt, this.backoff()) : 0;
        finish(`${req.method} ${wire.logTarget} → ${ne.code} after ${ms} ms${note}${again ? `, retrying in ${wait} ms` : ''}`, ms, ne.code, true);
        if (!again) throw attempt > 1 ? afterTries(ne, attempt, this.clock.now() - firstTry) : ne;
        await this.clock.sleep(wait, req.signal);
        continue;
      }
      const ms = this.clock.now() - t0;
      const retryAfter = parseRetryAfter(res.header('retry-after'), this.clock.now(), this.o.maxRetryAfterSeconds ?? MAX_RETRY_AFTER_SECONDS);
      if (req.userManagement && creds) {
        if (res.status === 429) this.o.budget?.exhausted(creds.clientId, retryAfter);
        else this.o.budget?.record(creds.clientId);
      }
      if (res.status === 401 && auth.kind === 'bearer' && token && !renewed && !streamed) {
        finish(`${req.method} ${wire.logTarget} → 401 in ${ms} ms${note}, renewing the token`, ms, 401, true);
        await res.dump();
        renewed = true;
        token = await auth.source.renew(token, req.signal);
        attempt--;
        continue;
      }
      const again = attempt < maxTries && RETRY_STATUSES.has(res.status);
      const wait = again ? (retryAfter !== undefined ? retryAfter * 1000 : backoffMs(attempt, this.backoff())) : 0;
      finish(`${req.method} ${wire.logTarget} → ${res.status} in ${ms} ms${note}${again ? `, retrying in ${wait} ms` : ''}`, ms, res.status, res.status >= 400);
      if (again) {
        await res.dump();
        await this.clock.sleep(wait, req.signal);
        continue;
      }
      if (res.status >= 400 && req.throwOnError !== false) throw await this.failure(res, req, auth, wire.errPath, retryAfter);
      try {
        return await consume(res);
      } catch (e) {
        const bodyFailed = e instanceof NetworkError && isRetryableNetworkError(e);
        if (!bodyFailed || attempt >= maxTries) throw e;
        const wait = backoffMs(attempt, this.backoff());
        this.logger.warn(`${req.method} ${wire.logTarget}: the answer broke off (${e.code}), retrying in ${wait} ms`);
        await this.clock.sleep(wait, req.signal);
      }
    }
  }

  private async failure(res: TransportResponse, req: TransportRequest, auth: RequestAuth, errPath: string, retryAfter?: number): Promise<Error> {
    const raw = await res.head(ERROR_BODY_BYTES).catch(() => '');
    // the message may echo the client secret even on a call that did not send it
    await this.o.credentials().then((c) => this.masker.add(c?.clientSecret), () => undefined);
    const err = errorFromBody(res.status, req.method, errPath, raw, retryAfter, (t) => this.masker.mask(t));
    if (res.status === 401 && auth.kind === 'bearer') {
      return new AuthError('token-rejected', l10n.t({ message: 'The access token was refused ({0}).', args: [err.message], comment: ['{0}: the server\'s message'] }), 401);
    }
    if (res.status === 401 && (auth.kind === 'app' || auth.kind === 'app-keys')) {
      return new AuthError('invalid-credentials', l10n.t({ message: '1upHealth did not accept the client_id and client_secret ({0}).', args: [err.message], comment: ['{0}: the server\'s message'] }), 401);
    }
    return err;
  }

  /** One log line per route the client takes (proxied ones at info, direct ones at debug). */
  private logRoute(origin: string, proxy: string | undefined, source = 'the proxy settings'): void {
    const key = `${origin} ${proxy ?? ''}`;
    if (this.routes.has(key)) return;
    this.routes.add(key);
    if (proxy) this.logger.info(`requests to ${origin} go through the proxy ${displayProxy(proxy)} (from ${source})`);
    else this.logger.debug(`requests to ${origin} go directly (from ${source})`);
  }

  private backoff() {
    return { baseMs: this.o.retryBaseMs ?? 500, capMs: this.o.retryCapMs ?? 8000, random: this.clock.random };
  }
}

/** The last try's error, saying how many tries it took and how long they took in all (not one try's timeout). */
function afterTries(e: NetworkError, tries: number, ms: number): NetworkError {
  const seconds = Math.round(ms / 1000);
  const message = e.message.endsWith('.')
    ? l10n.t({ message: '{0} ({1} tries, {2} s in all).', args: [e.message.slice(0, -1), tries, seconds], comment: ['{0}: a network error message (without its full stop); {1}: a number of tries (2 or more); {2}: seconds'] })
    : l10n.t({ message: '{0} ({1} tries, {2} s in all)', args: [e.message, tries, seconds], comment: ['{0}: a network error message (without its full stop); {1}: a number of tries (2 or more); {2}: seconds'] });
  return new NetworkError(e.code, message, e.hint, { cause: e.cause });
}

/** The message of a URL refused for its origin; `what` as `assertOwnOrigin`'s callers name it. */
function notOwnOrigin(what: string, origin: string, hosts: string): string {
  switch (what) {
    case 'URL': return l10n.t({ message: 'The URL {0} is not on this environment\'s hosts ({1}); it was not requested.', args: [origin, hosts], comment: ['{0}: an origin such as https://example.com; {1}: the environment\'s origins'] });
    case 'request URL': return l10n.t({ message: 'The request URL {0} is not on this environment\'s hosts ({1}); it was not requested.', args: [origin, hosts], comment: ['{0}: an origin such as https://example.com; {1}: the environment\'s origins'] });
    case 'page link': return l10n.t({ message: 'The page link {0} is not on this environment\'s hosts ({1}); it was not requested.', args: [origin, hosts], comment: ['{0}: an origin such as https://example.com; {1}: the environment\'s origins'] });
    default: return l10n.t({ message: 'The {0} {1} is not on this environment\'s hosts ({2}); it was not requested.', args: [what, origin, hosts], comment: ['{0}: what the URL is; {1}: an origin such as https://example.com; {2}: the environment\'s origins'] });
  }
}

function safeOrigin(url: string): string {
  try {
    return new URL(url).origin;
  } catch {
    return JSON.stringify(url.slice(0, 80));
  }
}
