import type { ActingAs, FhirClient, TokenManager } from '../core/api';
import type { FhirVersion } from '../core/environments';
import { InputError } from '../core/errors';
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
  const as: ActingAs = user ? s.clients.api.asUser(tokensOf(s, user)) : s.clients.api.asApp();
  return client.fhir(version, as);
}

/** The id of the user's own Patient resource (the first Patient their token sees). */
export async function patientIdOf(s: Services, version: FhirVersion, user: { oneupUserId: string; appUserId?: string }, signal?: AbortSignal): Promise<string> {
  const bundle = await fhirAs(s, version, user).search('Patient', { _count: 1 }, signal);
  const id = bundle.entry?.[0]?.resource?.id;
  if (!id) throw new InputError(`${user.appUserId ?? user.oneupUserId} has no Patient record in FHIR ${version} yet (connect a health system or create one).`);
  return id;
}
