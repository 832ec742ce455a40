import * as path from 'node:path';
import * as tls from 'node:tls';
import { X509Certificate } from 'node:crypto';
import * as vscode from 'vscode';
import type { NetworkPolicy } from '../core/api/network';
import { proxyUrlFromSetting, resolveBySettings } from '../core/api/network';
import type { Logger, SecretMasker } from '../core/log';
import type { ProxyLogins } from './proxyLogin';

/**
 * The extension's network path follows VS Code's own, so a request reaches 1upHealth wherever
 * VS Code's requests do. VS Code patches Node's http/https/net/tls and the global fetch in the
 * extension host (`@vscode/proxy-agent`), but a bundled undici opens its sockets itself and gets
 * none of it. So the client's undici dispatcher asks, per request:
 * - the proxy: VS Code's own resolver (the function VS Code installs on its `@vscode/proxy-agent`
 *   module): `http.proxy`, `http.noProxy`, the proxy environment variables, and the OS proxy
 *   configuration / PAC file through the main process, with VS Code's cache. If that module
 *   cannot be found (another VS Code build), the same rules apply without the OS/PAC step.
 *   `http.proxySupport: off` means no proxy, as it means for extensions VS Code patches.
 * - the certificates: Node's roots plus the OS store when `http.systemCertificates` is on,
 *   loaded by VS Code's own loader (shared, cached, `http.systemCertificatesNode`) or by Node.
 * - `http.proxyStrictSSL` and `http.proxyAuthorization`, which VS Code applies to its own requests.
 * - proxy logins on a 407: Kerberos through VS Code's `kerberos` module
 *   (`http.proxyKerberosServicePrincipal`), Basic by asking the user once (kept in SecretStorage).
 */
interface ProxyAgentModule {
  resolveProxyURL?(url: string): Promise<string | undefined>;
  loadSystemCertificates?(params: { loadSystemCertificatesFromNode: () => boolean | undefined; log: Record<'trace' | 'debug' | 'info' | 'warn' | 'error', (...a: unknown[]) => void> }): Promise<string[]>;
}

interface KerberosModule {
  initializeClient(spn: string): Promise<{ step(challenge: string): Promise<string> }>;
}

/** A module of VS Code's own: the instance VS Code loaded (and configured) if it is in the require cache. */
function vscodeModule<T>(name: string, fits: (m: unknown) => boolean): T | undefined {
  const root = vscode.env.appRoot;
  const tail = `${path.sep}node_modules${path.sep}${name.split('/').join(path.sep)}${path.sep}`;
  for (const [file, mod] of Object.entries(require.cache)) {
    if (root && file.startsWith(root) && file.includes(tail) && mod && fits(mod.exports)) return mod.exports as T;
  }
  for (const dir of ['node_modules', 'node_modules.asar']) {
    try {
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      const m: unknown = require(path.join(root, dir, name));
      if (fits(m)) return m as T;
    } catch {
      // not in this layout
    }
  }
  return undefined;
}

const proxyAgent = (): ProxyAgentModule | undefined =>
  vscodeModule<ProxyAgentModule>('@vscode/proxy-agent', (m) => typeof (m as ProxyAgentModule | undefined)?.resolveProxyURL === 'function');

function http<T>(key: string, fallback: T): T {
  return vscode.workspace.getConfiguration('http').get<T>(key) ?? fallback;
}

/** The settings a client is built from: a change to any of them rebuilds it. */
export function networkSettingsKey(): string {
  const keys = ['proxy', 'noProxy', 'proxySupport', 'proxyStrictSSL', 'proxyAuthorization', 'systemCertificates', 'systemCertificatesNode', 'proxyKerberosServicePrincipal'];
  return JSON.stringify(keys.map((k) => vscode.workspace.getConfiguration('http').get(k)));
}

let certificates: { node: boolean; list: Promise<readonly string[]> } | undefined;

/** The OS store's certificates, loaded once per extension host (and per `http.systemCertificatesNode`). */
function systemCertificates(logger: Logger): Promise<readonly string[]> {
  const fromNode = http<boolean>('systemCertificatesNode', true);
  if (certificates?.node === fromNode) return certificates.list;
  const log = { trace: () => undefined, debug: () => undefined, info: () => undefined, warn: (...a: unknown[]) => logger.warn(`[network] ${a.join(' ')}`), error: (...a: unknown[]) => logger.warn(`[network] ${a.join(' ')}`) };
  const load = async (): Promise<readonly string[]> => {
    const vscodeLoader = proxyAgent()?.loadSystemCertificates;
    if (vscodeLoader) return vscodeLoader({ loadSystemCertificatesFromNode: () => fromNode, log });
    if (typeof tls.getCACertificates !== 'function') return [];
    const now = Date.now();
    return tls.getCACertificates('system').filter((pem) => {
      try {
        return Date.parse(new X509Certificate(pem).validTo) > now;
      } catch {
        return false;
      }
    });
  };
  const list = load().catch((e: unknown) => {
    logger.warn(`[network] the OS certificates could not be read: ${e instanceof Error ? e.message : String(e)}`);
    return [] as readonly string[];
  });
  certificates = { node: fromNode, list };
  return list;
}

async function kerberosAuthorization(proxyUrl: string, logger: Logger): Promise<string | undefined> {
  const kerberos = vscodeModule<KerberosModule>('kerberos', (m) => typeof (m as KerberosModule | undefined)?.initializeClient === 'function');
  if (!kerberos) return undefined;
  const host = new URL(proxyUrl).hostname;
  const spn = http<string>('proxyKerberosServicePrincipal', '') || (process.platform === 'win32' ? `HTTP/${host}` : `HTTP@${host}`);
  try {
    const client = await kerberos.initializeClient(spn);
    return `Negotiate ${await client.step('')}`;
  } catch (e) {
    logger.info(`[network] Kerberos login to the proxy ${host} failed (${spn}): ${e instanceof Error ? e.message : String(e)}`);
    return undefined;
  }
}

/** VS Code's network settings and machinery as the client's network policy. */
export function vscodeNetwork(logger: Logger, masker: SecretMasker, logins: ProxyLogins): NetworkPolicy {
  const support = http<string>('proxySupport', 'override');
  const authorization = http<string | null>('proxyAuthorization', null) || undefined;
  const configured = http<string>('proxy', '');
  if (authorization) masker.add(authorization);
  const password = (() => {
    try {
      return decodeURIComponent(new URL(configured).password);
    } catch {
      return '';
    }
  })();
  if (password) masker.add(password);
  const resolver = support === 'off' ? undefined : proxyAgent()?.resolveProxyURL;
  const fallback = (url: string) => resolveBySettings(url, { proxy: configured, noProxy: http<string[]>('noProxy', []) });
  let warned = false;
  return {
    source: support === 'off' ? '`http.proxySupport: off`' : resolver ? "VS Code's proxy settings" : 'the `http.proxy` settings (without the OS proxy / PAC: VS Code\'s resolver was not found)',
    async resolveProxy(url) {
      if (support === 'off') return undefined;
      if (!resolver) return fallback(url);
      try {
        return proxyUrlFromSetting(await resolver(url)) ?? undefined;
      } catch (e) {
        if (!warned) logger.warn(`[network] VS Code could not resolve the proxy for ${new URL(url).origin} (${e instanceof Error ? e.message : String(e)}); using the \`http.proxy\` settings`);
        warned = true;
        return fallback(url);
      }
    },
    caCertificates: async () => (http<boolean>('systemCertificates', true) ? systemCertificates(logger) : undefined),
    strictSSL: http<boolean>('proxyStrictSSL', true),
    proxyAuthorization: authorization,
    async lookupProxyAuthorization(proxyUrl, challenges, attempt) {
      if (attempt === 1 && challenges.some((c) => /^(negotiate|kerberos)\b/i.test(c))) {
        const token = await kerberosAuthorization(proxyUrl, logger);
        if (token) return token;
      }
      const basic = challenges.find((c) => /^basic\b/i.test(c));
      if (!basic) return undefined;
      const login = await logins.login(proxyUrl, / realm="([^"]*)"/i.exec(basic)?.[1] ?? '', attempt > 1);
      if (!login) return undefined;
      masker.add(login.password);
      const value = `Basic ${Buffer.from(`${login.user}:${login.password}`).toString('base64')}`;
      masker.add(value.slice('Basic '.length));
      return value;
    },
  };
}
