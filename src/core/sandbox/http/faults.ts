// Faults on demand: rules given at start or added at run time match a path (prefix or regular
// expression) for a number of requests; the `x-sandbox-fault` header asks for one on a single request.

/** What goes wrong. */
export type Fault =
  | { kind: 'latency'; ms: number }
  | { kind: 'status'; status: number; retryAfter?: string; body?: unknown }
  | { kind: 'reset'; afterBytes: number }
  | { kind: 'truncate'; afterBytes: number }
  | { kind: 'expired' };

/** Where and how often: `route` is a path prefix or the source of a RegExp tested against the path. */
export interface FaultRule {
  route: string;
  method?: string;
  /** requests it applies to (default 1) */
  times?: number;
  fault: Fault;
}

const MAX_LATENCY_MS = 120_000;

/** Checks a fault's shape; answers the problem, or undefined when it is valid. */
export function faultProblem(f: unknown): string | undefined {
  const x = f as Record<string, unknown> | null;
  if (!x || typeof x !== 'object') return 'a fault must be a JSON object with a "kind"';
  const n = (k: string, min: number, max: number) =>
    typeof x[k] === 'number' && Number.isInteger(x[k]) && (x[k] as number) >= min && (x[k] as number) <= max;
  switch (x.kind) {
    case 'latency': return n('ms', 0, MAX_LATENCY_MS) ? undefined : `latency needs "ms" between 0 and ${MAX_LATENCY_MS}`;
    case 'status': return n('status', 400, 599) && (x.retryAfter === undefined || typeof x.retryAfter === 'string')
      ? undefined : 'status needs "status" between 400 and 599 (and "retryAfter" as a string, if any)';
    case 'reset': case 'truncate': return n('afterBytes', 0, Number.MAX_SAFE_INTEGER) ? undefined : `${String(x.kind)} needs "afterBytes" >= 0`;
    case 'expired': return undefined;
    default: return 'fault kind must be latency, status, reset, truncate or expired';
  }
}

interface ActiveRule { rule: FaultRule; remaining: number; re?: RegExp }

export class Faults {
  private readonly rules: ActiveRule[] = [];

  constructor(rules: readonly FaultRule[] = []) {
    for (const r of rules) this.add(r);
  }

  add(rule: FaultRule): void {
    const problem = faultProblem(rule.fault);
    if (problem) throw new Error(`invalid fault for ${rule.route}: ${problem}`);
    let re: RegExp | undefined;
    try {
      re = new RegExp(rule.route);
    } catch {
      re = undefined;
    }
    this.rules.push({ rule, remaining: rule.times ?? 1, re });
  }

  /** The faults that apply to this request; each match uses up one of its rule's times. */
  take(method: string, path: string): Fault[] {
    const out: Fault[] = [];
    for (const r of this.rules) {
      if (r.remaining <= 0) continue;
      if (r.rule.method && r.rule.method.toUpperCase() !== method) continue;
      if (!path.startsWith(r.rule.route) && !r.re?.test(path)) continue;
      r.remaining--;
      out.push(r.rule.fault);
    }
    for (let i = this.rules.length - 1; i >= 0; i--) if (this.rules[i].remaining <= 0) this.rules.splice(i, 1);
    return out;
  }

  pending(): number {
    return this.rules.length;
  }
}
