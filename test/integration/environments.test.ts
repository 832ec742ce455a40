import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { Commands, Settings } from '../../src/constants';
import { DEFAULT_ENVIRONMENT_NAME, SANDBOX_ENVIRONMENT_NAME } from '../../src/core/environments';
import { startSandbox, stopSandbox } from './helpers';

describe('an environment set to userManagementKeys: headers', function () {
  this.timeout(120000);
  const name = 'it-header-keys';

  after(async () => {
    await vscode.commands.executeCommand(Commands.signOut, { environment: name });
    await vscode.commands.executeCommand(Commands.selectEnvironment, { name: DEFAULT_ENVIRONMENT_NAME });
    await vscode.workspace.getConfiguration().update(Settings.environments, undefined, vscode.ConfigurationTarget.Global);
    await stopSandbox();
  });

  it('lists users with the app keys as headers, never in the URL', async () => {
    const { api, url } = await startSandbox({ patients: 1 });
    await vscode.workspace.getConfiguration().update(Settings.environments, {
      [name]: { apiUrl: url, fhirUrl: `${url}/fhir`, tokenUrl: `${url}/fhir/oauth2/token`, bulkDataUrl: `${url}/bulk-data`, userManagementKeys: 'headers' },
    }, vscode.ConfigurationTarget.Global);
    const keys = await api.credentials.get(SANDBOX_ENVIRONMENT_NAME);
    assert.ok(keys, 'the sandbox stored its demo credentials');
    await vscode.commands.executeCommand(Commands.selectEnvironment, { name });
    await vscode.commands.executeCommand(Commands.setCredentials, { environment: name, ...keys });
    const users = await vscode.commands.executeCommand<unknown[]>(Commands.listUsers, { reveal: false });
    assert.ok(users.length > 0, 'the sandbox took the keys from the headers');
    // the command's own request (views reloading for the new environment send theirs meanwhile)
    const curl = String(await vscode.commands.executeCommand<string>(Commands.copyLastCallAsCurl));
    assert.match(curl, /user-management\/v1\/user/);
    assert.match(curl, /-H 'client_secret: '"\$ONEUP_CLIENT_SECRET"/, 'the secret goes as a header');
    assert.doesNotMatch(curl, /client_secret=/, 'no key in the URL');
  });
});
