import * as path from 'node:path';
import * as vscode from 'vscode';

/** Written by a `*.phase1.js` file just before the runner reloads the window; read (and removed) after it. */
export const RELOAD_MARKER = '.oneup-reload-phase1.json';

/** Where the marker lives: the test workspace (it outlives the reload; integration.mjs deletes it after the run). */
export function reloadMarker(): string | undefined {
  const folder = process.env.ONEUP_TEST_WORKSPACE ?? vscode.workspace.workspaceFolders?.[0]?.uri.fsPath;
  return folder ? path.join(folder, RELOAD_MARKER) : undefined;
}

/** One panel phase 1 opened, and what phase 2 expects of it after the reload. */
export interface ReloadExpectation {
  viewType: string;
  /** the tab's label when phase 1 reloaded */
  label: string;
  /** what the descriptor says it comes back from */
  kind: string;
  /** `restored` at once, or `waitsForSandbox` (restored once the sandbox runs again), or `gone` (its file was deleted) */
  expect: 'restored' | 'waitsForSandbox' | 'gone';
}

export interface ReloadPlan {
  panels: ReloadExpectation[];
  /** the file phase 1 deleted before the reload (phase 2 puts it back to try Retry) */
  deletedFile: string;
  deletedFileText: string;
  user: { oneupUserId: string; appUserId: string };
  exportFolder: string;
}

/** The open webview tabs, in order, as `{viewType, label}` (restored tabs' view types may carry a prefix). */
export function webviewTabs(): { viewType: string; label: string; tab: vscode.Tab }[] {
  return vscode.window.tabGroups.all.flatMap((g) => g.tabs)
    .filter((t) => t.input instanceof vscode.TabInputWebview)
    .map((t) => ({ viewType: (t.input as vscode.TabInputWebview).viewType.replace(/^mainThreadWebview-/, ''), label: t.label, tab: t }));
}
