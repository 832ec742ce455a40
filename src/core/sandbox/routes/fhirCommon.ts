// What the FHIR, $everything, permission and bulk routes share: paths, type checks, write rights.
import type { FhirVersion } from '../../environments';
import { isResourceType } from '../../fhir/resourceTypes';
import type { Caller } from '../auth/caller';
import { HttpError } from '../http/context';
import type { Services } from '../services';

/** `/fhir/{version}` (the reference) or `/{version}` (newer docs): groups 1 = prefix, 2 = version. */
export const FHIR_PREFIX = String.raw`^(/(?:fhir/)?(dstu2|stu3|r4))`;

/** The versioned base the request used, e.g. http://127.0.0.1:4000/fhir/r4 */
export function fhirBase(s: Services, prefix: string): string {
  return `${s.url}${prefix}`;
}

export function checkType(version: FhirVersion, type: string): void {
  if (!isResourceType(version, type)) throw new HttpError(404, `${type} is not a FHIR ${version} resource type`, {}, 'not-supported');
}

/** Whether the caller may change or delete things in a patient's compartment (not just read it). */
export function mayWrite(s: Services, who: Caller, compartmentId: string | undefined, ownerUserId?: string): boolean {
  if (who.scope.all) return true;
  if (!who.user) return false;
  if (compartmentId) return s.users.patientsOf(who.user).includes(compartmentId);
  return ownerUserId === who.user.oneupUserId;
}
