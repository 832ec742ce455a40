import * as vscode from 'vscode';
import { Commands } from '../constants';
import { SANDBOX_ENVIRONMENT_NAME } from '../core/environments';
import type { Command } from '../host/commands';
import { withCancellableProgress } from '../host/commands';
import type { Services } from '../host/services';
import type { SandboxStartOptions } from '../host/sandboxController';
import { settings } from '../host/settings';

export type StartSandboxArgs = SandboxStartOptions;

export function sandboxCommands(s: Services): Command[] {
  const start: Command<StartSandboxArgs> = {
    id: Commands.startSandbox,
    async run(args = {}) {
      const sandbox = await withCancellableProgress(vscode.l10n.t('Starting the local 1upHealth sandbox…'), () => s.sandbox.start({
        ...args,
        port: args.port ?? settings.sandboxPort(),
        patients: args.patients ?? settings.sandboxPatients(),
      }), vscode.ProgressLocation.Window);
      // the views reload on the environment and credential events the start caused
      if (args.port === undefined && args.patients === undefined) {
        void vscode.window.showInformationMessage(vscode.l10n.t('Local sandbox running at {0} with demo credentials.', sandbox.url), vscode.l10n.t('Show Log'))
          .then((p) => p && s.logger.show());
      }
      return sandbox.url;
    },
  };
  const stop: Command = {
    id: Commands.stopSandbox,
    async run() {
      await s.sandbox.stop();
      // the sandbox's users are gone with it; so is what was remembered about them
      await s.memory.forgetEnvironment(SANDBOX_ENVIRONMENT_NAME);
      s.refresh.fire(undefined);
    },
  };
  return [start, stop];
}
