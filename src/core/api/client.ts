import type { FhirVersion } from '../environments';
import { type ActingAs, asApp } from './auth';
import { type BudgetState, RateBudget, USER_MANAGEMENT_CALLS_PER_HOUR } from './budget';
import { ConnectApi } from './connect';
import type { Listen } from './events';
import { FhirClient } from './fhir';
import { MemoryTokenStore, TokenManager, tokenKey, type TokenStore } from './tokenManager';
import { TokensApi } from './tokens';
import { type LastCall, Transport, type TransportOptions } from './transport';
import { type UserRef, UsersApi } from './users';

export interface OneUpClientOptions extends Omit<TransportOptions, 'budget'> {
  /** Where user tokens are kept (SecretStorage in the host); memory when absent. */
  tokenStore?: TokenStore;
  /** User-management calls per rolling hour (1up's docs: 300). */
  rateLimitPerHour?: number;
  refreshAheadSeconds?: number;
  /** Waits before re-trying a code exchange answered "invalid grant" (default 1 s, 2 s). */
  codeRetryDelaysMs?: readonly number[];
}

/** Everything the extension asks of 1upHealth, for one environment. */
export interface OneUpClient {
  readonly transport: Transport;
  readonly users: UsersApi;
  readonly tokens: TokensApi;
  readonly connect: ConnectApi;
  /** FHIR calls for `version` (default: the environment's), acting as the app (`client`) unless told otherwise. */
  fhir(version?: FhirVersion, as?: ActingAs): FhirClient;
  /**
   * The TokenManager of one app user (one per user, shared by every caller); a string is an
   * app_user_id. Name the user by both ids when you have them: its sign-ins send app_user_id.
   */
  tokenManager(user: UserRef | string): TokenManager;
  readonly budget: { state(): BudgetState; readonly onDidChange: Listen<BudgetState> };
  readonly lastCall: LastCall | undefined;
  dispose(): Promise<void>;
}

/** Builds the client of one environment; rebuild it when settings change (it caches none). */
export function createOneUpClient(o: OneUpClientOptions): OneUpClient {
  const now = o.clock?.now ?? Date.now;
  const budget = new RateBudget(o.rateLimitPerHour ?? USER_MANAGEMENT_CALLS_PER_HOUR, now);
  const transport = new Transport({ ...o, budget });
  const users = new UsersApi(transport);
  const tokens = new TokensApi(transport, { codeRetryDelaysMs: o.codeRetryDelaysMs, now, sleep: o.clock?.sleep });
  const connect = new ConnectApi(transport);
  const store = o.tokenStore ?? new MemoryTokenStore();
  const managers = new Map<string, TokenManager>();
  return {
    transport,
    users,
    tokens,
    connect,
    fhir: (version = o.environment.fhirVersion, as = asApp()) => new FhirClient(transport, version, as),
    tokenManager(user) {
      const given: UserRef = typeof user === 'string' ? { appUserId: user } : user;
      // keyed by oneup_user_id whenever the users API has learned it, so one user has one manager
      const known = users.ids.complete(given);
      const ref: UserRef = known.oneupUserId ? { ...given, oneupUserId: known.oneupUserId } : given;
      const key = tokenKey(ref);
      let m = managers.get(key);
      if (!m) {
        m = new TokenManager({
          user: ref, store, tokens, users, logger: transport.logger, now,
          refreshAheadMs: (o.refreshAheadSeconds ?? 60) * 1000,
        });
        managers.set(key, m);
      }
      return m;
    },
    budget: { state: () => budget.state(), onDidChange: budget.onDidChange },
    get lastCall() {
      return transport.lastCall;
    },
    async dispose() {
      for (const m of managers.values()) m.dispose();
      budget.dispose();
      await transport.dispose();
    },
  };
}
