// The request pipeline: host and origin checks, faults, routing, errors, one log line per request.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Services } from '../services';
import { Ctx, HttpError } from './context';
import type { Fault, Faults } from './faults';
import { faultProblem } from './faults';
import { shapeOf } from './record';
import { send, sendError } from './reply';
import type { Origins } from './origin';
import type { Router } from './router';

const MAX_CALLS_KEPT = 1000;

/** Answers the faults that end a request before it is handled; true when one did. */
function applyFaults(ctx: Ctx, faults: Fault[]): boolean {
  for (const f of faults) {
    if (f.kind === 'status') {
      const headers: Record<string, string> = f.retryAfter !== undefined ? { 'Retry-After': f.retryAfter } : {};
      if (f.body !== undefined) send(ctx, f.status, { 'Content-Type': 'application/json; charset=utf-8', ...headers }, JSON.stringify(f.body));
      else sendError(ctx, f.status, `fault injected by the sandbox: HTTP ${f.status}`, headers);
      return true;
    }
    if (f.kind === 'expired') {
      sendError(ctx, 410, 'fault injected by the sandbox: this file has expired', {}, 'expired');
      return true;
    }
    if (f.kind === 'reset' || f.kind === 'truncate') ctx.cut = { kind: f.kind, afterBytes: f.afterBytes };
  }
  return false;
}

function headerFault(ctx: Ctx): Fault | undefined {
  const raw = ctx.header('x-sandbox-fault');
  if (!raw) return undefined;
  let f: unknown;
  try {
    f = JSON.parse(raw);
  } catch {
    throw new HttpError(400, 'x-sandbox-fault must be JSON, e.g. {"kind":"status","status":503}');
  }
  const problem = faultProblem(f);
  if (problem) throw new HttpError(400, `x-sandbox-fault: ${problem}`);
  return f as Fault;
}

export function requestHandler(s: Services, router: Router, faults: Faults, origins: Origins) {
  return (req: IncomingMessage, res: ServerResponse): void => {
    const ctx = new Ctx(req, res, s.url);
    res.on('close', () => {
      const ms = Math.round(performance.now() - ctx.started);
      const status = res.statusCode;
      const aborted = !res.writableFinished;
      s.logger.info(`${ctx.wireMethod} ${ctx.path} → ${status} in ${ms} ms${aborted ? ' (connection closed early)' : ''}`);
      s.calls.push({ method: ctx.wireMethod, path: ctx.path, status, ms, at: new Date().toISOString(), ...shapeOf(ctx) });
      if (s.calls.length > MAX_CALLS_KEPT) s.calls.splice(0, s.calls.length - MAX_CALLS_KEPT);
    });
    void (async () => {
      try {
        origins.check(ctx);
        const wanted = faults.take(ctx.wireMethod, ctx.path);
        const fromHeader = headerFault(ctx);
        if (fromHeader) wanted.push(fromHeader);
        const delay = wanted.reduce((ms, f) => ms + (f.kind === 'latency' ? f.ms : 0), 0);
        if (delay) await sleep(delay);
        if (applyFaults(ctx, wanted)) return;
        if (ctx.hasFormBody()) await ctx.rawBody();
        await router.dispatch(ctx);
      } catch (e) {
        if (e instanceof HttpError) {
          sendError(ctx, e.status, e.message, e.headers, e.issueCode);
        } else {
          s.logger.error(e as Error);
          sendError(ctx, 500, `the sandbox failed: ${(e as Error).message}`);
        }
      }
    })();
  };
}
