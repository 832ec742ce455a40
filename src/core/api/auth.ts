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

/**
 * How one request authenticates:
 * - `bearer`: `Authorization: Bearer` from a user's token source, renewed once on 401;
 * - `app`: the `client_id`/`client_secret` headers with `x-oneup-user-id` (`client` = app-wide);
 * - `app-keys`: user-management style, the keys as form fields (POST/PUT) or query parameters
 *   (GET/DELETE), or as headers when the environment says `userManagementKeys: 'headers'`.
 */
export type RequestAuth =
  | { kind: 'none' }
  | { kind: 'bearer'; source: BearerSource }
  | { kind: 'app'; oneupUserId?: string }
  | { kind: 'app-keys' };

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

export function authFor(as: ActingAs): RequestAuth {
  return as.kind === 'user' ? { kind: 'bearer', source: as.tokens } : { kind: 'app', oneupUserId: as.oneupUserId ?? 'client' };
}

export async function requireCredentials(provider: CredentialsProvider, environment: string): Promise<AppCredentials> {
  const c = await provider();
  if (!c || !c.clientId || !c.clientSecret) {
    throw new AuthError('missing-credentials', `No client_id and client_secret are set for the environment "${environment}".`);
  }
  return c;
}

export function credentialSecrets(c: AppCredentials): CurlSecret[] {
  return [{ value: c.clientId, kind: 'clientId' }, { value: c.clientSecret, kind: 'clientSecret' }];
}
