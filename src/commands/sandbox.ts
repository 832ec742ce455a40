import * as vscode from 'vscode';
import { Commands } from '../constants';
import type { Command } from '../host/commands';
import { withCancellableProgress } from '../host/commands';
import type { Services } from '../host/services';
import { settings } from '../host/settings';

export interface StartSandboxArgs {
  port?: number;
  patients?: number;
  seed?: number;
  /** Select the sandbox as the active environment (default true). */
  select?: boolean;
}

export function sandboxCommands(s: Services): Command[] {
  const start: Command<StartSandboxArgs> = {
    id: Commands.startSandbox,
    async run(args = {}) {
      const sandbox = await withCancellableProgress('Starting the local 1upHealth sandbox…', () => s.sandbox.start({
        port: args.port ?? settings.sandboxPort(),
        patients: args.patients ?? settings.sandboxPatients(),
        seed: args.seed,
        select: args.select,
      }), vscode.ProgressLocation.Window);
      s.refresh.fire(undefined);
      if (args.port === undefined && args.patients === undefined) {
        void vscode.window.showInformationMessage(`Local sandbox running at ${sandbox.url} with demo credentials.`, 'Show Log')
          .then((p) => p && s.logger.show());
      }
      return sandbox.url;
    },
  };
  const stop: Command = {
    id: Commands.stopSandbox,
    async run() {
      await s.sandbox.stop();
      s.refresh.fire(undefined);
    },
  };
  return [start, stop];
}
