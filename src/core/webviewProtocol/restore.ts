import { is, parseMessage } from './validate';

/** An extra button on the "cannot restore" page: the host runs the action (start the sandbox, pick an environment). */
export interface RestoreFix {
  id: 'startSandbox' | 'selectEnvironment';
  label: string;
}

/**
 * host → the page a panel shows while it is brought back after a reload: reopening (`busy`), or
 * why it cannot be, with Retry (when trying again can help), a fix and Close.
 */
export type RestoreUpdate =
  | { type: 'restoring'; title: string; message: string }
  | { type: 'unavailable'; title: string; message: string; retry: boolean; fix?: RestoreFix };

/** the page → host */
export type RestoreRequest = { type: 'ready' } | { type: 'retry' } | { type: 'close' } | { type: 'fix'; id: RestoreFix['id'] };

const FIX_IDS = ['startSandbox', 'selectEnvironment'] as const;

const UPDATES = {
  restoring: { title: is.string(2000), message: is.string(10_000) },
  unavailable: {
    title: is.string(2000), message: is.string(100_000), retry: is.boolean(),
    fix: is.optional(is.shape({ id: is.oneOf(...FIX_IDS), label: is.string(200) })),
  },
} as const;

const REQUESTS = { ready: {}, retry: {}, close: {}, fix: { id: is.oneOf(...FIX_IDS) } } as const;

export function parseRestoreUpdate(raw: unknown): RestoreUpdate | undefined {
  return parseMessage<RestoreUpdate>(UPDATES, raw);
}

export function parseRestoreRequest(raw: unknown): RestoreRequest | undefined {
  return parseMessage<RestoreRequest>(REQUESTS, raw);
}
