import { Emitter, type Listen } from './events';

/** 1upHealth's documented limit on user-management calls per app. */
export const USER_MANAGEMENT_CALLS_PER_HOUR = 300;
const HOUR_MS = 3_600_000;

/** What the UI shows about the user-management rate limit of the current app. */
export interface BudgetState {
  limit: number;
  /** Calls left in the rolling hour, as far as this client has seen; 0 after a 429. */
  remaining: number;
  /** When the oldest counted call leaves the window (ms since epoch), if any call is counted. */
  resetsAt?: number;
}

/**
 * Counts user-management calls per app (client id) over a rolling hour. It only sees this
 * client's own calls, so it is an estimate: a 429 from the server sets it to zero until the
 * server's Retry-After (or the window) has passed.
 */
export class RateBudget {
  private readonly calls = new Map<string, number[]>();
  private readonly blockedUntil = new Map<string, number>();
  private current: string | undefined;
  private readonly changed = new Emitter<BudgetState>();
  /** Fires after every counted call and every 429 with the current app's state. */
  readonly onDidChange: Listen<BudgetState> = this.changed.event;

  constructor(readonly limit = USER_MANAGEMENT_CALLS_PER_HOUR, private readonly now: () => number = Date.now) {}

  /** Counts one call that was sent for the app `clientId`. */
  record(clientId: string): void {
    this.current = clientId;
    const list = this.window(clientId);
    list.push(this.now());
    this.changed.fire(this.state());
  }

  /** The server said "too many": nothing is left until `retryAfterSeconds` (or the window) passes. */
  exhausted(clientId: string, retryAfterSeconds?: number): void {
    this.current = clientId;
    const list = this.window(clientId);
    const until = retryAfterSeconds !== undefined ? this.now() + retryAfterSeconds * 1000 : (list[0] ?? this.now()) + HOUR_MS;
    this.blockedUntil.set(clientId, until);
    this.changed.fire(this.state());
  }

  /** The state of `clientId`, or of the app that made the last call. */
  state(clientId = this.current): BudgetState {
    if (clientId === undefined) return { limit: this.limit, remaining: this.limit };
    const list = this.window(clientId);
    const blocked = (this.blockedUntil.get(clientId) ?? 0) > this.now();
    const remaining = blocked ? 0 : Math.max(0, this.limit - list.length);
    const resetsAt = blocked ? this.blockedUntil.get(clientId) : list.length ? list[0] + HOUR_MS : undefined;
    return resetsAt === undefined ? { limit: this.limit, remaining } : { limit: this.limit, remaining, resetsAt };
  }

  dispose(): void {
    this.changed.dispose();
  }

  private window(clientId: string): number[] {
    const cutoff = this.now() - HOUR_MS;
    const list = (this.calls.get(clientId) ?? []).filter((t) => t > cutoff);
    this.calls.set(clientId, list);
    return list;
  }
}
