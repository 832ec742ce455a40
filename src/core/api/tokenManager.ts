import * as l10n from '@vscode/l10n';
import { AuthError, CancelledError, isApiError, isAuthError } from '../errors';
import type { Logger } from '../log';
import type { BearerSource } from './auth';
import { Emitter, type Listen } from './events';
import type { TokenSet, TokensApi } from './tokens';
import { isNoSuchUser, type UserRef, type UsersApi } from './users';

/** Where tokens are kept: SecretStorage in the host (one store per environment), memory in tests. */
export interface TokenStore {
  get(key: string): Promise<string | undefined>;
  set(key: string, value: string): Promise<void>;
  delete(key: string): Promise<void>;
}

/** A TokenStore in memory (tests, and a CLI without a keychain). */
export class MemoryTokenStore implements TokenStore {
  readonly values = new Map<string, string>();
  async get(key: string): Promise<string | undefined> {
    return this.values.get(key);
  }
  async set(key: string, value: string): Promise<void> {
    this.values.set(key, value);
  }
  async delete(key: string): Promise<void> {
    this.values.delete(key);
  }
}

/** What the UI shows about one user's token. */
export type TokenState =
  | { kind: 'none' }
  | { kind: 'valid'; expiresAt: number }
  | { kind: 'expired'; expiresAt: number };

export interface TokenManagerOptions {
  user: UserRef;
  store: TokenStore;
  tokens: TokensApi;
  users: UsersApi;
  logger: Logger;
  /** Refresh this long before expiry (default 60 s) so a request never leaves with a dying token. */
  refreshAheadMs?: number;
  now?: () => number;
}

/** The store key for a user's tokens: by oneup_user_id when known (it never changes), else by app_user_id. */
export function tokenKey(user: UserRef): string {
  return user.oneupUserId ? `oneup_user_id:${user.oneupUserId}` : `app_user_id:${user.appUserId}`;
}

/**
 * One app user's tokens in one environment. Refreshes ahead of expiry, runs a single refresh for
 * any number of concurrent callers, and signs in again with a new auth code when the refresh
 * token is refused or there are no tokens yet (the app owns its users, so it can always mint a code).
 */
export class TokenManager implements BearerSource {
  readonly key: string;
  private cached: TokenSet | undefined;
  private loaded = false;
  private inflight: Promise<TokenSet> | undefined;
  private readonly changed = new Emitter<TokenState>();
  /** Fires whenever the tokens change (new, refreshed, cleared). */
  readonly onDidChange: Listen<TokenState> = this.changed.event;

  constructor(private readonly o: TokenManagerOptions) {
    this.key = tokenKey(o.user);
  }

  get user(): UserRef {
    return this.o.user;
  }

  /** none / valid until / expired, for the UI. */
  async state(): Promise<TokenState> {
    const t = await this.load();
    if (!t) return { kind: 'none' };
    return t.expiresAt > this.now() ? { kind: 'valid', expiresAt: t.expiresAt } : { kind: 'expired', expiresAt: t.expiresAt };
  }

  async accessToken(signal?: AbortSignal): Promise<string> {
    const t = await this.load();
    if (t && t.expiresAt - this.now() > (this.o.refreshAheadMs ?? 60_000)) return t.accessToken;
    return (await this.renewOnce(t, signal)).accessToken;
  }

  async renew(rejected: string, signal?: AbortSignal): Promise<string> {
    const t = await this.load();
    // another caller already replaced the refused token
    if (t && t.accessToken !== rejected) return t.accessToken;
    return (await this.renewOnce(t, signal, true)).accessToken;
  }

  /** Uses the refresh token now (the UI's "Refresh Token"); signs in afresh when it is refused. */
  async refreshNow(signal?: AbortSignal): Promise<TokenSet> {
    return this.renewOnce(await this.load(), signal);
  }

  /** Signs in afresh (new auth code + exchange), dropping any stored tokens. */
  signIn(signal?: AbortSignal): Promise<TokenSet> {
    return this.single(() => this.viaAuthCode(), signal);
  }

  /** Keeps tokens obtained elsewhere (e.g. a code the user pasted); they are masked in the log from now on. */
  async setTokens(tokens: TokenSet): Promise<void> {
    this.o.tokens.mask(tokens);
    await this.save(tokens);
  }

  async clear(): Promise<void> {
    this.cached = undefined;
    this.loaded = true;
    await this.o.store.delete(this.key);
    this.changed.fire({ kind: 'none' });
  }

  dispose(): void {
    this.changed.dispose();
  }

  private renewOnce(current: TokenSet | undefined, signal: AbortSignal | undefined, refused = false): Promise<TokenSet> {
    return this.single(async () => {
      if (current?.refreshToken) {
        try {
          return await this.save(await this.o.tokens.refreshToken(current.refreshToken));
        } catch (e) {
          if (!rejectedGrant(e)) throw e;
          this.o.logger.info(`The refresh token of ${this.key} was refused; signing in with a new auth code.`);
        }
      } else if (current && refused) {
        this.o.logger.info(`The access token of ${this.key} was refused and there is no refresh token; signing in again.`);
      }
      return this.viaAuthCode();
    }, signal);
  }

  /**
   * Concurrent callers share the one refresh in flight instead of each spending a refresh token.
   * The shared work runs without any one caller's signal (one caller cancelling must not fail the
   * others); each caller stops waiting when its own signal fires.
   */
  private single(work: () => Promise<TokenSet>, signal?: AbortSignal): Promise<TokenSet> {
    if (!this.inflight) {
      this.inflight = work().finally(() => {
        this.inflight = undefined;
      });
    }
    return untilAborted(this.inflight, signal);
  }

  private async viaAuthCode(): Promise<TokenSet> {
    let code: string;
    try {
      // the users API adds the id this ref lacks (app_user_id is the reference's field)
      code = (await this.o.users.createAuthCode(this.o.user)).code;
    } catch (e) {
      if (isApiError(e) && isNoSuchUser(e)) throw new AuthError('no-user', l10n.t('The app has no user {0} ({1}).', this.key.replace(':', ' '), e.message), e.status);
      throw e;
    }
    return this.save(await this.o.tokens.exchangeCode(code));
  }

  private async load(): Promise<TokenSet | undefined> {
    if (this.loaded) return this.cached;
    const raw = await this.o.store.get(this.key);
    if (!this.loaded) {
      this.cached = parse(raw);
      this.loaded = true;
      // tokens kept from an earlier session never went through this session's grants
      if (this.cached) this.o.tokens.mask(this.cached);
    }
    return this.cached;
  }

  private async save(t: TokenSet): Promise<TokenSet> {
    this.cached = t;
    this.loaded = true;
    await this.o.store.set(this.key, JSON.stringify(t));
    this.changed.fire({ kind: 'valid', expiresAt: t.expiresAt });
    return t;
  }

  private now(): number {
    return (this.o.now ?? Date.now)();
  }
}

function untilAborted<T>(p: Promise<T>, signal?: AbortSignal): Promise<T> {
  if (!signal) return p;
  if (signal.aborted) return Promise.reject(new CancelledError());
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(new CancelledError());
    signal.addEventListener('abort', onAbort, { once: true });
    p.then(resolve, reject).finally(() => signal.removeEventListener('abort', onAbort));
  });
}

function rejectedGrant(e: unknown): boolean {
  return (isAuthError(e) && e.problem === 'token-rejected') || (isApiError(e) && (e.status === 400 || e.status === 401));
}

function parse(raw: string | undefined): TokenSet | undefined {
  if (!raw) return undefined;
  try {
    const t = JSON.parse(raw) as TokenSet;
    return typeof t.accessToken === 'string' && typeof t.expiresAt === 'number' ? t : undefined;
  } catch {
    return undefined;
  }
}
