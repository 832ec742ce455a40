import * as vscode from 'vscode';
import { Commands, Settings } from '../constants';
import { CancelledError } from '../core/errors';
import { SANDBOX_ENVIRONMENT_NAME } from '../core/environments';
import type { Command } from '../host/commands';
import type { Services } from '../host/services';

export function environmentCommands(s: Services): Command[] {
  const select: Command<{ name?: string }> = {
    id: Commands.selectEnvironment,
    async run(args = {}) {
      let name = args.name;
      if (!name) {
        const active = s.environments.activeName();
        type Item = vscode.QuickPickItem & { name?: string; action?: 'sandbox' | 'edit' };
        const items: Item[] = [];
        for (const env of s.environments.all().values()) {
          const has = !!(await s.credentials.get(env.name));
          items.push({
            name: env.name,
            label: `${env.name === SANDBOX_ENVIRONMENT_NAME ? '$(beaker)' : '$(cloud)'} ${env.name}`,
            description: env.name === active ? vscode.l10n.t('active') : undefined,
            detail: has
              ? vscode.l10n.t('{0} · FHIR {1} · credentials set', env.apiUrl, env.fhirVersion)
              : vscode.l10n.t('{0} · FHIR {1} · no credentials', env.apiUrl, env.fhirVersion),
          });
        }
        if (!s.sandbox.isRunning) items.push({ label: `$(beaker) ${vscode.l10n.t('Start Local Sandbox')}`, detail: vscode.l10n.t('A local server that behaves like 1upHealth, with synthetic patients'), action: 'sandbox' });
        items.push({ label: `$(gear) ${vscode.l10n.t('Edit Environments…')}`, detail: vscode.l10n.t('Add or change environments in settings ({0})', Settings.environments), action: 'edit' });
        const pick = await vscode.window.showQuickPick(items, { title: vscode.l10n.t('Select 1upHealth Environment'), placeHolder: vscode.l10n.t('Active: {0}', active) });
        if (!pick) throw new CancelledError();
        if (pick.action === 'sandbox') { await vscode.commands.executeCommand(Commands.startSandbox); return; }
        if (pick.action === 'edit') { await vscode.commands.executeCommand('workbench.action.openSettings', Settings.environments); return; }
        name = pick.name!;
      }
      await s.environments.select(name);
      s.logger.info(`[environment] selected ${name}`);
    },
  };
  return [select];
}
