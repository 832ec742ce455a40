import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { Commands } from '../../src/constants';
import type { ExtensionApi } from '../../src/extension';
import { eventually, startSandbox, stopSandbox } from './helpers';

/** Webview tabs open now, as "<viewType>: <title>". */
function webviewTabs(): string[] {
  return vscode.window.tabGroups.all.flatMap((g) => g.tabs)
    .filter((t) => t.input instanceof vscode.TabInputWebview)
    .map((t) => `${(t.input as vscode.TabInputWebview).viewType}: ${t.label}`);
}

async function closeAll(): Promise<void> {
  await vscode.commands.executeCommand('workbench.action.closeAllEditors');
}

describe('webviews inside VS Code', function () {
  this.timeout(120000);
  let api: ExtensionApi;
  let user: { oneupUserId: string; appUserId: string };

  before(async () => {
    ({ api } = await startSandbox({ patients: 2 }));
    user = api.sandbox.state!.users()[0];
  });
  after(async () => {
    await closeAll();
    await stopSandbox();
  });

  it('a search result opens in the bundle viewer', async () => {
    await vscode.commands.executeCommand(Commands.searchResources, { type: 'Observation', count: 20 });
    const tab = await eventually(() => webviewTabs().find((t) => t.includes('oneup.bundleViewer')), 'the bundle viewer tab');
    assert.match(tab, /Observation/);
    await closeAll();
  });

  it('the patient record opens for a user ($everything)', async () => {
    const before = api.sandbox.state!.calls().filter((c) => c.path.includes('$everything')).length;
    const r = await vscode.commands.executeCommand<{ patientId: string }>(Commands.everything, { oneupUserId: user.oneupUserId, appUserId: user.appUserId });
    assert.ok(r, `the command failed: ${api.logger.recent().slice(-5).join(' | ')}`);
    assert.ok(api.sandbox.state!.user(user.oneupUserId)!.patientIds.includes(r.patientId));
    // the tab is titled "Record: Patient/<id>" until the first page arrives, then by the patient's
    // name (the two can race the test, so it waits for the name, which proves the page rendered)
    const version = api.environments.active()?.fhirVersion ?? 'r4';
    const patient = api.sandbox.state!.resource(version, 'Patient', r.patientId, api.sandbox.state!.user(user.oneupUserId)!.clientId) as { name?: { family?: string | string[] }[] } | undefined;
    const family = [patient?.name?.[0]?.family].flat()[0];
    assert.ok(family, `the sandbox knows Patient/${r.patientId} and its name`);
    await eventually(() => webviewTabs().find((t) => t.includes('oneup.patientRecord') && t.includes(family)), `the patient record tab titled with ${family}`);
    // the panel reads the first page; the webview, once it has rendered it with the end in view,
    // asks for the next one: a request only a webview that received the host's page can make
    const pages = () => api.sandbox.state!.calls().filter((c) => c.path.includes('$everything')).length;
    await eventually(() => pages() >= before + 3, 'the patient record asking for its next page', 20000);
    await closeAll();
  });

  it('"Open in 1upHealth Viewer" shows a Bundle file from the workspace', async () => {
    const folder = process.env.ONEUP_TEST_WORKSPACE ?? vscode.workspace.workspaceFolders?.[0]?.uri.fsPath;
    assert.ok(folder, 'the tests run with a workspace folder');
    const fixture = path.join(__dirname, '..', '..', '..', 'test', 'fixtures', 'synthea', 'r4', 'Wm_Bergstrom_c536dee9-9ef6-4807-ae20-9f1045c9c7d6.json');
    const file = path.join(folder, 'bundle.json');
    fs.copyFileSync(fixture, file);
    await vscode.commands.executeCommand(Commands.openInViewer, vscode.Uri.file(file));
    await eventually(() => webviewTabs().find((t) => t.includes('oneup.bundleViewer') && t.includes('bundle.json')), 'the file viewer tab');
    await closeAll();
  });

  it('the Connect page opens for a user with a fresh token', async () => {
    await vscode.commands.executeCommand(Commands.openConnectPage, { oneupUserId: user.oneupUserId, appUserId: user.appUserId });
    await eventually(() => webviewTabs().find((t) => t.includes('oneup.connect')), 'the Connect tab');
    // the page asks for the user's token once it is open, after the tab shows
    await eventually(async () => (await api.clients.get().tokenManager({ oneupUserId: user.oneupUserId }).state()).kind === 'valid',
      'opening the Connect page minted the user\'s token');
    await closeAll();
  });

  it('the health system search opens', async () => {
    await vscode.commands.executeCommand(Commands.searchHealthSystems);
    await eventually(() => webviewTabs().find((t) => t.includes('oneup.healthSystemSearch')), 'the search tab');
    await closeAll();
  });
});
