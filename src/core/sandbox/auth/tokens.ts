// Authorization codes, access tokens and refresh tokens: random, expiring, single-use codes,
// and refresh tokens that rotate (the old one stops working once used).
import { randomBytes } from 'node:crypto';

export interface Grant { appId: string; userId: string; scope: string; expiresAt: number }

export interface Lifetimes { accessSeconds: number; codeSeconds: number; refreshSeconds: number }

export interface IssuedTokens { accessToken: string; refreshToken: string; expiresIn: number; grant: Grant }

function secret(): string {
  return randomBytes(20).toString('hex');
}

export class Tokens {
  private readonly codes = new Map<string, Grant>();
  private readonly access = new Map<string, Grant>();
  private readonly refresh = new Map<string, Grant>();

  constructor(private readonly lifetimes: Lifetimes, private readonly now: () => number = Date.now) {}

  issueCode(appId: string, userId: string, scope: string): string {
    this.sweep();
    const code = secret();
    this.codes.set(code, { appId, userId, scope, expiresAt: this.now() + this.lifetimes.codeSeconds * 1000 });
    return code;
  }

  /** Exchanges a code (once) for tokens; undefined when unknown, used, expired or another app's. */
  exchange(appId: string, code: string): IssuedTokens | undefined {
    const g = this.codes.get(code);
    this.codes.delete(code);
    if (!g || g.appId !== appId || g.expiresAt <= this.now()) return undefined;
    return this.issue(g);
  }

  /** Rotates a refresh token: the old one is spent whatever the outcome. */
  rotate(appId: string, refreshToken: string): IssuedTokens | undefined {
    const g = this.refresh.get(refreshToken);
    this.refresh.delete(refreshToken);
    if (!g || g.appId !== appId || g.expiresAt <= this.now()) return undefined;
    return this.issue(g);
  }

  /** The grant behind a bearer token; `expired` tells the caller why it failed. */
  check(token: string): { grant: Grant } | { expired: boolean } {
    const g = this.access.get(token);
    if (!g) return { expired: false };
    if (g.expiresAt <= this.now()) {
      this.access.delete(token);
      return { expired: true };
    }
    return { grant: g };
  }

  /** Ends every token and code of a user (deactivation). */
  revokeUser(userId: string): void {
    for (const m of [this.codes, this.access, this.refresh]) for (const [k, g] of m) if (g.userId === userId) m.delete(k);
  }

  private issue(from: Grant): IssuedTokens {
    this.sweep();
    const t = this.now();
    const accessToken = secret();
    const refreshToken = secret();
    const grant: Grant = { appId: from.appId, userId: from.userId, scope: from.scope, expiresAt: t + this.lifetimes.accessSeconds * 1000 };
    this.access.set(accessToken, grant);
    this.refresh.set(refreshToken, { ...grant, expiresAt: t + this.lifetimes.refreshSeconds * 1000 });
    return { accessToken, refreshToken, expiresIn: Math.ceil(this.lifetimes.accessSeconds), grant };
  }

  private sweep(): void {
    const t = this.now();
    for (const m of [this.codes, this.access, this.refresh]) {
      if (m.size < 5000) continue;
      for (const [k, g] of m) if (g.expiresAt <= t) m.delete(k);
    }
  }
}
