import * as vscode from 'vscode';
import { ViewTypes } from '../../constants';
import type { Services } from '../../host/services';
import { RESTORE_KEY } from './restoreKey';
import { parseRestore } from './descriptor';
import type { Reopen } from './restorePanel';
import { RestorePanel } from './restorePanel';

/**
 * Brings every kind of panel back after a window reload: VS Code hands each serializer the
 * webview panel and the state its webview saved; a placeholder page shows at once and reopens
 * the panel from the source the state names (see restorePanel.ts). Registering is cheap (the
 * renderers and the API load only when a panel actually comes back).
 */
export function registerPanelSerializers(s: Services, reopen: (saved: Record<string, unknown>) => Reopen): void {
  for (const viewType of Object.values(ViewTypes)) {
    s.context.subscriptions.push(vscode.window.registerWebviewPanelSerializer(viewType, {
      deserializeWebviewPanel: async (panel: vscode.WebviewPanel, state: unknown) => {
        const saved = typeof state === 'object' && state !== null ? state as Record<string, unknown> : {};
        new RestorePanel(s, panel, parseRestore(saved[RESTORE_KEY]), reopen(saved));
      },
    }));
  }
}
