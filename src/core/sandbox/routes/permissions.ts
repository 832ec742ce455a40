// PUT/DELETE {fhir}/{version}/Patient/patientid/_permission/{oneUpUserId}: the calling user lets
// another user read their records (or stops it). The literal `patientid` (as 1upHealth's SDK
// sends it) means all of the caller's patients; a real patient id limits the grant to that one.
import { caller } from '../auth/caller';
import { HttpError } from '../http/context';
import { sendJson } from '../http/reply';
import type { Router } from '../http/router';
import type { Services } from '../services';
import { FHIR_PREFIX } from './fhirCommon';

export function permissionRoutes(router: Router, s: Services): void {
  router.add(['PUT', 'DELETE'], new RegExp(`${FHIR_PREFIX}/Patient/([^/]+)/_permission/([^/]+)$`), (ctx, m) => {
    const [, , , patientSegment, granteeId] = m;
    const who = caller(s, ctx);
    if (!who.user) throw new HttpError(400, 'permissions are granted by a user: call with that user\'s access token');
    const grantee = s.users.ofApp(who.app.clientId, granteeId);
    if (!grantee) throw new HttpError(404, `no user with oneup_user_id ${granteeId}`);
    if (grantee === who.user) throw new HttpError(400, 'a user cannot grant access to themselves');
    let patient = '*';
    if (patientSegment.toLowerCase() !== 'patientid') {
      if (!s.users.patientsOf(who.user).includes(patientSegment)) {
        throw new HttpError(403, `Patient/${patientSegment} is not one of this user's patients`);
      }
      patient = patientSegment;
    }
    if (ctx.method === 'PUT') s.users.grant(who.user, grantee, patient);
    else s.users.revoke(who.user, grantee, patient);
    sendJson(ctx, 200, { oneUpUserId: Number(grantee.oneupUserId), success: true });
  });
}
