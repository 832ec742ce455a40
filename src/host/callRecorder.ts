import { AsyncLocalStorage } from 'node:async_hooks';
import type { LastCall } from '../core/api';

/**
 * Which requests each command made, for "Copy Call as curl" / "Copy Last Call as curl".
 *
 * The API client reports every request as it is sent, in the async context of the code that
 * sent it; a command runs in its own scope, so it sees its own requests and none of those the
 * views, panels or another command make at the same time. The answer does not depend on timing:
 * a command's calls are its own, and "the last call" is the last one made by the command that
 * finished last (a tree load after a command, e.g. the refresh it triggers, does not replace it).
 */
export class CallRecorder {
  private readonly scopes = new AsyncLocalStorage<readonly LastCall[][]>();
  private lastOfCommand: LastCall | undefined;

  /** Runs `work` and answers the requests it (and only it, with what it awaits) sent, in order. */
  async recording<T>(work: () => Promise<T>): Promise<{ value: T; calls: LastCall[] }> {
    const calls: LastCall[] = [];
    return { value: await this.scoped(calls, work), calls };
  }

  /** Runs one command; when it sent requests, its last one becomes `lastCommandCall`. */
  async command<T>(work: () => Promise<T>): Promise<T> {
    const calls: LastCall[] = [];
    try {
      return await this.scoped(calls, work);
    } finally {
      if (calls.length) this.lastOfCommand = calls[calls.length - 1];
    }
  }

  /** Runs `work` in a new scope, inside any it runs in: its requests go to `calls` and to theirs. */
  private scoped<T>(calls: LastCall[], work: () => Promise<T>): Promise<T> {
    return this.scopes.run([...(this.scopes.getStore() ?? []), calls], work);
  }

  /** The client's hook: adds a request to every scope it was sent in. */
  sent(call: LastCall): void {
    for (const calls of this.scopes.getStore() ?? []) calls.push(call);
  }

  /** The last request of the last command that finished having made one. */
  get lastCommandCall(): LastCall | undefined {
    return this.lastOfCommand;
  }

  /** Forgets the last command's call (the environment or its client changed). */
  forget(): void {
    this.lastOfCommand = undefined;
  }
}
