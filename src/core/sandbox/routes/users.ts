// User management: list, create and update app users, and mint authorization codes.
// App credentials come as form fields, query parameters or headers; 300 calls an hour per app.
import type { App } from '../auth/apps';
import { credentialsFrom } from '../auth/apps';
import type { Ctx } from '../http/context';
import { HttpError } from '../http/context';
import { sendJson } from '../http/reply';
import type { Router } from '../http/router';
import type { Services } from '../services';
import type { User } from '../users';

function view(u: User): Record<string, unknown> {
  return { oneup_user_id: u.oneupUserId, app_user_id: u.appUserId, active: u.active };
}

function parseBool(name: string, v: string): boolean {
  const x = v.trim().toLowerCase();
  if (x === 'true' || x === '1') return true;
  if (x === 'false' || x === '0') return false;
  throw new HttpError(400, `${name} must be true or false, got "${v}"`);
}

/** Authenticates the app and counts the call against its hourly limit. */
async function appCall(s: Services, ctx: Ctx): Promise<{ app: App; params: Record<string, string> }> {
  const params = await ctx.params();
  const result = s.apps.authenticate(credentialsFrom(ctx.req.headers, params));
  if ('error' in result) throw new HttpError(401, result.error);
  const rate = s.rateLimit.take(result.app.clientId);
  if (!rate.ok) {
    throw new HttpError(429, `rate limit exceeded: ${s.options.rateLimitPerHour} user-management calls per hour; retry in ${rate.retryAfter} s`,
      { 'Retry-After': String(rate.retryAfter) });
  }
  return { app: result.app, params };
}

function scopeParam(params: Record<string, string>): string {
  const scope = params.scope?.trim();
  return scope ? scope : 'user/*.*';
}

export function userRoutes(router: Router, s: Services): void {
  router.add(['GET', 'POST', 'PUT'], /^\/user-management\/v1\/user$/, async (ctx) => {
    const { app, params } = await appCall(s, ctx);
    if (ctx.method === 'GET') return listUsers(s, ctx, app, params);
    if (ctx.method === 'POST') return createUser(s, ctx, app, params);
    return updateUser(s, ctx, app, params);
  });

  router.add('POST', /^\/user-management\/v1\/user\/auth-code$/, async (ctx) => {
    const { app, params } = await appCall(s, ctx);
    const user = findUser(s, app, params);
    if (!user.active) throw new HttpError(403, `user ${user.oneupUserId} is not active: activate it before asking for a code`);
    const code = s.tokens.issueCode(app.clientId, user.oneupUserId, scopeParam(params));
    sendJson(ctx, 200, { success: true, code, ...view(user) });
  });
}

function findUser(s: Services, app: App, params: Record<string, string>): User {
  const oneupId = params.oneup_user_id?.trim();
  const appUserId = params.app_user_id?.trim();
  if (!oneupId && !appUserId) throw new HttpError(400, 'app_user_id or oneup_user_id is required');
  const user = oneupId ? s.users.ofApp(app.clientId, oneupId) : s.users.byAppUserId(app.clientId, appUserId!);
  if (!user) throw new HttpError(404, `no user with ${oneupId ? `oneup_user_id ${oneupId}` : `app_user_id ${appUserId}`}`);
  return user;
}

function listUsers(s: Services, ctx: Ctx, app: App, params: Record<string, string>): void {
  const appUserId = params.app_user_id?.trim();
  const oneupId = params.oneup_user_id?.trim();
  const users = s.users.list(app.clientId)
    .filter((u) => (!appUserId || u.appUserId === appUserId) && (!oneupId || u.oneupUserId === oneupId));
  if ((appUserId || oneupId) && !users.length) throw new HttpError(404, 'Could not find a user matching this query.');
  sendJson(ctx, 200, { success: true, entry: users.map(view) });
}

function createUser(s: Services, ctx: Ctx, app: App, params: Record<string, string>): void {
  const appUserId = params.app_user_id?.trim();
  if (!appUserId) throw new HttpError(400, 'app_user_id is required');
  if (appUserId.length > 255) throw new HttpError(400, 'app_user_id must be at most 255 characters');
  const user = s.users.create(app.clientId, appUserId);
  if (!user) throw new HttpError(400, 'this user already exists');
  const code = s.tokens.issueCode(app.clientId, user.oneupUserId, scopeParam(params));
  sendJson(ctx, 200, { success: true, code, ...view(user) });
}

function updateUser(s: Services, ctx: Ctx, app: App, params: Record<string, string>): void {
  const oneupId = params.oneup_user_id?.trim();
  if (!oneupId) throw new HttpError(400, 'oneup_user_id is required');
  const user = s.users.ofApp(app.clientId, oneupId);
  if (!user) throw new HttpError(404, `no user with oneup_user_id ${oneupId}`);
  const newAppUserId = params.app_user_id?.trim();
  const active = params.active !== undefined ? parseBool('active', params.active) : undefined;
  if (!newAppUserId && active === undefined) throw new HttpError(400, 'nothing to update: send app_user_id and/or active');
  if (newAppUserId) {
    const other = s.users.byAppUserId(app.clientId, newAppUserId);
    if (other && other !== user) throw new HttpError(400, `app_user_id ${newAppUserId} is already used by another user`);
    user.appUserId = newAppUserId;
  }
  if (active !== undefined) {
    user.active = active;
    // a deactivated user's codes and tokens stop working at once
    if (!active) s.tokens.revokeUser(user.oneupUserId);
  }
  sendJson(ctx, 200, { oneUpUserId: Number(user.oneupUserId), success: true });
}
