import * as vscode from 'vscode';
import type { ActingAs, BearerSource, FhirClient, TokenManager, TokenSet } from '../core/api';
import type { FhirVersion } from '../core/environments';
import { InputError, isApiError, isAuthError } from '../core/errors';
import type { Services } from './services';

/** A user as the UI holds one: the oneup_user_id, and the app_user_id when it is known. */
export interface UserIds {
  oneupUserId: string;
  appUserId?: string;
}

/**
 * The TokenManager of a user, named by both ids so its sign-ins send app_user_id (the reference's
 * auth-code field). Some views stand in the oneup_user_id for an app_user_id they do not know;
 * that is no app_user_id, so it is left out (the client looks the real one up).
 */
export function tokensOf(s: Services, user: UserIds): TokenManager {
  const appUserId = user.appUserId && user.appUserId !== user.oneupUserId ? user.appUserId : undefined;
  return s.clients.get().tokenManager(appUserId ? { oneupUserId: user.oneupUserId, appUserId } : { oneupUserId: user.oneupUserId });
}

/** FHIR calls as one app user (their bearer token) or, without a user, app-wide (`x-oneup-user-id: client`). */
export function fhirAs(s: Services, version: FhirVersion, user?: UserIds): FhirClient {
  const client = s.clients.get();
  const as: ActingAs = user ? s.clients.api.asUser(userTokens(s, user)) : s.clients.api.asApp();
  return client.fhir(version, as);
}

/** The id of the user's own Patient resource (the first Patient their token sees). */
export async function patientIdOf(s: Services, version: FhirVersion, user: { oneupUserId: string; appUserId?: string }, signal?: AbortSignal): Promise<string> {
  const bundle = await fhirAs(s, version, user).search('Patient', { _count: 1 }, signal);
  const id = bundle.entry?.[0]?.resource?.id;
  if (!id) throw new InputError(vscode.l10n.t('{0} has no Patient record in FHIR {1} yet (connect a health system or create one).', user.appUserId ?? user.oneupUserId, version));
  return id;
}

/** When and why the server last refused a user's tokens (shown until a new token arrives). */
export interface TokenRefusal {
  at: number;
  reason: string;
}

// keyed by the client's TokenManager: a new client (other settings, environment) starts afresh
const refusals = new WeakMap<TokenManager, TokenRefusal>();

/** The server's last refusal of this user's tokens, if it refused them since they were kept. */
export function tokenRefusal(manager: TokenManager): TokenRefusal | undefined {
  return refusals.get(manager);
}

/** A user's tokens as commands, views and panels use them (see `watchRefusals`). */
export type UserTokens = BearerSource & { refreshNow(signal?: AbortSignal): Promise<TokenSet> };

export function userTokens(s: Services, user: UserIds): UserTokens {
  return watchRefusals(tokensOf(s, user));
}

/**
 * Keeps what the views say about a user's token true to the last thing the server said: when
 * the server refuses the tokens (a renewal after a 401, a refresh token and then a new auth
 * code refused, an unknown or inactive user), the kept tokens are dropped — so no view goes on
 * saying "valid until" — and the refusal is remembered for the views to show.
 */
export function watchRefusals(manager: TokenManager): UserTokens {
  const watch = async <T>(work: Promise<T>): Promise<T> => {
    try {
      return await work;
    } catch (e) {
      if (refusedByServer(e)) {
        refusals.set(manager, { at: Date.now(), reason: e instanceof Error ? e.message : String(e) });
        await manager.clear();
      }
      throw e;
    }
  };
  return {
    user: manager.user,
    accessToken: (signal) => watch(manager.accessToken(signal)),
    renew: (rejected, signal) => watch(manager.renew(rejected, signal)),
    refreshNow: (signal) => watch(manager.refreshNow(signal)),
  };
}

/** An answer that says these tokens (or this user) will not do; not a network failure or bad app keys. */
function refusedByServer(e: unknown): boolean {
  if (isAuthError(e)) return e.problem === 'token-rejected' || e.problem === 'no-user';
  return isApiError(e) && [400, 401, 403, 404].includes(e.status);
}
