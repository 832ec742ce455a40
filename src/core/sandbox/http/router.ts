import type { Ctx, Handler } from './context';
import { sendError } from './reply';

export interface RouteOptions {
  /**
   * false for a GET that starts work (a bulk export kick-off): HEAD must never change anything,
   * so such a route answers HEAD with 405 instead of running.
   */
  head?: boolean;
}

interface Route { methods: string[]; pattern: RegExp; handler: Handler; head: boolean }

export class Router {
  private readonly routes: Route[] = [];

  add(methods: string | string[], pattern: RegExp, handler: Handler, options: RouteOptions = {}): this {
    this.routes.push({ methods: Array.isArray(methods) ? methods : [methods], pattern, handler, head: options.head ?? true });
    return this;
  }

  /** Runs the route for the request. HEAD runs the GET route as GET (ctx.method), and only sends less. */
  async dispatch(ctx: Ctx): Promise<void> {
    const allowed = new Set<string>();
    for (const r of this.routes) {
      const m = r.pattern.exec(ctx.path);
      if (!m) continue;
      if (r.methods.includes(ctx.method) && (!ctx.head || r.head)) return r.handler(ctx, m);
      for (const x of r.methods) allowed.add(x);
      if (r.head && r.methods.includes('GET')) allowed.add('HEAD');
    }
    if (allowed.size) sendError(ctx, 405, `${ctx.wireMethod} is not supported on ${ctx.path}`, { Allow: [...allowed].join(', ') });
    else sendError(ctx, 404, `no such endpoint: ${ctx.wireMethod} ${ctx.path}`);
  }
}
