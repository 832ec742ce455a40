// Who may talk to the sandbox. It runs on the user's machine, inside the extension host, so a
// web page in the user's browser must not reach it: not through DNS rebinding (the Host check)
// and not with a cross-site form, no-cors fetch or image (the Origin / Sec-Fetch-Site check).
// All of that is decided here, in one place.
import type { Ctx } from './context';
import { HttpError } from './context';

/**
 * The names the sandbox answers to: 127.0.0.1 and localhost on its port, plus `extraHosts`
 * (host:port, e.g. what a remote window's port forwarding hands back).
 */
export class Origins {
  private readonly extra = new Set<string>();

  /** `hostname`: a name the sandbox is served as (its `hostname` option, e.g. an /etc/hosts alias of 127.0.0.1) */
  constructor(private readonly port: () => number, extraHosts: readonly string[] = [], private readonly hostname?: string) {
    for (const h of extraHosts) this.allowHost(h);
  }

  /** Adds a host:port the sandbox is reached by (lower-cased). */
  allowHost(hostPort: string): void {
    this.extra.add(hostPort.trim().toLowerCase());
  }

  hosts(): string[] {
    const p = this.port();
    return [`127.0.0.1:${p}`, `localhost:${p}`, ...(this.hostname ? [`${this.hostname.toLowerCase()}:${p}`] : []), ...this.extra];
  }

  /** The origins (scheme://host:port) of the sandbox's own pages. */
  origins(): string[] {
    return this.hosts().flatMap((h) => [`http://${h}`, `https://${h}`]);
  }

  /** Throws 421 for a Host the sandbox is not (DNS rebinding) and 403 for a request from another site. */
  check(ctx: Ctx): void {
    const host = (ctx.header('host') ?? '').toLowerCase();
    if (!this.hosts().includes(host)) throw new HttpError(421, `unexpected Host header "${host}"`);
    if (crossSiteAllowed(ctx)) return;
    const origin = ctx.header('origin');
    if (origin !== undefined && !this.origins().includes(origin.toLowerCase())) {
      throw new HttpError(403, `requests from web pages of another site (Origin ${origin}) are refused`, {}, 'forbidden');
    }
    const site = ctx.header('sec-fetch-site')?.toLowerCase();
    if (site && site !== 'same-origin' && site !== 'none') {
      throw new HttpError(403, `requests from web pages of another site (Sec-Fetch-Site: ${site}) are refused`, {}, 'forbidden');
    }
  }
}

/**
 * The Connect pages are meant to be opened by a browser from the developer's app (often in an
 * iframe), and their logos embedded there: those may be read from another site. Nothing that
 * changes state is: the health system's Authorize form posts from the sandbox's own page.
 */
function crossSiteAllowed(ctx: Ctx): boolean {
  if (ctx.method !== 'GET') return false;
  const p = ctx.path;
  return p === '/connect' || p === '/connect/marketplace' || p === '/connect/connected'
    || /^\/connect\/system\/clinical\/\d+$/.test(p) || /^\/connect\/logos\/\d+\.svg$/.test(p);
}
