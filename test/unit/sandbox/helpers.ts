// Plain HTTP helpers for the sandbox tests: they talk to a sandbox on a loopback port with the
// global fetch, as any client would.
import type { Bundle, Resource } from '../../../src/core/fhir/types';
import type { RunningSandbox, SandboxOptions } from '../../../src/core/sandbox';
import { startSandbox } from '../../../src/core/sandbox';

export interface Answer<T = unknown> { status: number; headers: Headers; body: T; text: string }

export async function call<T = unknown>(url: string, init: RequestInit = {}): Promise<Answer<T>> {
  const res = await fetch(url, { redirect: 'manual', ...init });
  const text = await res.text();
  let body: unknown = text;
  try {
    body = text ? JSON.parse(text) : undefined;
  } catch {
    // HTML, NDJSON and empty answers stay text
  }
  return { status: res.status, headers: res.headers, body: body as T, text };
}

export function post<T = unknown>(url: string, fields: Record<string, string>, headers: Record<string, string> = {}, method = 'POST'): Promise<Answer<T>> {
  return call<T>(url, {
    method,
    headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers },
    body: new URLSearchParams(fields).toString(),
  });
}

export function appFields(sb: RunningSandbox): Record<string, string> {
  return { client_id: sb.credentials.clientId, client_secret: sb.credentials.clientSecret };
}

/** The app's credentials as headers, reading as one user or (`client`) as the whole app. */
export function appHeaders(sb: RunningSandbox, as = 'client'): Record<string, string> {
  return { client_id: sb.credentials.clientId, client_secret: sb.credentials.clientSecret, 'x-oneup-user-id': as };
}

export function bearer(token: string): Record<string, string> {
  return { authorization: `Bearer ${token}` };
}

export interface UserTokens { access: string; refresh: string; oneupUserId: string; body: Record<string, unknown> }

/** An auth code for the user (created when new) exchanged for tokens. */
export async function tokensFor(sb: RunningSandbox, appUserId = 'demo-user-1', extra: Record<string, string> = {}): Promise<UserTokens> {
  let code = await post<Record<string, string>>(`${sb.url}/user-management/v1/user/auth-code`, { ...appFields(sb), app_user_id: appUserId, ...extra });
  if (code.status === 404) code = await post(`${sb.url}/user-management/v1/user`, { ...appFields(sb), app_user_id: appUserId, ...extra });
  if (code.status !== 200) throw new Error(`no code for ${appUserId}: ${code.status} ${code.text}`);
  const t = await post<Record<string, string>>(`${sb.url}/fhir/oauth2/token`, { ...appFields(sb), grant_type: 'authorization_code', code: code.body.code });
  if (t.status !== 200) throw new Error(`no token for ${appUserId}: ${t.status} ${t.text}`);
  return { access: t.body.access_token, refresh: t.body.refresh_token, oneupUserId: String(code.body.oneup_user_id), body: t.body };
}

export async function bundle(url: string, headers: Record<string, string>): Promise<Bundle> {
  const a = await call<Bundle>(url, { headers });
  if (a.status !== 200) throw new Error(`${url}: ${a.status} ${a.text}`);
  return a.body;
}

/** Follows `next` links to the end; answers every resource and how many pages it took. */
export async function allPages(url: string, headers: Record<string, string>, maxPages = 200): Promise<{ resources: Resource[]; pages: number; totals: number[] }> {
  const resources: Resource[] = [];
  const totals: number[] = [];
  let next: string | undefined = url;
  let pages = 0;
  while (next && pages < maxPages) {
    const b = await bundle(next, headers);
    pages++;
    totals.push(b.total ?? -1);
    resources.push(...(b.entry ?? []).map((e) => e.resource!));
    next = b.link?.find((l) => l.relation === 'next')?.url;
  }
  return { resources, pages, totals };
}

export function sandbox(options: SandboxOptions = {}): Promise<RunningSandbox> {
  return startSandbox({ patients: 4, ...options });
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
