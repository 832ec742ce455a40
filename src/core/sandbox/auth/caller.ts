// Who is calling a FHIR, bulk or provider-search endpoint: a user's bearer token, or the app's
// credentials with `x-oneup-user-id` naming a user or `client` for the app-wide view.
import type { Scope } from '../data/view';
import type { Ctx } from '../http/context';
import { HttpError } from '../http/context';
import type { Services } from '../services';
import type { User } from '../users';
import type { App } from './apps';
import { credentialsFrom } from './apps';

export interface Caller { app: App; user?: User; scope: Scope }

const INVALID_TOKEN = (why: string) => ({ 'WWW-Authenticate': `Bearer error="invalid_token", error_description="${why}"` });

/** The caller, or an HttpError 401 that says what is missing or wrong. */
export function caller(s: Services, ctx: Ctx): Caller {
  const auth = ctx.header('authorization');
  if (auth && /^bearer\s/i.test(auth)) {
    const token = auth.replace(/^bearer\s+/i, '').trim();
    const checked = s.tokens.check(token);
    if (!('grant' in checked)) {
      const why = checked.expired ? 'the access token expired' : 'the access token is not valid';
      throw new HttpError(401, why, INVALID_TOKEN(why));
    }
    const user = s.users.get(checked.grant.userId);
    const app = s.apps.get(checked.grant.appId);
    if (!user || !app) throw new HttpError(401, 'the access token is not valid', INVALID_TOKEN('the access token is not valid'));
    if (!user.active) throw new HttpError(401, 'the user of this access token is not active', INVALID_TOKEN('user not active'));
    return { app, user, scope: s.users.scopeFor(user) };
  }
  const creds = credentialsFrom(ctx.req.headers, {});
  if (!creds.clientId && !creds.clientSecret) {
    throw new HttpError(401, 'send Authorization: Bearer <access_token>, or client_id, client_secret and x-oneup-user-id headers',
      { 'WWW-Authenticate': 'Bearer realm="1upHealth sandbox"' });
  }
  const result = s.apps.authenticate(creds);
  if ('error' in result) throw new HttpError(401, result.error);
  const as = ctx.header('x-oneup-user-id')?.trim();
  if (!as) throw new HttpError(401, 'with app credentials, x-oneup-user-id must name a user (or be "client" for all users)');
  if (as === 'client') return { app: result.app, scope: s.users.appScope(result.app.clientId) };
  const user = s.users.ofApp(result.app.clientId, as);
  if (!user) throw new HttpError(401, `x-oneup-user-id ${as} is not a user of this app`);
  if (!user.active) throw new HttpError(401, `user ${as} is not active`);
  return { app: result.app, user, scope: s.users.scopeFor(user) };
}
