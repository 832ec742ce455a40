import * as assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import * as vscode from 'vscode';
import { Commands, SecretKeys, Settings } from '../../src/constants';
import { DEFAULT_ENVIRONMENT_NAME } from '../../src/core/environments';
import type { ExtensionApi } from '../../src/extension';
import { activateExtension, eventually } from './helpers';

/** Records the events `event` fires that pass `keep`. */
function record<T>(event: vscode.Event<T>, keep: (e: T) => boolean = () => true): { seen: T[] } & vscode.Disposable {
  const seen: T[] = [];
  const sub = event((e) => { if (keep(e)) seen.push(e); });
  return { seen, dispose: () => sub.dispose() };
}

describe('one change, one reload', function () {
  this.timeout(60000);
  let api: ExtensionApi;
  const marker = 'it-reloads-marker';

  before(async () => {
    api = await activateExtension();
    await vscode.commands.executeCommand(Commands.selectEnvironment, { name: DEFAULT_ENVIRONMENT_NAME });
  });

  it('setting credentials fires one change and reloads the App Users view once', async () => {
    const changes = record(api.credentials.onDidChange);
    const reloads = record(api.trees.users.onDidChangeTreeData, (node) => node === undefined);
    try {
      await vscode.commands.executeCommand(Commands.setCredentials, { environment: DEFAULT_ENVIRONMENT_NAME, clientId: 'it-reloads', clientSecret: `sk-${randomUUID()}` });
      // VS Code echoes every store as a secret-storage event, in order: once a later store of
      // another key is seen, the echo of ours has been handled
      await api.context.secrets.store(SecretKeys.credentials(marker), JSON.stringify({ clientId: 'm', clientSecret: `sk-${randomUUID()}` }));
      await eventually(() => changes.seen.includes(marker), 'the change of the marker');
      assert.deepEqual(changes.seen, [DEFAULT_ENVIRONMENT_NAME, marker]);
      assert.equal(reloads.seen.length, 1, 'one reload (none for credentials of an environment that is not active)');
    } finally {
      changes.dispose();
      reloads.dispose();
      await api.context.secrets.delete(SecretKeys.credentials(marker));
      await vscode.commands.executeCommand(Commands.signOut, { environment: DEFAULT_ENVIRONMENT_NAME });
    }
  });

  it('selecting an environment fires one change; other 1upHealth settings fire none', async () => {
    const config = vscode.workspace.getConfiguration();
    const other = 'it-reloads-env';
    await config.update(Settings.environments, {
      [other]: { apiUrl: 'http://127.0.0.1:9', fhirUrl: 'http://127.0.0.1:9/fhir', tokenUrl: 'http://127.0.0.1:9/fhir/oauth2/token', bulkDataUrl: 'http://127.0.0.1:9/bulk-data' },
    }, vscode.ConfigurationTarget.Global);
    const changes = record(api.environments.onDidChange);
    const reloads = record(api.trees.users.onDidChangeTreeData, (node) => node === undefined);
    try {
      await vscode.commands.executeCommand(Commands.selectEnvironment, { name: other });
      // settings events come in order: once this one is seen, those of the selection are handled
      const seen = new Promise<void>((resolve) => {
        const sub = vscode.workspace.onDidChangeConfiguration((e) => {
          if (e.affectsConfiguration(Settings.sandboxPatients)) { sub.dispose(); resolve(); }
        });
      });
      await config.update(Settings.sandboxPatients, 7, vscode.ConfigurationTarget.Global);
      await seen;
      assert.equal(api.environments.activeName(), other);
      assert.equal(changes.seen.length, 1, 'one change for the selection, none for oneup.sandbox.patients');
      assert.equal(reloads.seen.length, 1);
    } finally {
      changes.dispose();
      reloads.dispose();
      await vscode.commands.executeCommand(Commands.selectEnvironment, { name: DEFAULT_ENVIRONMENT_NAME });
      await config.update(Settings.sandboxPatients, undefined, vscode.ConfigurationTarget.Global);
      await config.update(Settings.environments, undefined, vscode.ConfigurationTarget.Global);
    }
  });
});
