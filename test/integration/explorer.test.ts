import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { Commands } from '../../src/constants';
import type { ExtensionApi } from '../../src/extension';
import { activateExtension, labels, restartSandbox, startSandbox, stopSandbox } from './helpers';
import { child, childrenOf, ofKind, treeItem } from './trees';

describe('explorer views against the local sandbox', function () {
  this.timeout(120000);
  let api: ExtensionApi;

  before(async () => {
    api = await activateExtension();
  });

  after(stopSandbox);

  it('shows the welcome state (no children) while the environment has no credentials', async () => {
    await vscode.commands.executeCommand(Commands.selectEnvironment, { name: '1upHealth' });
    await vscode.commands.executeCommand(Commands.signOut, { environment: '1upHealth' });
    assert.deepEqual(await api.trees.users.getChildren(), []);
    assert.deepEqual(await api.trees.resources.getChildren(), []);
    assert.deepEqual(await api.trees.healthSystems.getChildren(), []);
  });

  it('pages the App Users view with "Load more…" to the last of 250 users', async () => {
    ({ api } = await restartSandbox({ users: 250, patients: 0 }));
    assert.equal(api.sandbox.state?.users().length, 250);
    const first = await api.trees.users.getChildren();
    assert.equal(first.length, 51, '50 users and a "Load more…" node');
    const more = first[50];
    assert.equal(more.kind, 'loadMore');
    assert.deepEqual(await labels(api.trees.users, [more]), ['Load more… (50 of 250)']);
    // "Load more…" the way a click does it
    await vscode.commands.executeCommand(Commands.treeRetry, more);
    assert.equal((await api.trees.users.getChildren()).length, 101);
    const all = await api.trees.users.loadAll(undefined);
    const users = ofKind(all, 'user');
    assert.equal(users.length, 250);
    assert.ok(!all.some((n) => n.kind === 'loadMore'), 'no "Load more…" after the last page');
    const expected = new Set(api.sandbox.state!.users().map((u) => u.appUserId));
    assert.deepEqual(new Set(users.map((u) => u.appUserId)), expected);
  });

  it('filters users and shows the filter in the view description', async () => {
    ({ api } = await startSandbox());
    const target = api.sandbox.state!.users()[7];
    await vscode.commands.executeCommand(Commands.listUsers, { appUserId: target.appUserId, reveal: false });
    const nodes = await api.trees.users.getChildren();
    assert.deepEqual(await labels(api.trees.users, nodes), [target.appUserId]);
    assert.equal(api.trees.users.view?.description, `app_user_id: ${target.appUserId}`);
    await vscode.commands.executeCommand(Commands.clearUserFilter);
    assert.equal(api.trees.users.view?.description, undefined);
  });

  it('expands a user to its patient, FHIR data with counts, and resources', async () => {
    ({ api } = await restartSandbox({ patients: 2 }));
    const user = await child(api.trees.users, undefined, 'user');
    const children = await api.trees.users.getChildren(user);
    assert.deepEqual(await labels(api.trees.users, children), ['Patient record', 'FHIR data', 'Permissions', 'Connected systems']);
    const types = await childrenOf(api.trees.users, await child(api.trees.users, user, 'fhirData'), 'userType');
    const patient = types.find((t) => t.type === 'Patient');
    assert.ok(patient && patient.count >= 1, 'the user sees their Patient');
    const observations = types.find((t) => t.type === 'Observation');
    assert.ok(observations && observations.count > 0);
    const rows = await api.trees.users.loadAll(observations);
    assert.equal(ofKind(rows, 'resource').length, observations.count, 'paging reaches every Observation');
    const item = await treeItem(api.trees.users, rows[0]);
    assert.ok(item.description, 'an Observation row shows its value or date');
    const tokenItem = await treeItem(api.trees.users, user);
    assert.match(String(tokenItem.description), /token valid until \d/, 'browsing as the user minted a token');
  });

  it('lists FHIR versions, types with counts and resources app-wide', async () => {
    ({ api } = await startSandbox());
    const versions = await api.trees.resources.getChildren();
    assert.deepEqual(await labels(api.trees.resources, versions), ['R4', 'DSTU2', 'STU3']);
    const patients = await child(api.trees.resources, versions[0], 'type', (t) => t.type === 'Patient');
    assert.equal(patients.count, api.sandbox.state!.patientCount());
    const resources = await api.trees.resources.getChildren(patients);
    const item = await treeItem(api.trees.resources, resources[0]);
    assert.match(String(item.description), /\d{4}-\d{2}-\d{2}/, 'a Patient row shows the birth date');
    assert.equal(item.command?.command, Commands.readResource);
  });

  it('lists health systems with status and API version, and filters by name', async () => {
    ({ api } = await startSandbox());
    const systems = await childrenOf(api.trees.healthSystems, undefined, 'system');
    assert.equal(systems.length, api.sandbox.state!.healthSystems().length);
    const item = await treeItem(api.trees.healthSystems, systems[0]);
    assert.ok(item.description, 'status / API version shown');
    const name = systems[0].system.name.split(' ')[0];
    await vscode.commands.executeCommand(Commands.filterHealthSystems, { name });
    const filtered = await childrenOf(api.trees.healthSystems, undefined, 'system');
    assert.ok(filtered.length >= 1 && filtered.every((f) => f.system.name.toLowerCase().includes(name.toLowerCase())));
    await vscode.commands.executeCommand(Commands.filterHealthSystems, { name: '' });
  });

  it('a failed load is an error node with Retry, not a pop-up', async () => {
    // the sandbox answers the next user list with a server error (500 is not retried); a load
    // still running would take it and be dropped by the refresh, so let it finish first
    ({ api } = await startSandbox());
    await api.trees.users.getChildren();
    api.sandbox.addFault({ route: '/user-management/v1/user', method: 'GET', times: 1, fault: { kind: 'status', status: 500 } });
    api.trees.users.refresh();
    const nodes = await api.trees.users.getChildren();
    assert.equal(nodes.length, 1);
    assert.equal(nodes[0].kind, 'error');
    const item = await treeItem(api.trees.users, nodes[0]);
    assert.equal(item.command?.command, Commands.treeRetry);
    await vscode.commands.executeCommand(Commands.treeRetry, nodes[0]);
    const again = await api.trees.users.getChildren();
    assert.ok(again.length > 0 && again.every((n) => n.kind === 'user'), 'Retry loads the users');
  });
});
