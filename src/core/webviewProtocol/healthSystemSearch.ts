import { checkHealthSystem, HealthSystemSummary } from './common';
import { is, parseMessage } from './validate';

/** host → health system search */
export type HealthSystemSearchUpdate =
  | { type: 'results'; seq: number; query: string; items: HealthSystemSummary[] }
  /** search for this (a query the panel was opened with) */
  | { type: 'setQuery'; query: string }
  /** `seq` -1: an error of an action (not of a search) */
  | { type: 'error'; seq: number; message: string };

/** health system search → host */
export type HealthSystemSearchRequest =
  | { type: 'ready' }
  /** `seq` grows with every keystroke that searches; answers to older ones are dropped */
  | { type: 'search'; seq: number; query: string }
  | { type: 'connectUser'; systemId: string };

const UPDATES = {
  results: { seq: is.int(), query: is.string(1_000), items: is.array(checkHealthSystem, 100_000) },
  setQuery: { query: is.string(200) },
  error: { seq: is.int(-1), message: is.string(100_000) },
} as const;

const REQUESTS = {
  ready: {},
  search: { seq: is.int(), query: is.string(200) },
  connectUser: { systemId: is.string(200) },
} as const;

export function parseHealthSystemSearchUpdate(raw: unknown): HealthSystemSearchUpdate | undefined {
  return parseMessage<HealthSystemSearchUpdate>(UPDATES, raw);
}

export function parseHealthSystemSearchRequest(raw: unknown): HealthSystemSearchRequest | undefined {
  return parseMessage<HealthSystemSearchRequest>(REQUESTS, raw);
}
