/** A subscription that can be ended; the host wraps these in vscode.Disposable. */
export interface Subscription {
  dispose(): void;
}

/** A listener registration function, shaped like vscode.Event so the host can forward it. */
export type Listen<T> = (listener: (value: T) => void) => Subscription;

/** The smallest event emitter the core needs (the core cannot use vscode.EventEmitter). */
export class Emitter<T> {
  private readonly listeners = new Set<(value: T) => void>();

  readonly event: Listen<T> = (listener) => {
    this.listeners.add(listener);
    return { dispose: () => this.listeners.delete(listener) };
  };

  fire(value: T): void {
    for (const l of [...this.listeners]) {
      try {
        l(value);
      } catch {
        // a failing listener must not break the request that fired the event
      }
    }
  }

  dispose(): void {
    this.listeners.clear();
  }
}
