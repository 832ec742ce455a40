import * as l10n from '@vscode/l10n';
import { NetworkError } from '../errors';
import type { Timeouts } from './dispatcher';

// Setting names are passed into the texts as they are (they are ids, not words).
const PROXY = '`http.proxy`';
const NO_PROXY = '`http.noProxy`';
const TIMEOUT = '`oneup.requestTimeoutSeconds`';
const ENVIRONMENTS = '`oneup.environments`';

const CERT_CODES = new Set([
  'CERT_HAS_EXPIRED', 'CERT_NOT_YET_VALID', 'DEPTH_ZERO_SELF_SIGNED_CERT', 'SELF_SIGNED_CERT_IN_CHAIN',
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE', 'UNABLE_TO_GET_ISSUER_CERT', 'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'ERR_TLS_CERT_ALTNAME_INVALID', 'CERT_SIGNATURE_FAILURE', 'CERT_UNTRUSTED', 'CERT_REVOKED',
]);

/** Codes that say nothing about the next try: the same certificate, missing host or refused proxy login will fail again. */
const PERMANENT = new Set([...CERT_CODES, 'ENOTFOUND', 'UND_ERR_INVALID_ARG', 'ERR_INVALID_URL', 'PROXY_AUTH_REQUIRED', 'PROXY_UNUSABLE', 'RESPONSE_TOO_LARGE']);

/** A proxy refused a request (407 and no login that works, or another status for a tunnel), or cannot be used. */
export class ProxyError extends Error {
  override readonly name = 'ProxyError';
  readonly code: string;
  constructor(
    /** The proxy's answer; 0 when it could not be used at all. */
    readonly status: number,
    /** The proxy without credentials, e.g. `http://proxy.corp:3128`. */
    readonly proxy: string,
    /** Its Proxy-Authenticate challenges (`Basic realm="…"`, `Negotiate`). */
    readonly challenges: readonly string[],
    message?: string,
  ) {
    super(message ?? `Proxy ${proxy} answered ${status}`);
    this.code = status === 407 ? 'PROXY_AUTH_REQUIRED' : status === 0 ? 'PROXY_UNUSABLE' : 'PROXY_REFUSED';
  }
}

const CONNECT_CODES = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'ETIMEDOUT', 'UND_ERR_CONNECT_TIMEOUT', 'EHOSTUNREACH', 'ENETUNREACH']);

function proxyFailure(e: unknown, code: string, host: string, make: (message: string, hint: string) => NetworkError): NetworkError | undefined {
  let cur: unknown = e;
  for (let depth = 0; cur && depth < 6; depth++) {
    if (cur instanceof ProxyError) {
      const p = cur;
      if (p.status === 407) {
        const schemes = [...new Set(p.challenges.map((c) => c.split(/\s/)[0]))].join(', ');
        const login = l10n.t('Set {0} (e.g. "Basic <base64 of user:password>") or put the user in the {1} setting (http://user:password@host:port).', '`http.proxyAuthorization`', PROXY);
        const kerberos = /negotiate|kerberos/i.test(schemes) ? l10n.t('For Kerberos, check that you hold a ticket and {0}.', '`http.proxyKerberosServicePrincipal`') : '';
        return make(l10n.t('The proxy {0} asked for a login ({1}) to reach {2}.', p.proxy, schemes ? `407, ${schemes}` : '407', host),
          kerberos ? `${login} ${kerberos}` : login);
      }
      if (p.status === 0) return make(p.message, l10n.t('Check the {0} setting (or your system proxy / PAC configuration).', PROXY));
      return make(l10n.t('The proxy {0} refused the connection to {1} ({2}).', p.proxy, host, p.status),
        l10n.t('Check that the proxy lets you reach {0}, or exempt it with {1}.', host, NO_PROXY));
    }
    cur = (cur as { cause?: unknown }).cause;
  }
  const via = (e as { viaProxy?: string } | undefined)?.viaProxy;
  if (via && CONNECT_CODES.has(code)) {
    return make(l10n.t('The proxy {0} could not be reached ({1}) on the way to {2}.', via, code, host),
      l10n.t('Check the {0} setting, {1} and your system proxy / PAC configuration.', PROXY, NO_PROXY));
  }
  return undefined;
}

export function isRetryableNetworkError(e: NetworkError): boolean {
  return !PERMANENT.has(e.code);
}

/** The most specific error code in an error and its causes (undici and proxies wrap the socket's). */
export function errorCode(e: unknown): string | undefined {
  let cur: unknown = e;
  let found: string | undefined;
  for (let depth = 0; cur && depth < 6; depth++) {
    const err = cur as { code?: unknown; cause?: unknown; errors?: unknown[] };
    if (typeof err.code === 'string') {
      // a socket-level code under a generic undici wrapper says more than the wrapper
      if (!found || found === 'UND_ERR_SOCKET' || found.startsWith('UND_ERR_PRX') || found === 'UND_ERR') found = err.code;
    }
    cur = err.cause ?? (Array.isArray(err.errors) ? err.errors[0] : undefined);
  }
  return found;
}

/** Turns whatever the socket layer threw into a NetworkError whose hint names what to check. */
export function toNetworkError(e: unknown, url: URL, timeouts: Timeouts | number): NetworkError {
  if (e instanceof NetworkError) return e;
  const t = typeof timeouts === 'number' ? { connectMs: timeouts * 1000, headersMs: timeouts * 1000, bodyMs: timeouts * 1000 } : timeouts;
  const code = errorCode(e) ?? 'NETWORK_ERROR';
  const host = url.host;
  const detail = (e as Error | undefined)?.message ?? String(e);
  const make = (message: string, hint: string) => new NetworkError(code, message, hint, { cause: e });
  const proxied = proxyFailure(e, code, host, make);
  if (proxied) return proxied;
  if (CERT_CODES.has(code)) {
    return make(l10n.t('The TLS certificate of {0} was not accepted ({1}).', host, code),
      l10n.t('If a proxy on your network inspects TLS (see the {0} setting), its certificate authority must be in the OS trust store, which VS Code reads while {1} is on; setting {2} to false accepts untrusted certificates (not recommended). Otherwise check that {3} is the right host.',
        PROXY, '`http.systemCertificates`', '`http.proxyStrictSSL`', host));
  }
  switch (code) {
    case 'ECONNREFUSED':
      return make(l10n.t('{0} refused the connection.', host),
        l10n.t('Check that {0} is the right host and is running (the environment URLs in the {1} setting), and the {2} setting if you use a proxy.', host, ENVIRONMENTS, PROXY));
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      return make(l10n.t('The host {0} could not be found.', url.hostname),
        l10n.t('Check the host name in the environment URLs in the {0} setting, your network connection and the {1} setting.', ENVIRONMENTS, PROXY));
    case 'ETIMEDOUT':
    case 'UND_ERR_CONNECT_TIMEOUT':
      return make(l10n.t('Connecting to {0} timed out after {1}.', host, span(t.connectMs)),
        l10n.t('Check your network and the {0} setting; on a slow network raise the {1} setting.', PROXY, TIMEOUT));
    case 'UND_ERR_HEADERS_TIMEOUT':
      return make(l10n.t('{0} did not answer within {1}.', host, span(t.headersMs)), l10n.t('The server may be busy: try again, or raise the {0} setting.', TIMEOUT));
    case 'UND_ERR_BODY_TIMEOUT':
      return make(l10n.t('{0} stopped sending its answer for more than {1}.', host, span(t.bodyMs)), l10n.t('Try again, or raise the {0} setting.', TIMEOUT));
    case 'ECONNRESET':
    case 'EPIPE':
    case 'UND_ERR_SOCKET':
      return make(l10n.t('The connection to {0} was closed before the answer was complete.', host),
        l10n.t('Try again; if it keeps happening check the {0} setting and any firewall between you and {1}.', PROXY, host));
    default:
      return make(l10n.t('The request to {0} failed: {1}', host, detail), l10n.t('Check that {0} is reachable, the {1} setting and the {2} setting.', host, PROXY, TIMEOUT));
  }
}

function span(ms: number): string {
  return ms >= 1000 ? l10n.t('{0} s', Math.round(ms / 1000)) : l10n.t('{0} ms', ms);
}
