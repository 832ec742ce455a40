import * as l10n from '@vscode/l10n';
import { NetworkError } from '../errors';

// A property on the signal, not a WeakMap: the tree builds the signal in the extension's bundle
// and the transport reads it in the lazily loaded api bundle, each with its own module copies.
const INTERACTIVE = Symbol.for('oneup.interactiveRequest');

/** A load someone is watching (a tree node expanding), with its deadline. */
export interface InteractiveLoad {
  readonly signal: AbortSignal;
  /** Stops the deadline timer (the load finished). */
  done(): void;
  /** The error to show when the deadline ended the load; undefined otherwise. */
  timedOut(): NetworkError | undefined;
  /** Cancels the load (the user cancelled). */
  abort(): void;
}

/**
 * A signal for a load a person is waiting on: every request made with it gets one try (no
 * retries on network errors, 429 or 5xx), and the whole load is aborted after `seconds` with a
 * NetworkError that says how long it waited. Long operations (commands, exports) do not use it
 * and keep their retries. `parent` aborting (a refresh) aborts the load too, as a cancellation.
 */
export function interactiveLoad(seconds: number, what: string, parent?: AbortSignal): InteractiveLoad {
  const controller = new AbortController();
  const started = Date.now();
  let deadline: NetworkError | undefined;
  const timer = setTimeout(() => {
    const s = (Date.now() - started) / 1000;
    const waited = s < 10 ? Math.round(s * 10) / 10 : Math.round(s);
    deadline = new NetworkError('DEADLINE', l10n.t('{0} did not answer within {1} s.', what, waited),
      l10n.t('Click to retry. A view waits this long at most; commands wait as long as the {0} setting says, and retry.', 'oneup.requestTimeoutSeconds'));
    controller.abort(deadline);
  }, seconds * 1000);
  const onParent = () => controller.abort(parent?.reason);
  if (parent?.aborted) onParent();
  else parent?.addEventListener('abort', onParent, { once: true });
  Object.defineProperty(controller.signal, INTERACTIVE, { value: true });
  return {
    signal: controller.signal,
    done() {
      clearTimeout(timer);
      parent?.removeEventListener('abort', onParent);
    },
    timedOut: () => deadline,
    abort: () => controller.abort(),
  };
}

/** Whether a request's signal came from `interactiveLoad` (then it gets one try). */
export function isInteractive(signal: AbortSignal | undefined): boolean {
  return !!signal && (signal as unknown as Record<symbol, unknown>)[INTERACTIVE] === true;
}

/**
 * A signal that aborts with `parent` (and its reason) or when `abort()` is called, and is an
 * interactive load's when `parent` is: for loads of several requests that stop the others once
 * one failed.
 */
export function linkedSignal(parent: AbortSignal): { signal: AbortSignal; abort(): void } {
  const controller = new AbortController();
  const onParent = () => controller.abort(parent.reason);
  if (parent.aborted) onParent();
  else parent.addEventListener('abort', onParent, { once: true });
  if (isInteractive(parent)) Object.defineProperty(controller.signal, INTERACTIVE, { value: true });
  return { signal: controller.signal, abort: () => { parent.removeEventListener('abort', onParent); controller.abort(); } };
}
