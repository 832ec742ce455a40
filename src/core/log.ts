import { maskUrlTokens } from './api/url';

/** Where the core writes its log lines; the host backs it with the "1upHealth" LogOutputChannel. */
export interface Logger {
  trace(message: string): void;
  debug(message: string): void;
  info(message: string): void;
  warn(message: string): void;
  error(message: string | Error): void;
}

export const nullLogger: Logger = {
  trace() {}, debug() {}, info() {}, warn() {}, error() {},
};

/** Prefixes every line with `[component]`, as one channel is shared by all parts. */
export function scoped(logger: Logger, component: string): Logger {
  const p = `[${component}] `;
  return {
    trace: (m) => logger.trace(p + m),
    debug: (m) => logger.debug(p + m),
    info: (m) => logger.info(p + m),
    warn: (m) => logger.warn(p + m),
    error: (m) => logger.error(typeof m === 'string' ? p + m : Object.assign(new Error(p + m.message), { stack: m.stack })),
  };
}

const MASK = '••••';
const JWT = /eyJ[A-Za-z0-9_-]{4,}\.[A-Za-z0-9_-]{4,}\.[A-Za-z0-9_-]*/g;
const URL_OR_PATH = /\bhttps?:\/\/[^\s"'<>]+|(?<=^|[\s(])\/[^\s"'<>]+/gi;

// Names whose values are secret wherever they appear: form fields, query strings, JSON, headers.
const SECRET_NAMES = ['client_secret', 'access_token', 'refresh_token', 'id_token', 'code', 'token', 'password'];
const namePattern = SECRET_NAMES.join('|');
const PATTERNS: RegExp[] = [
  // key=value in query strings and form bodies
  new RegExp(`((?:^|[?&\\s"'])(?:${namePattern})=)([^&\\s"']+)`, 'gi'),
  // "key": "value" in JSON
  new RegExp(`("(?:${namePattern})"\\s*:\\s*")([^"]*)`, 'gi'),
  // HTTP headers: Authorization and the app-credential headers
  /((?:authorization|proxy-authorization)\s*[:=]\s*(?:bearer|basic)\s+)([^\s"',]+)/gi,
  /((?:^|[\s"'{,])client_secret["']?\s*[:=]\s*["']?)([^\s"',}]+)/gi,
  // userinfo in URLs (proxy credentials)
  /(\b[a-z][a-z0-9+.-]*:\/\/[^/\s:@]+:)([^@\s/]+)(?=@)/gi,
];

/**
 * Masks secrets in a line of text: values it was told about with `add` (client secrets, tokens,
 * codes) wherever they appear, and anything that looks like a secret by its name.
 */
export class SecretMasker {
  private readonly known = new Set<string>();

  add(secret: string | undefined): void {
    // very short values would mask ordinary words; real secrets and tokens are long
    if (secret && secret.length >= 6) this.known.add(secret);
  }

  mask(text: string): string {
    let out = text;
    for (const s of this.known) out = out.split(s).join(MASK);
    for (const re of PATTERNS) out = out.replace(re, (_m, pre: string) => pre + MASK);
    // signed tokens that no one told us about: JWTs anywhere, long opaque tokens in URLs and request paths
    return out.replace(JWT, MASK).replace(URL_OR_PATH, (u) => maskUrlTokens(u));
  }
}

/** A logger that masks every line before passing it on. */
export function masked(logger: Logger, masker: SecretMasker): Logger {
  return {
    trace: (m) => logger.trace(masker.mask(m)),
    debug: (m) => logger.debug(masker.mask(m)),
    info: (m) => logger.info(masker.mask(m)),
    warn: (m) => logger.warn(masker.mask(m)),
    error: (m) => logger.error(typeof m === 'string' ? masker.mask(m) : Object.assign(new Error(masker.mask(m.message)), { stack: m.stack && masker.mask(m.stack) })),
  };
}
