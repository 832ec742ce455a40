const HOUR = 3_600_000;

/** A rolling one-hour window of calls per app (user management: 300 an hour on 1upHealth). */
export class RateLimiter {
  private readonly calls = new Map<string, number[]>();

  constructor(private readonly perHour: number, private readonly now: () => number = Date.now) {}

  /** Counts a call; when over the limit, answers how many seconds until one is allowed again. */
  take(appId: string): { ok: true } | { ok: false; retryAfter: number } {
    if (this.perHour <= 0) return { ok: true };
    const t = this.now();
    const list = (this.calls.get(appId) ?? []).filter((c) => c > t - HOUR);
    this.calls.set(appId, list);
    if (list.length >= this.perHour) return { ok: false, retryAfter: Math.max(1, Math.ceil((list[0] + HOUR - t) / 1000)) };
    list.push(t);
    return { ok: true };
  }
}
