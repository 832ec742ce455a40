import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { Commands } from '../../src/constants';
import type { ExtensionApi } from '../../src/extension';
import { eventually, startSandbox, stopSandbox } from './helpers';

describe('Copy (Last) Call as curl copies the call the user means', function () {
  this.timeout(120000);
  let api: ExtensionApi;
  let patientId: string;

  before(async () => {
    ({ api } = await startSandbox({ patients: 2 }));
    patientId = api.sandbox.state!.users()[0].patientIds[0];
  });
  after(async () => {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    await stopSandbox();
  });

  it('Copy Last Call copies the last command\'s request, not a view load that came after it', async () => {
    await vscode.commands.executeCommand(Commands.readResource, { version: 'r4', type: 'Patient', id: patientId });
    // a view reloading after the command (e.g. the refresh it caused): not a command's call
    await api.clients.get().users.listUsers();
    const curl = await vscode.commands.executeCommand<string>(Commands.copyLastCallAsCurl);
    assert.match(String(curl), new RegExp(`/Patient/${patientId}\\b`));
    assert.equal(await vscode.env.clipboard.readText(), curl);
  });

  it('Copy Call as curl on a node copies that node\'s request even when another is sent meanwhile', async () => {
    // the node's request takes a while, so another one is sent while it is in flight
    api.sandbox.addFault({ route: `/Patient/${patientId}$`, method: 'GET', times: 1, fault: { kind: 'latency', ms: 3000 } });
    const node = { kind: 'resource', version: 'r4', type: 'Patient', id: patientId, label: 'patient' };
    const copying = vscode.commands.executeCommand<string>(Commands.copyCallAsCurl, node);
    // the node's request has reached the sandbox (its fault is used up) and waits there; other requests
    // the extension sends meanwhile (a view's reload) do not matter
    await eventually(() => api.sandbox.pendingFaults() === 0, 'the node\'s request at the sandbox');
    await api.clients.get().users.listUsers();
    const curl = await copying;
    assert.match(String(curl), new RegExp(`/Patient/${patientId}\\b`), 'the node\'s own request');
    assert.doesNotMatch(String(curl), /user-management/);
  });
});
