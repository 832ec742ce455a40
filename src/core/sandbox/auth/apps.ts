import { timingSafeEqual } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';
import { HttpError } from '../http/context';

export interface App { clientId: string; clientSecret: string; name: string }

export interface Credentials { clientId?: string; clientSecret?: string }

function header(headers: IncomingHttpHeaders, name: string): string | undefined {
  const v = headers[name];
  return Array.isArray(v) ? v[0] : v;
}

/**
 * App credentials wherever a client may put them: form fields or query parameters
 * (`client_id`, `client_secret`), `client_id`/`client_secret` headers, or HTTP Basic.
 */
export function credentialsFrom(headers: IncomingHttpHeaders, params: Record<string, string>): Credentials {
  let clientId = params.client_id ?? header(headers, 'client_id') ?? header(headers, 'client-id');
  let clientSecret = params.client_secret ?? header(headers, 'client_secret') ?? header(headers, 'client-secret');
  const auth = header(headers, 'authorization');
  if ((!clientId || !clientSecret) && auth?.toLowerCase().startsWith('basic ')) {
    const decoded = Buffer.from(auth.slice(6).trim(), 'base64').toString('utf8');
    const colon = decoded.indexOf(':');
    if (colon > 0) {
      clientId ??= percentDecoded(decoded.slice(0, colon));
      clientSecret ??= percentDecoded(decoded.slice(colon + 1));
    }
  }
  return { clientId, clientSecret };
}

/** RFC 6749 §2.3.1: Basic credentials are percent-encoded; a broken `%` escape is the client's error (400). */
function percentDecoded(v: string): string {
  try {
    return decodeURIComponent(v);
  } catch {
    throw new HttpError(400, 'the Basic credentials are not valid: a "%" is not followed by two hex digits');
  }
}

function sameSecret(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

export class Apps {
  private readonly byId: Map<string, App>;

  constructor(readonly all: readonly App[]) {
    this.byId = new Map(all.map((a) => [a.clientId, a]));
  }

  get first(): App {
    return this.all[0];
  }

  get(clientId: string): App | undefined {
    return this.byId.get(clientId);
  }

  /** The app whose id and secret these are; why not, otherwise (the 401 answer's text). */
  authenticate(c: Credentials): { app: App } | { error: string } {
    if (!c.clientId || !c.clientSecret) return { error: 'client_id and client_secret are required' };
    const app = this.byId.get(c.clientId);
    if (!app || !sameSecret(app.clientSecret, c.clientSecret)) return { error: 'invalid client_id or client_secret' };
    return { app };
  }
}
