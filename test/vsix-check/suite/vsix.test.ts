import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { Commands, EXTENSION_ID } from '../../../src/constants';

describe('the packaged VSIX', () => {
  it('is installed from the .vsix (not loaded from the source folder) and activates', async () => {
    const ext = vscode.extensions.getExtension(EXTENSION_ID);
    assert.ok(ext, 'the extension from the VSIX is installed');
    assert.ok(!ext.extensionUri.path.endsWith('/test/vsix-check'), 'loaded the test extension instead');
    assert.ok(ext.extensionUri.path.includes(EXTENSION_ID.toLowerCase()) || ext.extensionUri.path.includes('oneup-health'), `installed path: ${ext.extensionUri.path}`);
    await ext.activate();
    assert.equal(ext.isActive, true);
    const commands = new Set(await vscode.commands.getCommands(true));
    for (const id of [Commands.setCredentials, Commands.startSandbox, Commands.showLog]) assert.ok(commands.has(id), `${id} registered`);
  });

  it('starts the local sandbox from the packaged bundle (lazy parts are in the VSIX)', async () => {
    const url = await vscode.commands.executeCommand<string>(Commands.startSandbox, { port: 0, patients: 2, select: false });
    assert.match(String(url), /^http:\/\/127\.0\.0\.1:\d+$/);
    const res = await fetch(`${url}/connect/system/clinical`);
    assert.equal(res.status, 200);
    await vscode.commands.executeCommand(Commands.stopSandbox);
  });
});
