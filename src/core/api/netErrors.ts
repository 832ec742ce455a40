import { NetworkError } from '../errors';
import type { Timeouts } from './dispatcher';

const PROXY_SETTING = 'the `http.proxy` setting';
const TRUST_HINT = 'If a proxy on your network inspects TLS (see the `http.proxy` setting), its certificate authority must be in the OS trust store, which VS Code reads while `http.systemCertificates` is on; setting `http.proxyStrictSSL` to false accepts untrusted certificates (not recommended)';
const TIMEOUT_SETTING = 'the `oneup.requestTimeoutSeconds` setting';
const ENV_SETTING = 'the environment URLs in the `oneup.environments` setting';

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
        const kerberos = /negotiate|kerberos/i.test(schemes) ? ' For Kerberos, check that you hold a ticket and `http.proxyKerberosServicePrincipal`.' : '';
        return make(`The proxy ${p.proxy} asked for a login (407${schemes ? `, ${schemes}` : ''}) to reach ${host}.`,
          `Set \`http.proxyAuthorization\` (e.g. "Basic <base64 of user:password>") or put the user in ${PROXY_SETTING} (http://user:password@host:port).${kerberos}`);
      }
      if (p.status === 0) return make(p.message, `Check ${PROXY_SETTING} (or your system proxy / PAC configuration).`);
      return make(`The proxy ${p.proxy} refused the connection to ${host} (${p.status}).`,
        `Check that the proxy lets you reach ${host}, or exempt it with \`http.noProxy\`.`);
    }
    cur = (cur as { cause?: unknown }).cause;
  }
  const via = (e as { viaProxy?: string } | undefined)?.viaProxy;
  if (via && CONNECT_CODES.has(code)) {
    return make(`The proxy ${via} could not be reached (${code}) on the way to ${host}.`,
      `Check ${PROXY_SETTING}, \`http.noProxy\` and your system proxy / PAC configuration.`);
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
    return make(`The TLS certificate of ${host} was not accepted (${code}).`,
      `${TRUST_HINT}. Otherwise check that ${host} is the right host.`);
  }
  switch (code) {
    case 'ECONNREFUSED':
      return make(`${host} refused the connection.`, `Check that ${host} is the right host and is running (${ENV_SETTING}), and ${PROXY_SETTING} if you use a proxy.`);
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      return make(`The host ${url.hostname} could not be found.`, `Check the host name in ${ENV_SETTING}, your network connection and ${PROXY_SETTING}.`);
    case 'ETIMEDOUT':
    case 'UND_ERR_CONNECT_TIMEOUT':
      return make(`Connecting to ${host} timed out after ${span(t.connectMs)}.`, `Check your network and ${PROXY_SETTING}; on a slow network raise ${TIMEOUT_SETTING}.`);
    case 'UND_ERR_HEADERS_TIMEOUT':
      return make(`${host} did not answer within ${span(t.headersMs)}.`, `The server may be busy: try again, or raise ${TIMEOUT_SETTING}.`);
    case 'UND_ERR_BODY_TIMEOUT':
      return make(`${host} stopped sending its answer for more than ${span(t.bodyMs)}.`, `Try again, or raise ${TIMEOUT_SETTING}.`);
    case 'ECONNRESET':
    case 'EPIPE':
    case 'UND_ERR_SOCKET':
      return make(`The connection to ${host} was closed before the answer was complete.`, `Try again; if it keeps happening check ${PROXY_SETTING} and any firewall between you and ${host}.`);
    default:
      return make(`The request to ${host} failed: ${detail}`, `Check that ${host} is reachable, ${PROXY_SETTING} and ${TIMEOUT_SETTING}.`);
  }
}

function span(ms: number): string {
  return ms >= 1000 ? `${Math.round(ms / 1000)} s` : `${ms} ms`;
}
