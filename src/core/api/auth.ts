import * as l10n from '@vscode/l10n';
import { AuthError } from '../errors';
import type { CurlSecret } from './curl';

/** An app's two API keys ("1/2 API keys generated in creating a new app"). */
export interface AppCredentials {
  clientId: string;
  clientSecret: string;
}

/** How the client gets the app keys; the host reads SecretStorage, tests answer a constant. */
export type CredentialsProvider = () => Promise<AppCredentials | undefined>;

/** Hands out one app user's bearer token; `TokenManager` is the implementation the client uses. */
export interface BearerSource {
  /** A token valid for a while yet (refreshing or signing in first when needed). */
  accessToken(signal?: AbortSignal): Promise<string>;
  /** Called after the server refused `rejected` with 401; answers a fresh token. */
  renew(rejected: string, signal?: AbortSignal): Promise<string>;
  /** Whose token it is (no secret): "copy as curl" says which user's token its command needs. */
  readonly user?: { oneupUserId?: string; appUserId?: string };
}

/** Where app keys sent as parameters go (an environment may move them all to headers). */
export type KeyPlace = 'form' | 'query';

/**
 * How one request authenticates:
 * - `bearer`: `Authorization: Bearer` from a user's token source, renewed once on 401; with
 *   `keys`, the app keys go along as parameters too (grant permission);
 * - `app`: the `client_id`/`client_secret` headers with `x-oneup-user-id` (`client` = app-wide);
 * - `app-keys`: the keys as parameters where the endpoint table says (`keys`: form fields or query
 *   parameters); user-management calls send them as headers when the environment says
 *   `userManagementKeys: 'headers'`.
 */
export type RequestAuth =
  | { kind: 'none' }
  | { kind: 'bearer'; source: BearerSource; keys?: KeyPlace }
  | { kind: 'app'; oneupUserId?: string; keys?: KeyPlace }
  | { kind: 'app-keys'; keys: KeyPlace };

/** Whom a FHIR or connect call acts as: one user (their bearer token) or the app itself. */
export type ActingAs = { kind: 'user'; tokens: BearerSource } | { kind: 'app'; oneupUserId?: string };

/** Acts as the user whose tokens `tokens` holds. */
export function asUser(tokens: BearerSource): ActingAs {
  return { kind: 'user', tokens };
}

/** Acts as the app: `client` (the default) reads across all users, a oneup_user_id as that user. */
export function asApp(oneupUserId = 'client'): ActingAs {
  return { kind: 'app', oneupUserId };
}

/** The authentication of a call acting as `as`; `keys` adds the app keys as parameters (e.g. grant permission). */
export function authFor(as: ActingAs, keys?: KeyPlace): RequestAuth {
  const auth: RequestAuth = as.kind === 'user' ? { kind: 'bearer', source: as.tokens } : { kind: 'app', oneupUserId: as.oneupUserId ?? 'client' };
  return keys ? { ...auth, keys } : auth;
}

/** Whether a request with this authentication needs the app keys. */
export function needsKeys(auth: RequestAuth): boolean {
  return auth.kind === 'app' || auth.kind === 'app-keys' || (auth.kind === 'bearer' && !!auth.keys);
}

export async function requireCredentials(provider: CredentialsProvider, environment: string): Promise<AppCredentials> {
  const c = await provider();
  if (!c || !c.clientId || !c.clientSecret) {
    throw new AuthError('missing-credentials', l10n.t('No client_id and client_secret are set for the environment "{0}".', environment));
  }
  return c;
}

export function credentialSecrets(c: AppCredentials): CurlSecret[] {
  return [{ value: c.clientId, kind: 'clientId' }, { value: c.clientSecret, kind: 'clientSecret' }];
}
