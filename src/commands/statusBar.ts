import * as vscode from 'vscode';
import { Commands, ContextKeys, Walkthrough } from '../constants';
import { SANDBOX_ENVIRONMENT_NAME } from '../core/environments';
import { environmentTooltip } from '../core/render/tooltips';
import type { Services } from '../host/services';
import { completeWalkthroughStep } from '../host/walkthrough';

/**
 * The status-bar item: the active environment (click to pick another) and whether it has
 * credentials. Also keeps the `oneup.hasCredentials` context key that the welcome views use.
 */
export function registerStatusBar(s: Services): void {
  const item = vscode.window.createStatusBarItem('oneup.environment', vscode.StatusBarAlignment.Left, 10);
  item.name = vscode.l10n.t('1upHealth Environment');
  item.command = Commands.selectEnvironment;
  s.context.subscriptions.push(item);

  let generation = 0;
  const update = async () => {
    const mine = ++generation;
    const name = s.environments.activeName();
    const env = s.environments.active();
    const creds = env ? await s.credentials.get(name) : undefined;
    if (mine !== generation) return;
    const icon = name === SANDBOX_ENVIRONMENT_NAME ? '$(beaker)' : '$(cloud)';
    item.text = !env ? `${icon} ${vscode.l10n.t('{0} (stopped)', name)}` : !creds ? `${icon} ${name} $(warning)` : `${icon} ${name}`;
    item.tooltip = new vscode.MarkdownString(environmentTooltip(name, env, !!creds), true);
    item.backgroundColor = env && !creds ? new vscode.ThemeColor('statusBarItem.warningBackground') : undefined;
    item.show();
    await vscode.commands.executeCommand('setContext', ContextKeys.hasCredentials, !!(env && creds));
    if (env && creds) completeWalkthroughStep(Walkthrough.steps.connect);
  };
  // a failed read (e.g. of secret storage) leaves the item as it was and says why in the log
  const refresh = () => update().catch((e: unknown) => s.logger.warn(`[status bar] could not show the environment: ${e instanceof Error ? e.message : String(e)}`));
  s.context.subscriptions.push(s.environments.onDidChange(refresh), s.credentials.onDidChange(refresh));
  void refresh();
  registerBudgetItem(s);
}

/** The remaining hourly user-management call budget, shown only when it runs low (under a fifth). */
function registerBudgetItem(s: Services): void {
  const item = vscode.window.createStatusBarItem('oneup.budget', vscode.StatusBarAlignment.Left, 9);
  item.name = vscode.l10n.t('1upHealth Call Budget');
  s.context.subscriptions.push(item, s.clients.onDidChangeBudget((b) => {
    if (b.remaining >= b.limit / 5) { item.hide(); return; }
    item.text = `$(${b.remaining === 0 ? 'error' : 'warning'}) ${vscode.l10n.t('{0}/{1} calls', b.remaining, b.limit)}`;
    const allowance = vscode.l10n.t('1upHealth user management allows {0} calls per hour per app; {1} left as far as this window has counted.', b.limit, b.remaining);
    item.tooltip = b.resetsAt ? `${allowance} ${vscode.l10n.t('A call frees up at {0}.', new Date(b.resetsAt).toLocaleTimeString())}` : allowance;
    item.backgroundColor = new vscode.ThemeColor(b.remaining === 0 ? 'statusBarItem.errorBackground' : 'statusBarItem.warningBackground');
    item.show();
  }), s.environments.onDidChange(() => item.hide()));
}
