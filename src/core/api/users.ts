import { ApiError, AuthError, isApiError } from '../errors';
import { errorFromBody } from './response';
import type { Transport } from './transport';

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

/** Which user: the app's own id for them, or 1up's. */
export type UserRef = { appUserId: string } | { oneupUserId: string };

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
  constructor(private readonly transport: Transport) {}

  /** Users of the app, optionally filtered; an empty list when none match (1up answers 404 then). */
  async listUsers(filter: UserFilter = {}, signal?: AbortSignal): Promise<AppUser[]> {
    const { status, data } = await this.transport.requestJson<unknown>({
      method: 'GET', url: this.url(), auth: { kind: 'app-keys' }, userManagement: true, signal, throwOnError: false,
      query: { app_user_id: filter.appUserId, oneup_user_id: filter.oneupUserId },
    });
    // 1up's "no user matches" is a 404 with its {error}; a 404 without one is a wrong URL
    if (status === 404 && typeof (data as RawUser | undefined)?.error === 'string') return [];
    if (status >= 400) throw await this.failure(status, 'GET', data);
    return userList(data).map(toUser);
  }

  async createUser(appUserId: string, options: CreateUserOptions = {}, signal?: AbortSignal): Promise<CreateUserResult> {
    let data: RawUser | undefined;
    try {
      ({ data } = await this.transport.requestJson<RawUser>({
        method: 'POST', url: this.url(), auth: { kind: 'app-keys' }, userManagement: true, signal,
        body: { form: { app_user_id: appUserId, active: options.active } },
      }));
    } catch (e) {
      if (isApiError(e) && EXISTS.test(e.message)) return this.exists(appUserId, e.message, options, signal);
      throw e;
    }
    if (typeof data?.error === 'string' && EXISTS.test(data.error)) return this.exists(appUserId, data.error, options, signal);
    const u = this.checked(data, 'POST');
    const code = stringOf(u.code);
    this.transport.masker.add(code);
    return { kind: 'created', user: toUser(u), code };
  }

  /** Changes a user's app_user_id and/or active flag; the oneup_user_id never changes. */
  async updateUser(oneupUserId: string, changes: { appUserId?: string; active?: boolean }, signal?: AbortSignal): Promise<{ oneupUserId: string; success: boolean }> {
    const { data } = await this.transport.requestJson<RawUser>({
      method: 'PUT', url: this.url(), auth: { kind: 'app-keys' }, userManagement: true, signal,
      body: { form: { oneup_user_id: oneupUserId, app_user_id: changes.appUserId, active: changes.active } },
    });
    const u = this.checked(data, 'PUT');
    return { oneupUserId: stringOf(u.oneUpUserId ?? u.oneup_user_id) || oneupUserId, success: u.success !== false };
  }

  /** A new authorization code for a user (backend only: it needs the client secret). */
  async createAuthCode(user: UserRef, signal?: AbortSignal): Promise<AuthCode> {
    const form = 'appUserId' in user ? { app_user_id: user.appUserId } : { oneup_user_id: user.oneupUserId };
    const { data } = await this.transport.requestJson<RawUser>({
      method: 'POST', url: this.url('/auth-code'), auth: { kind: 'app-keys' }, userManagement: true, signal, body: { form },
    });
    const u = this.checked(data, 'POST', '/auth-code');
    const code = stringOf(u.code);
    if (!code) throw new ApiError(200, 'POST', PATH + '/auth-code', 'The answer carried no authorization code.');
    this.transport.masker.add(code);
    return { ...toUser(u), code };
  }

  private async exists(appUserId: string, message: string, options: CreateUserOptions, signal?: AbortSignal): Promise<CreateUserResult> {
    if (options.onExists !== 'auth-code') return { kind: 'exists', appUserId, message };
    return { kind: 'exists', appUserId, message, authCode: await this.createAuthCode({ appUserId }, signal) };
  }

  /** A 2xx answer can still carry `{error}`; that is a failure too. */
  private checked(data: RawUser | undefined, method: string, sub = ''): RawUser {
    if (!data || typeof data !== 'object') throw new ApiError(200, method, PATH + sub, 'The answer was empty.');
    if (typeof data.error === 'string' && data.error && data.success !== true) throw new ApiError(200, method, PATH + sub, data.error);
    return data;
  }

  private failure(status: number, method: string, data: unknown): Error {
    const err = errorFromBody(status, method, PATH, data === undefined ? '' : JSON.stringify(data));
    if (status === 401) return new AuthError('invalid-credentials', `1upHealth did not accept the client_id and client_secret (${err.message}).`, 401);
    return err;
  }

  private url(sub = ''): string {
    return this.transport.apiUrl(PATH + sub);
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
