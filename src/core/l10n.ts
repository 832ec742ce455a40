import * as l10n from '@vscode/l10n';

// The translations the vscode-free core speaks with (`l10n.t` from `@vscode/l10n`), and a record of
// what they were configured with: code that starts another JavaScript realm (the explorer's
// worker threads) passes the contents on so that realm can configure its own `@vscode/l10n`.
// Kept on globalThis, not in this module: the lazily loaded bundles each carry their own copy of
// this module, and the worker pool lives in one of them while the host configures from another.

export type L10nContents = Record<string, string>;

const CONTENTS = Symbol.for('oneup-health.l10n.contents');

type Holder = { [CONTENTS]?: L10nContents };

/** Configures `@vscode/l10n` with a bundle (VS Code's `vscode.l10n.bundle`); undefined or empty means English. */
export function configureL10n(contents: L10nContents | undefined): void {
  const usable = contents && Object.keys(contents).length ? contents : undefined;
  l10n.config({ contents: usable ?? {} });
  (globalThis as Holder)[CONTENTS] = usable;
}

/** The bundle the core was configured with (undefined in English): what a worker needs to speak the same language. */
export function l10nContents(): L10nContents | undefined {
  return (globalThis as Holder)[CONTENTS];
}
