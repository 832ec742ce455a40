// The OAuth2 token endpoint (both /fhir/oauth2/token and the newer /oauth2/token):
// authorization_code and refresh_token grants, errors as RFC 6749 `{error, error_description}`.
import { createHmac } from 'node:crypto';
import type { App } from '../auth/apps';
import { credentialsFrom } from '../auth/apps';
import type { IssuedTokens } from '../auth/tokens';
import type { Ctx } from '../http/context';
import { sendJson } from '../http/reply';
import type { Router } from '../http/router';
import type { Services } from '../services';

const NO_STORE = { 'Cache-Control': 'no-store', Pragma: 'no-cache' };

function oauthError(ctx: Ctx, status: number, error: string, description: string): void {
  sendJson(ctx, status, { error, error_description: description }, NO_STORE);
}

/** An id_token: a JWT (HS256, keyed by the app's secret) naming the user. */
function idToken(s: Services, app: App, t: IssuedTokens): string {
  const user = s.users.get(t.grant.userId);
  const now = Math.floor(Date.now() / 1000);
  const part = (o: unknown) => Buffer.from(JSON.stringify(o)).toString('base64url');
  const body = `${part({ alg: 'HS256', typ: 'JWT' })}.${part({
    iss: s.url, sub: t.grant.userId, aud: app.clientId, iat: now, exp: now + t.expiresIn, app_user_id: user?.appUserId,
  })}`;
  return `${body}.${createHmac('sha256', app.clientSecret).update(body).digest('base64url')}`;
}

export function tokenRoutes(router: Router, s: Services): void {
  router.add('POST', /^\/(?:fhir\/)?oauth2\/token$/, async (ctx) => {
    const params = await ctx.params();
    const auth = s.apps.authenticate(credentialsFrom(ctx.req.headers, params));
    if ('error' in auth) return oauthError(ctx, 401, 'invalid_client', auth.error);
    const app = auth.app;
    const grantType = params.grant_type?.trim();
    let issued: IssuedTokens | undefined;
    if (!grantType) return oauthError(ctx, 400, 'invalid_request', 'grant_type is required (authorization_code or refresh_token)');
    if (grantType === 'authorization_code') {
      if (!params.code) return oauthError(ctx, 400, 'invalid_request', 'code is required');
      issued = s.tokens.exchange(app.clientId, params.code.trim());
      if (!issued) return oauthError(ctx, 400, 'invalid_grant', 'the authorization code is invalid, expired or already used');
    } else if (grantType === 'refresh_token') {
      if (!params.refresh_token) return oauthError(ctx, 400, 'invalid_request', 'refresh_token is required');
      issued = s.tokens.rotate(app.clientId, params.refresh_token.trim());
      if (!issued) return oauthError(ctx, 400, 'invalid_grant', 'the refresh token is invalid, expired or already used');
    } else {
      return oauthError(ctx, 400, 'unsupported_grant_type', `grant_type ${grantType} is not supported (authorization_code or refresh_token)`);
    }
    if (!s.users.get(issued.grant.userId)?.active) {
      s.tokens.revokeUser(issued.grant.userId);
      return oauthError(ctx, 400, 'invalid_grant', 'the user is not active');
    }
    sendJson(ctx, 200, {
      access_token: issued.accessToken,
      refresh_token: issued.refreshToken,
      token_type: 'Bearer',
      expires_in: issued.expiresIn,
      scope: issued.grant.scope,
      ...(issued.grant.scope.split(/\s+/).includes('openid') ? { id_token: idToken(s, app, issued) } : {}),
    }, NO_STORE);
  });
}
