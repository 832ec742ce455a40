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
            description: env.name === active ? 'active' : undefined,
            detail: `${env.apiUrl} · FHIR ${env.fhirVersion} · ${has ? 'credentials set' : 'no credentials'}`,
          });
        }
        if (!s.sandbox.isRunning) items.push({ label: '$(beaker) Start Local Sandbox', detail: 'A local server that behaves like 1upHealth, with synthetic patients', action: 'sandbox' });
        items.push({ label: '$(gear) Edit Environments…', detail: 'Add or change environments in settings (oneup.environments)', action: 'edit' });
        const pick = await vscode.window.showQuickPick(items, { title: 'Select 1upHealth Environment', placeHolder: `Active: ${active}` });
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
