import * as l10n from '@vscode/l10n';

/**
 * Where a request's connection goes and what it trusts: the host decides, the client's undici
 * dispatcher obeys. In VS Code the host answers with VS Code's own proxy resolution (settings,
 * environment, PAC/system proxy), OS certificates and proxy authentication; elsewhere (scripts,
 * tests) `settingsNetwork` applies the same rules to plain values.
 */
export interface NetworkPolicy {
  /**
   * The proxy for a URL (`http://`, `https://` or `socks5://`, credentials allowed in the URL), or
   * undefined for a direct connection. Asked for every request, so PAC rules per URL apply.
   */
  resolveProxy(url: string): Promise<string | undefined>;
  /**
   * Certificates (PEM) to trust besides Node's own roots, e.g. the OS store's (a TLS-inspecting
   * proxy's CA lives there); undefined or empty: Node's roots only. Read once per client.
   */
  caCertificates?(): Promise<readonly string[] | undefined>;
  /** VS Code's `http.proxyStrictSSL`: false accepts certificates that do not verify. Default true. */
  strictSSL?: boolean;
  /** VS Code's `http.proxyAuthorization`: the Proxy-Authorization header sent to every proxy. */
  proxyAuthorization?: string;
  /**
   * Asked when a proxy answers 407: the Proxy-Authorization to try (Kerberos `Negotiate …`,
   * `Basic …`), or undefined to give up. `attempt` counts tries for this proxy in one request.
   */
  lookupProxyAuthorization?(proxyUrl: string, challenges: readonly string[], attempt: number): Promise<string | undefined>;
  /** Where the proxy decisions come from, for the log ("VS Code's proxy settings"). */
  readonly source?: string;
}

/** The proxy settings `settingsNetwork` applies (the names of VS Code's settings). */
export interface ProxySettings {
  /** `http.proxy`, e.g. `http://user:pass@proxy.corp:3128`; wins over the environment variables. */
  proxy?: string;
  /** `http.noProxy` entries; when empty, NO_PROXY from `env` is used instead. */
  noProxy?: readonly string[];
  /** `http.proxyStrictSSL` (default true). */
  strictSSL?: boolean;
  /** `http.proxyAuthorization`. */
  proxyAuthorization?: string;
  /** Where HTTPS_PROXY / HTTP_PROXY / NO_PROXY are read (default `process.env`). */
  env?: Readonly<Record<string, string | undefined>>;
}

const LOOPBACK = new Set(['localhost', '127.0.0.1', '::1', '::ffff:127.0.0.1']);

/** A loopback name VS Code never proxies (a proxy cannot reach the developer's own 127.0.0.1). */
export function isLoopbackHost(hostname: string): boolean {
  return LOOPBACK.has(hostname.replace(/^\[|\]$/g, '').toLowerCase());
}

/**
 * A proxy setting's value as a URL undici takes, or undefined when it names no usable proxy
 * (VS Code ignores values without a known scheme too).
 */
export function proxyUrlFromSetting(value: string | undefined): string | undefined {
  const v = value?.trim();
  if (!v) return undefined;
  const m = /^([a-z0-9+.-]+):\/\//i.exec(v);
  const scheme = m?.[1].toLowerCase();
  if (scheme === 'http' || scheme === 'https') return v;
  if (scheme === 'socks' || scheme === 'socks5' || scheme === 'socks5h') return `socks5://${v.slice(m![0].length)}`;
  return undefined;
}

/**
 * NO_PROXY / `http.noProxy` matching as VS Code does it: `*` bypasses everything, `name` matches the
 * host and its subdomains (`.name` only subdomains and itself), `name:port` only that port.
 */
export function bypassesProxy(entries: readonly string[], hostname: string, port: string): boolean {
  const list = entries.map((e) => e.trim().toLowerCase()).filter(Boolean);
  if (list.includes('*')) return true;
  const host = `.${hostname.replace(/^\[|\]$/g, '').toLowerCase()}`;
  return list.some((entry) => {
    const [name, entryPort] = entry.split(':', 2);
    if (!name) return false;
    const domain = name.startsWith('.') ? name : `.${name}`;
    return host.endsWith(domain) && (!entryPort || entryPort === port);
  });
}

/**
 * VS Code's proxy rules over plain values (no PAC, no system proxy): loopback goes direct, then
 * `noProxy` (or NO_PROXY when that is empty), then `proxy`, then HTTPS_PROXY / HTTP_PROXY.
 */
export function resolveBySettings(url: string, s: ProxySettings): string | undefined {
  const env = s.env ?? process.env;
  const u = new URL(url);
  const hostname = u.hostname.replace(/^\[|\]$/g, '');
  if (isLoopbackHost(hostname)) return undefined;
  const port = u.port || (u.protocol === 'https:' ? '443' : '80');
  const configured = (s.noProxy ?? []).filter((e) => e.trim());
  const noProxy = configured.length ? configured : (env.no_proxy ?? env.NO_PROXY ?? '').split(',');
  if (bypassesProxy(noProxy, hostname, port)) return undefined;
  return proxyUrlFromSetting(s.proxy) ?? proxyUrlFromSetting(env.https_proxy || env.HTTPS_PROXY || env.http_proxy || env.HTTP_PROXY);
}

/** A policy from plain proxy settings (scripts, tests, and VS Code when its resolver is not reachable). */
export function settingsNetwork(s: ProxySettings = {}): NetworkPolicy {
  return {
    resolveProxy: async (url) => resolveBySettings(url, s),
    strictSSL: s.strictSSL,
    proxyAuthorization: s.proxyAuthorization || undefined,
    source: 'the proxy settings',
  };
}

/** A proxy URL fit for a log line or a message: no credentials. */
export function displayProxy(proxyUrl: string): string {
  try {
    const u = new URL(proxyUrl);
    return `${u.protocol}//${u.host}`;
  } catch {
    return l10n.t('the proxy');
  }
}
