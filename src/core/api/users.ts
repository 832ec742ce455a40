import * as l10n from '@vscode/l10n';
import { ApiError, AuthError, isApiError } from '../errors';
import { endpoint, type Endpoint, type EndpointId, keysPlace } from './endpoints';
import { errorFromBody, firstHeader, parseJson } from './response';
import type { TransportRequest, Transport } from './transport';
import { type KnownIds, type UserRef, UserIds } from './userIds';

export type { UserRef } from './userIds';

/** A user of the app, as user management lists it. */
export interface AppUser {
  oneupUserId: string;
  appUserId: string;
  active: boolean;
}

/** A fresh authorization code for one user (lives 7200 s; exchange it with `tokens.exchangeCode`). */
export interface AuthCode extends AppUser {
  code: string;
}

/** Creating a user that exists is not a failure at 1up: it is answered as `exists`. */
export type CreateUserResult =
  | { kind: 'created'; user: AppUser; code: string }
  | { kind: 'exists'; appUserId: string; message: string; authCode?: AuthCode };

export interface CreateUserOptions {
  active?: boolean;
  /** `auth-code`: when the user already exists, fetch a new auth code for them (as 1up's sample app does). */
  onExists?: 'report' | 'auth-code';
}

const PATH = '/user-management/v1/user';
const EXISTS = /already exist/i;
const NO_USER = /not (be )?found|no (such )?user|does not exist|unknown/i;

/** The server's way of saying that no user has the id(s) sent. */
export function isNoSuchUser(e: unknown): boolean {
  return isApiError(e) && (e.status === 404 || (e.status === 400 && NO_USER.test(e.message)));
}

interface RawUser {
  oneup_user_id?: unknown;
  oneUpUserId?: unknown;
  app_user_id?: unknown;
  active?: unknown;
  code?: unknown;
  error?: unknown;
  success?: unknown;
}

/** Which users to list: by app_user_id or oneup_user_id (1up matches exactly); none lists all. */
export interface UserFilter { appUserId?: string; oneupUserId?: string }

/** `{apiUrl}/user-management/v1/user`: list, create, update users and mint auth codes. */
export class UsersApi {
  /** Both ids of every user the server has named to this client. */
  readonly ids = new UserIds();

  constructor(private readonly transport: Transport) {}

  /** Users of the app, optionally filtered; an empty list when none match (1up answers 404 then). */
  async listUsers(filter: UserFilter = {}, signal?: AbortSignal): Promise<AppUser[]> {
    // read as text: a failure may be plain text (a proxy's or rate limiter's 429), not JSON
    const { status, headers, text } = await this.transport.requestText(this.request('users.list', signal, {
      throwOnError: false, query: { app_user_id: filter.appUserId, oneup_user_id: filter.oneupUserId },
    }));
    if (status >= 400) {
      // 1up's "no user matches" is a 404 with its {error}; a 404 without one is a wrong URL
      if (status === 404 && typeof (jsonOrUndefined(text) as RawUser | undefined)?.error === 'string') return [];
      throw this.failure(status, 'GET', text);
    }
    const data = parseJson<unknown>(text, status, firstHeader(headers, 'content-type'), { method: 'GET', logPath: PATH });
    return userList(data).map((u) => this.learned(toUser(u)));
  }

  async createUser(appUserId: string, options: CreateUserOptions = {}, signal?: AbortSignal): Promise<CreateUserResult> {
    let data: RawUser | undefined;
    try {
      ({ data } = await this.transport.requestJson<RawUser>(this.request('users.create', signal, {
        body: { form: { app_user_id: appUserId, active: options.active } },
      })));
    } catch (e) {
      if (isApiError(e) && EXISTS.test(e.message)) return this.exists(appUserId, e.message, options, signal);
      throw e;
    }
    if (typeof data?.error === 'string' && EXISTS.test(data.error)) return this.exists(appUserId, data.error, options, signal);
    const u = this.checked(data, 'POST');
    const code = stringOf(u.code);
    this.transport.masker.add(code);
    return { kind: 'created', user: this.learned(toUser(u)), code };
  }

  /** Changes a user's app_user_id and/or active flag; the oneup_user_id never changes. */
  async updateUser(oneupUserId: string, changes: { appUserId?: string; active?: boolean }, signal?: AbortSignal): Promise<{ oneupUserId: string; success: boolean }> {
    const { data } = await this.transport.requestJson<RawUser>(this.request('users.update', signal, {
      body: { form: { oneup_user_id: oneupUserId, app_user_id: changes.appUserId, active: changes.active } },
    }));
    const u = this.checked(data, 'PUT');
    const success = u.success !== false;
    if (success && changes.appUserId) this.ids.learn(oneupUserId, changes.appUserId);
    return { oneupUserId: stringOf(u.oneUpUserId ?? u.oneup_user_id) || oneupUserId, success };
  }

  /**
   * A new authorization code for a user (backend only: it needs the client secret). Sends
   * `app_user_id` (the reference's field) whenever it is known, looking it up by oneup_user_id
   * when only that is, and `oneup_user_id` too when known (1up's guide: "oneup_user_id and/or
   * app_user_id"), so it works whichever the server requires.
   */
  async createAuthCode(user: UserRef, signal?: AbortSignal): Promise<AuthCode> {
    let ids = this.ids.complete(user);
    if (!ids.appUserId && ids.oneupUserId) ids = (await this.lookUp(ids.oneupUserId, signal)) ?? ids;
    try {
      return await this.authCode(ids, signal);
    } catch (e) {
      // an app_user_id held since before a rename elsewhere: ask the server for the current one, once
      if (!ids.oneupUserId || !ids.appUserId || !isNoSuchUser(e)) throw e;
      const current = await this.lookUp(ids.oneupUserId, signal);
      if (!current?.appUserId || current.appUserId === ids.appUserId) throw e;
      return this.authCode(current, signal);
    }
  }

  private async authCode(ids: KnownIds, signal?: AbortSignal): Promise<AuthCode> {
    const { data } = await this.transport.requestJson<RawUser>(this.request('users.authCode', signal, {
      body: { form: { app_user_id: ids.appUserId, oneup_user_id: ids.oneupUserId } },
    }));
    const u = this.checked(data, 'POST', '/auth-code');
    const code = stringOf(u.code);
    if (!code) throw new ApiError(200, 'POST', PATH + '/auth-code', l10n.t('The answer carried no authorization code.'));
    this.transport.masker.add(code);
    const known = toUser(u);
    // an answer that leaves out an id keeps the one asked with
    return { ...this.learned({ ...known, oneupUserId: known.oneupUserId || ids.oneupUserId || '', appUserId: known.appUserId || ids.appUserId || '' }), code };
  }

  /** Both ids of a user named by oneup_user_id, from the server (undefined when it knows none). */
  private async lookUp(oneupUserId: string, signal?: AbortSignal): Promise<KnownIds | undefined> {
    const [u] = await this.listUsers({ oneupUserId }, signal);
    return u && u.oneupUserId === oneupUserId ? { oneupUserId, appUserId: u.appUserId || undefined } : undefined;
  }

  private learned<U extends AppUser>(u: U): U {
    this.ids.learn(u.oneupUserId, u.appUserId);
    return u;
  }

  private async exists(appUserId: string, message: string, options: CreateUserOptions, signal?: AbortSignal): Promise<CreateUserResult> {
    if (options.onExists !== 'auth-code') return { kind: 'exists', appUserId, message };
    return { kind: 'exists', appUserId, message, authCode: await this.createAuthCode({ appUserId }, signal) };
  }

  /** A request to one of the table's user-management endpoints: its method, path and key placement. */
  private request(id: EndpointId, signal: AbortSignal | undefined, rest: Partial<TransportRequest>): TransportRequest {
    const e: Endpoint = endpoint(id);
    return {
      method: e.method, url: this.transport.apiUrl(e.path), auth: { kind: 'app-keys', keys: keysPlace(e) ?? 'form' },
      accept: e.headers.accept, userManagement: true, signal, ...rest,
    };
  }

  /** A 2xx answer can still carry `{error}`; that is a failure too. */
  private checked(data: RawUser | undefined, method: string, sub = ''): RawUser {
    if (!data || typeof data !== 'object') throw new ApiError(200, method, PATH + sub, l10n.t('The answer was empty.'));
    if (typeof data.error === 'string' && data.error && data.success !== true) throw new ApiError(200, method, PATH + sub, data.error);
    return data;
  }

  private failure(status: number, method: string, raw: string): Error {
    const err = errorFromBody(status, method, PATH, raw, undefined, (t) => this.transport.masker.mask(t));
    if (status === 401) return new AuthError('invalid-credentials', l10n.t('1upHealth did not accept the client_id and client_secret ({0}).', err.message), 401);
    return err;
  }
}

function jsonOrUndefined(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

function userList(data: unknown): RawUser[] {
  if (Array.isArray(data)) return data as RawUser[];
  if (!data || typeof data !== 'object') return [];
  const d = data as { entry?: unknown; users?: unknown; data?: unknown; oneup_user_id?: unknown };
  for (const key of ['entry', 'users', 'data'] as const) if (Array.isArray(d[key])) return d[key] as RawUser[];
  return d.oneup_user_id !== undefined ? [d as RawUser] : [];
}

function toUser(u: RawUser): AppUser {
  return {
    oneupUserId: stringOf(u.oneup_user_id ?? u.oneUpUserId),
    appUserId: stringOf(u.app_user_id),
    active: u.active === undefined ? true : u.active === true || u.active === 'true',
  };
}

function stringOf(v: unknown): string {
  return typeof v === 'string' ? v : typeof v === 'number' ? String(v) : '';
}
