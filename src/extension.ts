import * as vscode from 'vscode';
import { connectCommands } from './commands/connect';
import { bulkExportCommands, defaultExportDeps } from './commands/bulkExport';
import { credentialCommands } from './commands/credentials';
import { curlCommands } from './commands/curl';
import { environmentCommands } from './commands/environment';
import { exportViewCommands } from './commands/exportsView';
import { fhirCommands } from './commands/fhir';
import { generalCommands } from './commands/general';
import { permissionCommands } from './commands/permissions';
import { registerResourceDocuments } from './commands/resourceDocuments';
import { sandboxCommands } from './commands/sandbox';
import { registerStatusBar } from './commands/statusBar';
import { tokenCommands } from './commands/tokens';
import { userCommands } from './commands/users';
import { webviewDeps } from './commands/webviewDeps';
import { Commands } from './constants';
import { SANDBOX_ENVIRONMENT_NAME } from './core/environments';
import { SecretMasker } from './core/log';
import { ClientProvider } from './host/clientProvider';
import { ProxyLogins } from './host/proxyLogin';
import { maskErrorsWith, registerCommands } from './host/commands';
import { CredentialStore } from './host/credentials';
import { EnvironmentService } from './host/environments';
import { FhirDocumentContext } from './host/fhirDocuments';
import { ChannelLogger } from './host/logger';
import { SandboxController } from './host/sandboxController';
import type { Services } from './host/services';
import { settings } from './host/settings';
import { configureL10n } from './host/l10n';
import { HostTelemetry } from './host/telemetry';
import { UserMemory } from './host/userMemory';
import { registerTools, type ToolsApi } from './tools';
import { registerTrees } from './tree';
import { registerWebviews } from './webviews';

let sandbox: SandboxController | undefined;

/**
 * What activate() answers when VS Code runs the extension's tests: the services, views, webviews,
 * tools and FHIR document context, and its own duration. Other extensions get nothing: the
 * services hold the credential store, and `getExtension(…).exports` is readable by every
 * installed extension.
 */
export type ExtensionApi = Services & {
  trees: ReturnType<typeof registerTrees>['trees'];
  webviews: ReturnType<typeof registerWebviews>['api'];
  tools: ToolsApi;
  fhirDocuments: FhirDocumentContext;
  activationMs: number;
};

/** Wiring only: build the services, register each feature. */
export function activate(context: vscode.ExtensionContext): ExtensionApi | undefined {
  const started = performance.now();
  configureL10n();
  const masker = new SecretMasker();
  const logger = new ChannelLogger(masker);
  maskErrorsWith(masker);
  const telemetry = new HostTelemetry();
  const environments = new EnvironmentService(logger);
  const credentials = new CredentialStore(context.secrets, masker);
  sandbox = new SandboxController(environments, credentials, logger);
  const clients = new ClientProvider(environments, credentials, logger, String(context.extension.packageJSON.version), new ProxyLogins(context.secrets));
  const refresh = new vscode.EventEmitter<string | undefined>();
  context.subscriptions.push(logger, telemetry, environments, credentials, sandbox, clients, refresh);
  const s: Services = { context, logger, telemetry, environments, credentials, sandbox, clients, memory: new UserMemory(context.globalState), refresh };

  const { trees, commands: treeCommands } = registerTrees(s);
  const webviews = registerWebviews(s, webviewDeps(s));
  registerResourceDocuments(s);
  registerCommands(context, [
    ...credentialCommands(s),
    ...environmentCommands(s),
    ...generalCommands(s),
    ...sandboxCommands(s),
    ...userCommands(s, (f) => trees.users.setFilter(f)),
    ...tokenCommands(s),
    ...fhirCommands(s, webviews.api),
    ...permissionCommands(s),
    ...connectCommands(s, webviews.api, (f) => trees.healthSystems.setFilter(f)),
    ...curlCommands(s),
    ...bulkExportCommands(s, defaultExportDeps(s), trees.exports.running),
    ...exportViewCommands(s, trees.exports),
    ...webviews.commands,
    ...treeCommands,
  ], { logger, telemetry, showLog: () => logger.show(), calls: clients.calls, masker });
  registerStatusBar(s);
  const tools = registerTools(s, trees.exports.running);
  const fhirDocuments = new FhirDocumentContext();
  context.subscriptions.push(fhirDocuments);

  if (settings.sandboxAutoStart() && environments.activeName() === SANDBOX_ENVIRONMENT_NAME) {
    void vscode.commands.executeCommand(Commands.startSandbox, { select: true, port: settings.sandboxPort(), patients: settings.sandboxPatients() });
  }
  if (context.extensionMode !== vscode.ExtensionMode.Test) return undefined;
  return { ...s, trees, webviews: webviews.api, tools, fhirDocuments, activationMs: performance.now() - started };
}

export async function deactivate(): Promise<void> {
  await sandbox?.closeForShutdown();
}
