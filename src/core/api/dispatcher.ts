import { Agent, EnvHttpProxyAgent, type Dispatcher } from 'undici';

export interface Timeouts {
  connectMs: number;
  headersMs: number;
  bodyMs: number;
}

export interface ProxyOptions {
  /** VS Code's `http.proxy` (e.g. `http://user:pass@proxy.corp:3128`); wins over the environment variables. */
  proxy?: string;
  /** VS Code's `http.proxyStrictSSL`: false accepts a proxy's (and through it the server's) untrusted certificate. */
  strictSSL?: boolean;
  /** Hosts that bypass the proxy (NO_PROXY syntax); defaults to NO_PROXY from `env`. */
  noProxy?: string;
  /** Where HTTPS_PROXY / HTTP_PROXY / NO_PROXY are read (default `process.env`). */
  env?: Readonly<Record<string, string | undefined>>;
  /** Tunnel plain http:// targets through CONNECT too (undici 8 forwards them by default). */
  proxyTunnel?: boolean;
}

// A local sandbox lives on loopback; a corporate proxy cannot reach the developer's own 127.0.0.1.
const LOOPBACK = ['localhost', '127.0.0.1', '::1'];

export function isLoopbackHost(hostname: string): boolean {
  return LOOPBACK.includes(hostname.replace(/^\[|\]$/g, ''));
}

/** Which proxy a dispatcher uses; for the log line that says so once. */
export interface ProxyChoice {
  httpProxy?: string;
  httpsProxy?: string;
  noProxy: string;
}

export function proxyChoice(o: ProxyOptions): ProxyChoice | undefined {
  const env = o.env ?? process.env;
  const httpProxy = o.proxy || env.http_proxy || env.HTTP_PROXY || undefined;
  const httpsProxy = o.proxy || env.https_proxy || env.HTTPS_PROXY || httpProxy;
  if (!httpProxy && !httpsProxy) return undefined;
  const listed = o.noProxy ?? env.no_proxy ?? env.NO_PROXY ?? '';
  const entries = listed.split(/[,\s]+/).filter(Boolean);
  for (const l of LOOPBACK) if (!entries.includes(l)) entries.push(l);
  return { httpProxy, httpsProxy, noProxy: entries.join(',') };
}

/** TLS trust where a proxy is configured: `http.proxyStrictSSL: false` accepts untrusted certificates. */
export function proxiedTls(o: ProxyOptions): { rejectUnauthorized?: boolean } {
  return o.strictSSL === false ? { rejectUnauthorized: false } : {};
}

/**
 * One undici dispatcher for one environment: keep-alive connections without pipelining (1up's
 * servers gain nothing from it and a stalled pipelined request delays the ones behind it), the
 * configured timeouts, and a proxy when `http.proxy` or the proxy variables ask for one.
 */
export function createDispatcher(timeouts: Timeouts, o: ProxyOptions): Dispatcher {
  const common = {
    pipelining: 1,
    keepAliveTimeout: 10_000,
    connectTimeout: timeouts.connectMs,
    headersTimeout: timeouts.headersMs,
    bodyTimeout: timeouts.bodyMs,
  };
  const choice = proxyChoice(o);
  if (!choice) return new Agent(common);
  const tls = proxiedTls(o);
  return new EnvHttpProxyAgent({
    ...common,
    // '' rather than undefined: undici would otherwise fall back to process.env on its own
    httpProxy: choice.httpProxy ?? '',
    httpsProxy: choice.httpsProxy ?? '',
    noProxy: choice.noProxy,
    proxyTls: tls,
    requestTls: tls,
    proxyTunnel: o.proxyTunnel ?? false,
  });
}
