import * as vscode from 'vscode';
import { credentialCommands } from './commands/credentials';
import { environmentCommands } from './commands/environment';
import { generalCommands } from './commands/general';
import { sandboxCommands } from './commands/sandbox';
import { registerStatusBar } from './commands/statusBar';
import { SecretMasker } from './core/log';
import { registerCommands } from './host/commands';
import { CredentialStore } from './host/credentials';
import { EnvironmentService } from './host/environments';
import { ChannelLogger } from './host/logger';
import { SandboxController } from './host/sandboxController';
import type { Services } from './host/services';
import { settings } from './host/settings';
import { HostTelemetry } from './host/telemetry';
import { registerTrees } from './tree';

let sandbox: SandboxController | undefined;

/** Wiring only: build the services, register each feature. */
export function activate(context: vscode.ExtensionContext): Services & { activationMs: number } {
  const started = performance.now();
  const masker = new SecretMasker();
  const logger = new ChannelLogger(masker);
  const telemetry = new HostTelemetry();
  const environments = new EnvironmentService(logger);
  const credentials = new CredentialStore(context.secrets, masker);
  sandbox = new SandboxController(environments, credentials, logger);
  const refresh = new vscode.EventEmitter<string | undefined>();
  context.subscriptions.push(logger, telemetry, environments, credentials, sandbox, refresh);
  const s: Services = { context, logger, telemetry, environments, credentials, sandbox, refresh };

  const { commands: treeCommands } = registerTrees(s);
  registerCommands(context, [
    ...credentialCommands(s),
    ...environmentCommands(s),
    ...generalCommands(s),
    ...sandboxCommands(s),
    ...treeCommands,
  ], { logger, telemetry, showLog: () => logger.show() });
  registerStatusBar(s);

  if (settings.sandboxAutoStart() && environments.activeName() === 'Local Sandbox') {
    void vscode.commands.executeCommand('oneup.startSandbox', { select: true, port: settings.sandboxPort(), patients: settings.sandboxPatients() });
  }
  return { ...s, activationMs: performance.now() - started };
}

export async function deactivate(): Promise<void> {
  await sandbox?.closeForShutdown();
}
