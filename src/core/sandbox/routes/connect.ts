// Connect: the system list (JSON), provider search (FHIR Organizations), logos, the picker page,
// and the pretend health-system login whose Authorize links the system to the user and adds its
// records to the user's data.
import { randomBytes } from 'node:crypto';
import type { Resource } from '../../fhir/types';
import { caller } from '../auth/caller';
import { searchset } from '../fhir/bundle';
import type { ConnectParams } from '../connect/pages';
import { connectedPage, loginPage, logoSvg, marketplacePage, problemPage, rootFrom } from '../connect/pages';
import type { HealthSystem } from '../connect/systems';
import type { Ctx } from '../http/context';
import { HttpError } from '../http/context';
import { redirect, send, sendFhir, sendHtml, sendJson } from '../http/reply';
import type { Router } from '../http/router';
import type { Services } from '../services';
import type { User } from '../users';

export const LOGO_EXTENSION = 'https://api.1up.health/fhir/StructureDefinition/logo';
export const SYSTEM_ID_EXTENSION = 'https://api.1up.health/fhir/StructureDefinition/health-system-id';

function matches(system: HealthSystem, text: string): boolean {
  const hay = `${system.name} ${system.ehr} ${system.locations.map((l) => `${l.address.city} ${l.address.line.join(' ')}`).join(' ')}`.toLowerCase();
  return text.toLowerCase().split(/\s+/).filter(Boolean).every((t) => hay.includes(t));
}

function systemJson(s: Services, x: HealthSystem): Record<string, unknown> {
  return {
    id: x.id, name: x.name, resource_url: x.resourceUrl, logo: `${s.url}/connect/logos/${x.id}.svg`,
    api_version: x.apiVersion, status: x.status, ehr: x.ehr, locations: x.locations,
  };
}

function organization(s: Services, x: HealthSystem): Resource {
  return {
    resourceType: 'Organization',
    id: String(x.id),
    extension: [{ url: LOGO_EXTENSION, valueUrl: `${s.url}/connect/logos/${x.id}.svg` }, { url: SYSTEM_ID_EXTENSION, valueInteger: x.id }],
    identifier: [{ system: 'https://api.1up.health/connect/system/clinical', value: String(x.id) }],
    active: x.status === 'active',
    type: [{ text: x.kind === 'Payer' ? 'Health plan' : 'Health system' }],
    name: x.name,
    address: x.locations.map((l) => ({ line: l.address.line, city: l.address.city, state: l.address.state, postalCode: l.address.postalCode })),
  };
}

function paramsOf(p: Record<string, string | undefined>): ConnectParams {
  return { clientId: p.client_id, accessToken: p.access_token, redirectUri: p.redirect_uri, state: p.state };
}

/** Only real navigations: no javascript:, data: or file: redirects. */
function safeRedirect(uri: string): URL {
  let u: URL;
  try {
    u = new URL(uri);
  } catch {
    throw new HttpError(400, `redirect_uri is not a URL: ${uri}`);
  }
  if (['javascript:', 'data:', 'file:', 'vbscript:', 'blob:'].includes(u.protocol)) throw new HttpError(400, `redirect_uri cannot use ${u.protocol}`);
  return u;
}

/** The user behind the page's access token, or a page that says what is wrong. */
function pageUser(s: Services, ctx: Ctx, p: ConnectParams): User | undefined {
  const checked = p.accessToken ? s.tokens.check(p.accessToken) : { expired: false };
  const user = 'grant' in checked ? s.users.get(checked.grant.userId) : undefined;
  const fail = (text: string) => { sendHtml(ctx, 401, problemPage('Cannot connect', text)); return undefined; };
  if (!p.accessToken) return fail('This link has no access_token: the app must add the user\'s access token to it.');
  if (!('grant' in checked)) return fail(checked.expired ? 'The access token in this link expired: go back to the app and try again.' : 'The access token in this link is not valid.');
  if (!user?.active) return fail('This user is not active.');
  if (p.clientId && p.clientId !== checked.grant.appId) return fail('The client_id in this link is not the app the access token belongs to.');
  return user;
}

export function connectRoutes(router: Router, s: Services): void {
  router.add('GET', /^\/connect(?:\/marketplace)?$/, (ctx) => {
    const q = ctx.query.get('q') ?? '';
    const nonce = randomBytes(16).toString('base64');
    sendHtml(ctx, 200, marketplacePage(s.systems.filter((x) => matches(x, q)), q, paramsOf(Object.fromEntries(ctx.query)), nonce, rootFrom(ctx.url.pathname)), nonce);
  });

  router.add('GET', /^\/connect\/system\/clinical$/, (ctx) => {
    const only = ctx.query.get('health_systems_only') === 'true';
    const name = ctx.query.get('name')?.trim().toLowerCase();
    const list = s.systems.filter((x) => (!only || x.kind === 'HealthSystem') && (!name || x.name.toLowerCase().includes(name)));
    sendJson(ctx, 200, list.map((x) => systemJson(s, x)));
  });

  router.add('GET', /^\/connect\/system\/provider\/search$/, (ctx) => {
    caller(s, ctx);
    const q = ctx.query.get('q') ?? '';
    const found = s.systems.filter((x) => matches(x, q)).map((x) => organization(s, x));
    sendFhir(ctx, 200, searchset(`${s.url}/connect/system/provider`, found.length, [{ relation: 'self', url: ctx.url.toString() }], found));
  });

  router.add('GET', /^\/connect\/logos\/(\d+)\.svg$/, (ctx, m) => {
    const system = s.dataset.system(Number(m[1]));
    if (!system) throw new HttpError(404, `no logo ${m[1]}`);
    send(ctx, 200, { 'Content-Type': 'image/svg+xml', 'Cache-Control': 'max-age=3600', 'Content-Security-Policy': "default-src 'none'; style-src 'unsafe-inline'" }, logoSvg(system));
  });

  router.add(['GET', 'POST'], /^\/connect\/system\/clinical\/(\d+)$/, async (ctx, m) => {
    const system = s.dataset.system(Number(m[1]));
    if (!system) return sendHtml(ctx, 404, problemPage('Unknown health system', `There is no health system ${m[1]}.`));
    const p = paramsOf(ctx.method === 'POST' ? await ctx.params() : Object.fromEntries(ctx.query));
    const target = p.redirectUri ? safeRedirect(p.redirectUri) : undefined;
    const user = pageUser(s, ctx, p);
    if (!user) return;
    if (ctx.method === 'GET') return sendHtml(ctx, 200, loginPage(system, p, user.appUserId));
    const denied = (await ctx.params()).decision === 'deny';
    if (!denied) {
      const c = s.dataset.compartment(user.patientId);
      if (c) s.dataset.connect(c, system.id, Date.now(), s.overlay.tick());
      s.logger.info(`user ${user.oneupUserId} connected ${system.name} (${system.id})`);
    }
    if (!target) return redirect(ctx, `${rootFrom(ctx.url.pathname)}connect/connected?system_id=${system.id}${denied ? '&denied=true' : ''}`);
    target.searchParams.set(denied ? 'error' : 'success', denied ? 'access_denied' : 'true');
    target.searchParams.set('system_id', String(system.id));
    if (p.state) target.searchParams.set('state', p.state);
    redirect(ctx, target.toString());
  });

  router.add('GET', /^\/connect\/connected$/, (ctx) => {
    const system = s.dataset.system(Number(ctx.query.get('system_id')));
    sendHtml(ctx, 200, connectedPage(system, ctx.query.get('denied') === 'true'));
  });
}
