import * as vscode from 'vscode';
import { Commands } from '../constants';
import { CancelledError } from '../core/errors';
import type { Command } from '../host/commands';
import type { Services } from '../host/services';

export interface SetCredentialsArgs {
  environment?: string;
  clientId?: string;
  clientSecret?: string;
}

export function credentialCommands(s: Services): Command[] {
  const setCredentials: Command<SetCredentialsArgs> = {
    id: Commands.setCredentials,
    async run(args = {}) {
      const environment = args.environment ?? s.environments.activeName();
      if (!s.environments.all().has(environment)) throw new Error(`There is no environment named "${environment}".`);
      const clientId = args.clientId?.trim() || await askSecret(`Client ID for ${environment}`, 'The client_id of your 1upHealth app (developer console → Apps)');
      const clientSecret = args.clientSecret?.trim() || await askSecret(`Client Secret for ${environment}`, 'The client_secret of your 1upHealth app; kept in VS Code\'s secret storage only');
      await s.credentials.set(environment, { clientId, clientSecret });
      s.logger.info(`[credentials] stored for ${environment}`);
      // the views reload on the store's change event (once, and only for the active environment)
      if (!args.clientSecret) void vscode.window.showInformationMessage(`1upHealth credentials saved for ${environment}.`);
    },
  };
  const signOut: Command<{ environment?: string }> = {
    id: Commands.signOut,
    async run(args = {}) {
      const environment = args.environment ?? s.environments.activeName();
      await s.credentials.delete(environment);
      s.logger.info(`[credentials] removed for ${environment}`);
      if (!args.environment) void vscode.window.showInformationMessage(`Signed out of ${environment}: its credentials and tokens were removed.`);
    },
  };
  return [setCredentials, signOut];
}

async function askSecret(title: string, prompt: string): Promise<string> {
  const value = await vscode.window.showInputBox({
    title,
    prompt,
    password: true,
    ignoreFocusOut: true,
    validateInput: (v) => (v.trim() ? undefined : 'Required'),
  });
  if (value === undefined) throw new CancelledError();
  return value.trim();
}
