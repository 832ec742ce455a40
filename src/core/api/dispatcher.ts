import * as l10n from '@vscode/l10n';
import * as tls from 'node:tls';
import { Agent, Client, Dispatcher, Pool, ProxyAgent } from 'undici';
import { displayProxy, type NetworkPolicy } from './network';
import { ProxyError } from './netErrors';

export interface Timeouts {
  connectMs: number;
  headersMs: number;
  bodyMs: number;
}

type Handler = Dispatcher.DispatchHandler;
type DispatchFn = Dispatcher.Dispatch;

/** TLS options every connection of a client shares: the trusted roots and `http.proxyStrictSSL`. */
interface TlsOptions {
  ca?: string[];
  secureContext?: tls.SecureContext;
  rejectUnauthorized?: boolean;
}

// Building a context from ~250 roots costs 50-150 ms of CPU: once per certificate list, not per
// connection, and kept across clients (a settings change rebuilds the client, not the roots).
const contexts = new WeakMap<readonly string[], { ca: string[]; secureContext: tls.SecureContext } | null>();

const pemKey = (pem: string) => pem.replace(/-----[^-]+-----|\s+/g, '');

function nodeRoots(): string[] {
  // 'default' = Node's bundled roots plus NODE_EXTRA_CA_CERTS (and the OS store with --use-system-ca)
  return typeof tls.getCACertificates === 'function' ? tls.getCACertificates('default') : [...tls.rootCertificates];
}

/** Node's roots plus the policy's extra certificates, as one reusable secure context (or none when nothing is added). */
function trustedRoots(extra: readonly string[] | undefined) {
  if (!extra?.length) return undefined;
  let entry = contexts.get(extra);
  if (entry === undefined) {
    const roots = nodeRoots();
    const known = new Set(roots.map(pemKey));
    const added = [...new Map(extra.filter((c) => !known.has(pemKey(c))).map((c) => [pemKey(c), c])).values()];
    const ca = [...roots, ...added];
    entry = added.length ? { ca, secureContext: tls.createSecureContext({ ca }) } : null;
    contexts.set(extra, entry);
  }
  return entry ?? undefined;
}

const MAX_PROXY_AUTH_TRIES = 3;

function headerList(v: string | string[] | undefined): string[] {
  return v === undefined ? [] : Array.isArray(v) ? v : [v];
}

function withProxyAuthorization(opts: Dispatcher.DispatchOptions, value: string): Dispatcher.DispatchOptions {
  const headers = { ...(opts.headers as Record<string, string> | undefined) };
  for (const k of Object.keys(headers)) if (k.toLowerCase() === 'proxy-authorization') delete headers[k];
  headers['proxy-authorization'] = value;
  return { ...opts, headers };
}

/**
 * The CONNECT side of proxy authentication: a tunnel answered 407 asks the policy for a
 * Proxy-Authorization (Kerberos, Basic) and tries again; the value found is sent on the next
 * tunnels to this proxy up front. Any other refusal becomes a ProxyError naming the proxy.
 */
function tunnelAuth(proxyUrl: string, policy: NetworkPolicy, logins: Map<string, string>) {
  return (dispatch: DispatchFn): DispatchFn => function connect(opts, handler) {
    if (opts.method !== 'CONNECT') return dispatch(opts, handler);
    const attempt = (o: Dispatcher.DispatchOptions, tries: number): boolean => dispatch(o, {
      onRequestStart: (c, ctx) => handler.onRequestStart?.(c, ctx),
      onResponseStart: (c, s, h, m) => handler.onResponseStart?.(c, s, h, m),
      onResponseData: (c, d) => handler.onResponseData?.(c, d),
      onResponseEnd: (c, t) => handler.onResponseEnd?.(c, t),
      onResponseError: (c, e) => handler.onResponseError?.(c, e),
      onRequestUpgrade(c, status, headers, socket) {
        if (status === 200) return handler.onRequestUpgrade?.(c, status, headers, socket);
        socket.destroy();
        const challenges = headerList((headers as Record<string, string | string[] | undefined>)['proxy-authenticate']);
        const fail = (e?: unknown) => handler.onResponseError?.(c, e instanceof Error ? e : new ProxyError(status, displayProxy(proxyUrl), challenges));
        if (status !== 407 || !policy.lookupProxyAuthorization || tries >= MAX_PROXY_AUTH_TRIES) return fail();
        policy.lookupProxyAuthorization(proxyUrl, challenges, tries + 1).then((value) => {
          if (!value) return fail();
          logins.set(proxyUrl, value);
          attempt(withProxyAuthorization(opts, value), tries + 1);
        }, fail);
      },
    });
    const known = logins.get(proxyUrl);
    return attempt(known ? withProxyAuthorization(opts, known) : opts, 0);
  };
}

/**
 * Names the proxy in the errors of a request that went through it (the message can then say so).
 * `relogin`, when given, takes over a forwarded request the proxy answered 407.
 */
function throughProxy(handler: Handler, proxy: string, relogin?: () => void): Handler {
  const h = handler;
  const out: Handler = {
    onResponseError(c, e) {
      if (e && typeof e === 'object' && !(e instanceof ProxyError)) {
        // a forwarded plain-http request hears the proxy's 407 as a response undici turns into this
        if (/Proxy Authentication Required/.test(e.message)) {
          if (relogin) return relogin();
          e = new ProxyError(407, proxy, []);
        }
        else Object.defineProperty(e, 'viaProxy', { value: proxy, enumerable: false, configurable: true });
      }
      return h.onResponseError?.(c, e);
    },
  };
  // only the callbacks the real handler has: undici looks at which ones exist
  for (const k of ['onRequestStart', 'onRequestUpgrade', 'onResponseStart', 'onResponseData', 'onResponseEnd', 'onRequestSent', 'onBodySent'] as const) {
    const fn = h[k] as ((...a: unknown[]) => unknown) | undefined;
    if (typeof fn === 'function') (out as Record<string, unknown>)[k] = (...a: unknown[]) => fn.apply(h, a);
  }
  return out;
}

/**
 * One dispatcher for one client: every request asks the network policy for its proxy (so PAC
 * rules and `http.noProxy` apply per URL) and goes out on a kept-alive direct connection or
 * through that proxy (CONNECT tunnels for https, forwarding for http), trusting Node's roots plus
 * the policy's certificates. Keep-alive without pipelining: 1up's servers gain nothing from it
 * and a stalled pipelined request would delay the ones behind it.
 */
export class RoutingDispatcher extends Dispatcher {
  private readonly agents = new Map<string, Dispatcher>();
  /** Logins proxies accepted (from a 407), by proxy URL: sent up front from then on. */
  private readonly logins = new Map<string, string>();
  private tlsOptions: Promise<TlsOptions> | undefined;
  private closed = false;

  constructor(
    private readonly policy: NetworkPolicy,
    private readonly timeouts: Timeouts,
    /** Told where each request goes (undefined: direct), e.g. to log each route once. */
    private readonly onRoute?: (origin: string, proxy: string | undefined) => void,
  ) {
    super();
  }

  override dispatch(opts: Dispatcher.DispatchOptions, handler: Handler): boolean {
    if (this.closed) {
      handler.onResponseError?.(null as never, Object.assign(new Error('The client was closed.'), { code: 'UND_ERR_CLOSED' }));
      return true;
    }
    this.send(opts, handler, 0);
    return true;
  }

  private send(opts: Dispatcher.DispatchOptions, handler: Handler, tries: number): void {
    const origin = String(opts.origin ?? '').replace(/\/+$/, '');
    const url = origin + (opts.path ?? '/');
    this.route(origin, opts.path ?? '/').then(({ target, proxy }) => {
      if (!proxy) return void target.dispatch(opts, handler);
      const body = opts.body;
      const replayable = body === undefined || body === null || typeof body === 'string' || body instanceof Uint8Array;
      // a forwarded plain-http request learns the proxy's challenge and tries again with a login
      const relogin = origin.startsWith('http:') && replayable && this.policy.lookupProxyAuthorization && tries < MAX_PROXY_AUTH_TRIES
        ? () => void this.relogin(proxy, url, tries + 1).then(
          () => this.send(opts, handler, tries + 1),
          (e: unknown) => handler.onResponseError?.(null as never, e as Error))
        : undefined;
      target.dispatch(opts, throughProxy(handler, displayProxy(proxy), relogin));
    }).catch((e: unknown) => handler.onResponseError?.(null as never, e as Error));
  }

  /** Asks the proxy for its challenge (a forwarded 407 loses it) and the policy for a login to it. */
  private async relogin(proxy: string, url: string, attempt: number): Promise<void> {
    const known = this.logins.get(proxy) ?? this.policy.proxyAuthorization;
    const probe = new Client(new URL(proxy).origin, { connect: await (this.tlsOptions ??= this.loadTls()) });
    let challenges: string[] = [];
    try {
      const res = await probe.request({ method: 'HEAD', path: url, headers: { host: new URL(url).host, ...(known ? { 'proxy-authorization': known } : {}) } });
      await res.body.dump();
      if (res.statusCode !== 407) return;
      challenges = headerList(res.headers['proxy-authenticate']);
    } finally {
      await probe.close().catch(() => undefined);
    }
    const value = challenges.length ? await this.policy.lookupProxyAuthorization?.(proxy, challenges, attempt) : undefined;
    if (!value) throw new ProxyError(407, displayProxy(proxy), challenges);
    this.logins.set(proxy, value);
  }

  private async route(origin: string, path: string): Promise<{ target: Dispatcher; proxy?: string }> {
    const proxy = await this.policy.resolveProxy(origin + path);
    this.onRoute?.(origin, proxy);
    const secure = origin.startsWith('https:') || !!proxy?.startsWith('https:');
    const trust = secure ? await (this.tlsOptions ??= this.loadTls()) : undefined;
    if (this.closed) throw Object.assign(new Error('The client was closed.'), { code: 'UND_ERR_CLOSED' });
    // a login learned from the proxy makes a new agent that sends it on forwarded requests too
    const key = `${proxy ?? 'direct'}|${secure}|${proxy ? this.logins.get(proxy) ?? '' : ''}`;
    let target = this.agents.get(key);
    if (!target) {
      target = proxy ? this.proxyAgent(proxy, trust) : new Agent({ ...this.common(), ...(trust ? { connect: trust } : {}) });
      this.agents.set(key, target);
    }
    return { target, proxy };
  }

  private async loadTls(): Promise<TlsOptions> {
    const roots = trustedRoots(await this.policy.caCertificates?.());
    return {
      // `ca` is what the context was built from; it also tells VS Code's tls patch the roots are set
      ...(roots ? { ca: roots.ca, secureContext: roots.secureContext } : {}),
      ...(this.policy.strictSSL === false ? { rejectUnauthorized: false } : {}),
    };
  }

  private common() {
    return {
      pipelining: 1,
      keepAliveTimeout: 10_000,
      connectTimeout: this.timeouts.connectMs,
      headersTimeout: this.timeouts.headersMs,
      bodyTimeout: this.timeouts.bodyMs,
    };
  }

  private proxyAgent(proxy: string, trust: TlsOptions | undefined): Dispatcher {
    let agent: ProxyAgent;
    try {
      agent = new ProxyAgent({
        uri: proxy,
        ...this.common(),
        ...(this.logins.get(proxy) ?? this.policy.proxyAuthorization ? { token: this.logins.get(proxy) ?? this.policy.proxyAuthorization } : {}),
        ...(trust ? { requestTls: trust, proxyTls: trust } : {}),
        clientFactory: (origin, o) => new Pool(origin, o).compose(tunnelAuth(proxy, this.policy, this.logins)),
      });
    } catch (e) {
      throw new ProxyError(0, displayProxy(proxy), [], l10n.t('The proxy {0} cannot be used: {1}', displayProxy(proxy), (e as Error).message));
    }
    return agent;
  }

  override close(): Promise<void>;
  override close(callback: () => void): void;
  override close(callback?: () => void): Promise<void> | void {
    this.closed = true;
    const done = Promise.all([...this.agents.values()].map((a) => a.close().catch(() => undefined))).then(() => undefined);
    if (!callback) return done;
    void done.then(callback);
  }

  override destroy(): Promise<void>;
  override destroy(err: Error | null): Promise<void>;
  override destroy(callback: () => void): void;
  override destroy(err: Error | null, callback: () => void): void;
  override destroy(a?: Error | null | (() => void), b?: () => void): Promise<void> | void {
    this.closed = true;
    const err = typeof a === 'function' ? null : a ?? null;
    const callback = typeof a === 'function' ? a : b;
    const done = Promise.all([...this.agents.values()].map((d) => d.destroy(err).catch(() => undefined))).then(() => undefined);
    if (!callback) return done;
    void done.then(callback);
  }
}
