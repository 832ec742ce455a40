import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { webviewDeps } from '../../src/commands/webviewDeps';
import { Commands } from '../../src/constants';
import type { ExtensionApi } from '../../src/extension';
import { eventually, startSandbox, stopSandbox } from './helpers';

const oneupEditor = () => (vscode.window.activeTextEditor?.document.uri.scheme === 'oneup' ? vscode.window.activeTextEditor : undefined);

describe('oneup: resource documents', function () {
  this.timeout(120000);
  let api: ExtensionApi;

  before(async () => {
    ({ api } = await startSandbox({ patients: 2 }));
  });
  after(async () => {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    await stopSandbox();
  });

  it('a resource from a user\'s data is read as that user, and its address says so', async () => {
    const [alice, bob] = api.sandbox.state!.users();
    const id = alice.patientIds[0];
    // what a resource row under the user's "FHIR data" runs
    await vscode.commands.executeCommand(Commands.readResource, { version: 'r4', type: 'Patient', id, oneupUserId: alice.oneupUserId });
    const editor = await eventually(oneupEditor, 'the oneup: editor');
    assert.equal(new URLSearchParams(editor.document.uri.query).get('user'), alice.oneupUserId, 'the document names the user it is read as');
    assert.equal(JSON.parse(editor.document.getText()).id, id);
    // the same resource for bob is read with bob's token, and bob may not see alice's patient
    const asBob = editor.document.uri.with({ query: new URLSearchParams({ user: bob.oneupUserId }).toString() });
    await assert.rejects(Promise.resolve(vscode.workspace.openTextDocument(asBob)), 'bob cannot read alice\'s patient (the app could)');
  });

  it('"Open JSON" from a viewer showing a user\'s data reads the resource as that user', async () => {
    const [alice] = api.sandbox.state!.users();
    const id = alice.patientIds[0];
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    // what the bundle viewer and patient record call for a resource in a user's data
    await webviewDeps(api).openResourceJson('r4', 'Patient', id, { oneupUserId: alice.oneupUserId, appUserId: alice.appUserId });
    const editor = await eventually(oneupEditor, 'the oneup: editor');
    assert.equal(new URLSearchParams(editor.document.uri.query).get('user'), alice.oneupUserId);
    assert.equal(JSON.parse(editor.document.getText()).id, id);
  });

  it('Refresh reads open oneup: documents again', async () => {
    const [alice] = api.sandbox.state!.users();
    await vscode.commands.executeCommand(Commands.readResource, { version: 'r4', type: 'Patient', id: alice.patientIds[0], oneupUserId: alice.oneupUserId });
    const editor = await eventually(oneupEditor, 'the oneup: editor');
    const id = JSON.parse(editor.document.getText()).id as string;
    const reads = () => api.sandbox.state!.calls().filter((c) => c.method === 'GET' && c.path.endsWith(`/Patient/${id}`)).length;
    const before = reads();
    await vscode.commands.executeCommand(Commands.refresh);
    await eventually(() => reads() > before, 'the open document read from the server again');
  });
});
