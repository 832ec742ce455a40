import type { CountChange } from '../render/newData';
import { AppUserView, checkHealthSystem, checkUser, HealthSystemSummary } from './common';
import { is, parseMessage } from './validate';

export interface ConnectView {
  user: AppUserView;
  environment: string;
  /** the Connect page the frame shows (the host checked it is on the environment's origin) */
  frameUrl: string;
  /** the local sandbox: a system's login page opens inside the frame, not in a browser */
  isSandbox: boolean;
}

/** host → Connect page */
export type ConnectUpdate =
  | { type: 'connect'; view: ConnectView }
  | { type: 'systems'; systems: HealthSystemSummary[] }
  | { type: 'navigate'; url: string }
  | { type: 'awaiting'; systemName: string }
  /** the user's counts after "Check for New Data"; `changes`: the types whose counts changed */
  | { type: 'counts'; counts: Record<string, number>; added: number; changes?: CountChange[] }
  | { type: 'busy'; busy: boolean; message?: string }
  | { type: 'error'; message: string };

/** Connect page → host: intents only; the host builds every URL itself. */
export type ConnectRequest =
  | { type: 'ready' }
  | { type: 'reload' }
  | { type: 'openInBrowser' }
  | { type: 'connectSystem'; systemId: string }
  | { type: 'checkForData' };

const isCounts = (v: unknown): boolean => typeof v === 'object' && v !== null && !Array.isArray(v)
  && Object.values(v).every((n) => Number.isSafeInteger(n));

const UPDATES = {
  connect: {
    view: is.shape({ user: checkUser, environment: is.string(1_000), frameUrl: is.string(100_000), isSandbox: is.boolean() }),
  },
  systems: { systems: is.array(checkHealthSystem, 100_000) },
  navigate: { url: is.string(100_000) },
  awaiting: { systemName: is.string(10_000) },
  counts: {
    counts: isCounts, added: is.int(-Number.MAX_SAFE_INTEGER),
    changes: is.optional(is.array(is.shape({ type: is.string(200), before: is.int(), after: is.int() }), 10_000)),
  },
  busy: { busy: is.boolean(), message: is.optional(is.string(10_000)) },
  error: { message: is.string(100_000) },
} as const;

const REQUESTS = {
  ready: {},
  reload: {},
  openInBrowser: {},
  connectSystem: { systemId: is.string(200) },
  checkForData: {},
} as const;

export function parseConnectUpdate(raw: unknown): ConnectUpdate | undefined {
  return parseMessage<ConnectUpdate>(UPDATES, raw);
}

export function parseConnectRequest(raw: unknown): ConnectRequest | undefined {
  return parseMessage<ConnectRequest>(REQUESTS, raw);
}
