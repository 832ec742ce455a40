import type { Ctx, Handler } from './context';
import { sendError } from './reply';

interface Route { methods: string[]; pattern: RegExp; handler: Handler }

export class Router {
  private readonly routes: Route[] = [];

  add(methods: string | string[], pattern: RegExp, handler: Handler): this {
    this.routes.push({ methods: Array.isArray(methods) ? methods : [methods], pattern, handler });
    return this;
  }

  async dispatch(ctx: Ctx): Promise<void> {
    const allowed = new Set<string>();
    for (const r of this.routes) {
      const m = r.pattern.exec(ctx.path);
      if (!m) continue;
      const method = ctx.method === 'HEAD' && r.methods.includes('GET') ? 'GET' : ctx.method;
      if (r.methods.includes(method)) return r.handler(ctx, m);
      for (const x of r.methods) allowed.add(x);
    }
    if (allowed.size) sendError(ctx, 405, `${ctx.method} is not supported on ${ctx.path}`, { Allow: [...allowed].join(', ') });
    else sendError(ctx, 404, `no such endpoint: ${ctx.method} ${ctx.path}`);
  }
}
