import * as vscode from 'vscode';
import { configureL10n as configureCore } from '../core/l10n';

/**
 * Gives the vscode-free core (and, through their HTML, the webviews) the translations VS Code loaded
 * for the display language: core code calls `l10n.t` from `@vscode/l10n`, host code `vscode.l10n.t`,
 * and both read `l10n/bundle.l10n.<locale>.json`. In English there is no bundle and the source
 * strings are used as they are. The core keeps the bundle for the explorer's worker threads.
 */
export function configureL10n(): void {
  configureCore(vscode.l10n.bundle);
}

/** The translations for a webview to configure its own `@vscode/l10n` with (undefined in English). */
export function l10nContents(): { [key: string]: string } | undefined {
  return vscode.l10n.bundle;
}
