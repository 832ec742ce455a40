import type { FhirVersion } from '../environments';

/** Where the next page of a search continues. */
export interface PageRecord {
  environment: string;
  version: FhirVersion;
  type: string;
  /** The server's `next` link, absolute. */
  url: string;
  /** Acting as this user (else as the app). */
  user?: { oneupUserId: string; appUserId?: string };
  /** Results before that page. */
  offset: number;
  format: 'summary' | 'json';
}

/**
 * Next-page links handed to the model as short ids ("page-3"). A link itself would not survive
 * the masking every answer goes through (a `code=` or token-like value in it would be masked), and
 * models copy long URLs badly. Only the newest `max` are kept.
 */
export class PageCursors {
  private readonly pages = new Map<string, PageRecord>();
  private n = 0;

  constructor(private readonly max = 200) {}

  add(page: PageRecord): string {
    const id = `page-${++this.n}`;
    this.pages.set(id, page);
    for (const old of this.pages.keys()) {
      if (this.pages.size <= this.max) break;
      this.pages.delete(old);
    }
    return id;
  }

  get(id: string): PageRecord | undefined {
    return this.pages.get(id);
  }
}

/** A request a tool made (the API client's LastCall). */
export interface RecordedRequest {
  method: string;
  /** Path with query values masked. */
  target: string;
  status?: number;
  error?: string;
  curl: string;
}

/** The requests of one tool call, numbered for "give me that as curl". */
export interface RecordedToolCall {
  n: number;
  tool: string;
  environment: string;
  requests: RecordedRequest[];
}

/** The requests of the last tool calls (the newest `max`). */
export class RecentToolCalls {
  private readonly list: RecordedToolCall[] = [];
  private n = 0;

  constructor(private readonly max = 50) {}

  /** Records a tool call's requests; answers its number, or undefined when it made none. */
  record(tool: string, environment: string, requests: readonly RecordedRequest[]): number | undefined {
    if (!requests.length) return undefined;
    const call = { n: ++this.n, tool, environment, requests: [...requests] };
    this.list.push(call);
    if (this.list.length > this.max) this.list.shift();
    return call.n;
  }

  get(n: number): RecordedToolCall | undefined {
    return this.list.find((c) => c.n === n);
  }

  last(): RecordedToolCall | undefined {
    return this.list[this.list.length - 1];
  }
}

/**
 * The confirmations VS Code showed for tool calls (VS Code asks the user after `prepareInvocation`
 * answered confirmation messages, and calls `invoke` only when they agreed). `invoke` takes the
 * one for its exact input and environment, so a call is not run against an environment the user
 * did not see named (it changed between the two), nor by a caller that skipped the confirmation.
 */
export class Confirmations {
  private readonly pending = new Map<string, number>();

  constructor(private readonly ttlMs = 10 * 60_000, private readonly now: () => number = Date.now) {}

  note(tool: string, environment: string, input: unknown): void {
    this.expire();
    this.pending.set(keyOf(tool, environment, input), this.now() + this.ttlMs);
    if (this.pending.size > 200) this.pending.delete(this.pending.keys().next().value as string);
  }

  /** Answers whether a confirmation for exactly this call was shown, and uses it up. */
  take(tool: string, environment: string, input: unknown): boolean {
    this.expire();
    return this.pending.delete(keyOf(tool, environment, input));
  }

  private expire(): void {
    const now = this.now();
    for (const [k, until] of this.pending) if (until < now) this.pending.delete(k);
  }
}

function keyOf(tool: string, environment: string, input: unknown): string {
  return JSON.stringify([tool, environment, canonical(input)]);
}

/** The same JSON for the same input whatever its key order (it crosses a process boundary between prepare and invoke). */
function canonical(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(canonical);
  if (!v || typeof v !== 'object') return v;
  return Object.fromEntries(Object.keys(v as object).sort().map((k) => [k, canonical((v as Record<string, unknown>)[k])]));
}
