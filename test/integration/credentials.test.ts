import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { Commands, SecretKeys } from '../../src/constants';
import { activateExtension, eventually } from './helpers';

/** Everything VS Code keeps as settings for this run: the user settings file and every oneup value. */
function allSettingsText(globalStorage: vscode.Uri): string {
  // globalStorageUri is <user-data>/User/globalStorage/<extension>; settings.json is in <user-data>/User
  const userDir = path.dirname(path.dirname(globalStorage.fsPath));
  const file = path.join(userDir, 'settings.json');
  const onDisk = fs.existsSync(file) ? fs.readFileSync(file, 'utf8') : '';
  const inspected = JSON.stringify(vscode.workspace.getConfiguration('oneup'));
  return onDisk + inspected;
}

describe('credentials', () => {
  const secret = 'sk-test-Zq8r2Lw5vN1xT7pa';
  const clientId = 'demo-client-4711';

  it('round-trip through SecretStorage and never reach settings or the log', async () => {
    const s = await activateExtension();
    await vscode.commands.executeCommand(Commands.setCredentials, { environment: '1upHealth', clientId, clientSecret: secret });
    assert.deepEqual(await s.credentials.get('1upHealth'), { clientId, clientSecret: secret });
    assert.equal(await s.context.secrets.get(SecretKeys.credentials('1upHealth')), JSON.stringify({ clientId, clientSecret: secret }));
    assert.ok(!allSettingsText(s.context.globalStorageUri).includes(secret), 'the secret is in the settings');

    // anything logged that contains the secret comes out masked
    s.logger.info(`debug dump client_secret=${secret} and raw ${secret}`);
    assert.equal(s.logger.masker.mask(`x ${secret} y`), 'x •••• y');

    await vscode.commands.executeCommand(Commands.signOut, { environment: '1upHealth' });
    assert.equal(await s.credentials.get('1upHealth'), undefined);
    assert.equal(await s.context.secrets.get(SecretKeys.credentials('1upHealth')), undefined);
  });

  it('sign out also removes the user tokens kept for that environment only', async () => {
    const s = await activateExtension();
    await s.credentials.set('1upHealth', { clientId, clientSecret: secret });
    await s.credentials.tokenStore('1upHealth').set('user-1', '{"access_token":"a"}');
    await s.credentials.tokenStore('Other').set('user-1', '{"access_token":"b"}');
    await vscode.commands.executeCommand(Commands.signOut, { environment: '1upHealth' });
    assert.equal(await s.credentials.tokenStore('1upHealth').get('user-1'), undefined);
    assert.equal(await s.credentials.tokenStore('Other').get('user-1'), '{"access_token":"b"}');
    await s.credentials.tokenStore('Other').delete('user-1');
  });

  it('an unknown environment is refused with a clear error and nothing is stored', async () => {
    const s = await activateExtension();
    await vscode.commands.executeCommand(Commands.setCredentials, { environment: 'Nope', clientId, clientSecret: secret });
    await eventually(async () => (await s.context.secrets.keys()).every((k) => !k.includes('Nope')), 'no secret for Nope');
    assert.equal(await s.credentials.get('Nope'), undefined);
  });
});
