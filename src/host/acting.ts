import type { ActingAs, FhirClient } from '../core/api';
import type { FhirVersion } from '../core/environments';
import { InputError } from '../core/errors';
import type { Services } from './services';

/** FHIR calls as one app user (their bearer token) or, without a user, app-wide (`x-oneup-user-id: client`). */
export function fhirAs(s: Services, version: FhirVersion, user?: { oneupUserId: string }): FhirClient {
  const client = s.clients.get();
  const as: ActingAs = user ? s.clients.api.asUser(client.tokenManager({ oneupUserId: user.oneupUserId })) : s.clients.api.asApp();
  return client.fhir(version, as);
}

/** The id of the user's own Patient resource (the first Patient their token sees). */
export async function patientIdOf(s: Services, version: FhirVersion, user: { oneupUserId: string; appUserId?: string }, signal?: AbortSignal): Promise<string> {
  const bundle = await fhirAs(s, version, user).search('Patient', { _count: 1 }, signal);
  const id = bundle.entry?.[0]?.resource?.id;
  if (!id) throw new InputError(`${user.appUserId ?? user.oneupUserId} has no Patient record in FHIR ${version} yet (connect a health system or create one).`);
  return id;
}
