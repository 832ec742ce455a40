import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { Commands } from '../../src/constants';
import type { ExtensionApi } from '../../src/extension';
import { eventually, restartSandbox, stopSandbox } from './helpers';

const run = <T = unknown>(id: string, args?: unknown) => vscode.commands.executeCommand<T>(id, args);

describe('commands against the local sandbox (args, no prompts)', function () {
  this.timeout(120000);
  let api: ExtensionApi;
  let alice: { oneupUserId: string; appUserId: string };
  let bob: { oneupUserId: string; appUserId: string };

  let url: string;
  /** A user of the test's own, made with a plain HTTP call (not by the command under test). */
  const newUser = async (appUserId: string) => {
    const creds = (await api.credentials.get('Local Sandbox'))!;
    const r = await fetch(`${url}/user-management/v1/user`, { method: 'POST', body: new URLSearchParams({ app_user_id: appUserId, client_id: creds.clientId, client_secret: creds.clientSecret }) });
    assert.equal(r.status, 200, await r.clone().text());
    const { oneup_user_id: oneupUserId } = await r.json() as { oneup_user_id: string };
    return { oneupUserId, appUserId };
  };

  // every test works alone (ONEUP_TEST_GREP): the users it needs are made here or by the test itself
  before(async () => {
    ({ api, url } = await restartSandbox({ patients: 2 }));
    alice = await newUser('it-alice');
    bob = await newUser('it-bob');
  });
  after(stopSandbox);

  it('Create User creates the user; creating it again reports "already exists"', async () => {
    const created = await run<{ created: boolean; oneupUserId: string; appUserId: string }>(Commands.createUser, { appUserId: 'it-carol' });
    assert.equal(created?.created, true);
    assert.equal(api.sandbox.state!.user('it-carol')?.oneupUserId, created!.oneupUserId);
    const again = await run<{ created: boolean; message: string }>(Commands.createUser, { appUserId: 'it-carol' });
    assert.equal(again?.created, false);
    assert.match(again!.message, /already exists/i);
  });

  it('List Users answers the app users, filtered', async () => {
    const all = await run<{ appUserId: string }[]>(Commands.listUsers, { reveal: false });
    assert.ok(all!.some((u) => u.appUserId === 'it-alice') && all!.some((u) => u.appUserId === 'it-bob'));
    const one = await run<{ appUserId: string }[]>(Commands.listUsers, { oneupUserId: alice.oneupUserId, reveal: false });
    assert.deepEqual(one!.map((u) => u.appUserId), ['it-alice']);
    await run(Commands.clearUserFilter);
  });

  it('Update User renames; Deactivate / Activate change the active flag', async () => {
    const dave = await newUser('it-dave');
    await run(Commands.updateUser, { oneupUserId: dave.oneupUserId, newAppUserId: 'it-dave-2' });
    assert.equal(api.sandbox.state!.user(dave.oneupUserId)?.appUserId, 'it-dave-2');
    await run(Commands.deactivateUser, { oneupUserId: dave.oneupUserId });
    assert.equal(api.sandbox.state!.user(dave.oneupUserId)?.active, false);
    await run(Commands.activateUser, { oneupUserId: dave.oneupUserId });
    assert.equal(api.sandbox.state!.user(dave.oneupUserId)?.active, true);
  });

  it('Get Auth Code copies a code on request; it never reaches the log', async () => {
    await vscode.env.clipboard.writeText('');
    await run(Commands.getAuthCode, { oneupUserId: alice.oneupUserId, copy: true });
    const code = await vscode.env.clipboard.readText();
    assert.ok(code.length >= 16, 'a code was copied');
    assert.ok(!api.logger.recent().some((l) => l.includes(code)), 'the code is masked in the log');
    // the copied code is a real one: it exchanges for tokens
    const t = await run<{ expiresAt: number }>(Commands.getAccessToken, { oneupUserId: alice.oneupUserId, code, copy: false });
    assert.ok(t!.expiresAt > Date.now());
  });

  it('Get Access Token and Refresh Token keep tokens in SecretStorage only', async () => {
    const got = await run<{ expiresAt: number }>(Commands.getAccessToken, { oneupUserId: bob.oneupUserId, copy: false });
    assert.ok(got!.expiresAt > Date.now());
    const stored = await api.credentials.tokenStore('Local Sandbox').get(`oneup_user_id:${bob.oneupUserId}`);
    assert.ok(stored && JSON.parse(stored).accessToken, 'the token set is in SecretStorage');
    const before = JSON.parse(stored!).accessToken as string;
    const refreshed = await run<{ expiresAt: number }>(Commands.refreshToken, { oneupUserId: bob.oneupUserId, copy: false });
    assert.ok(refreshed!.expiresAt >= got!.expiresAt);
    const after = JSON.parse((await api.credentials.tokenStore('Local Sandbox').get(`oneup_user_id:${bob.oneupUserId}`))!).accessToken;
    assert.notEqual(after, before, 'a new access token');
    assert.ok(api.sandbox.state!.calls().some((c) => /oauth2\/token/.test(c.path)), 'the sandbox saw token calls');
    await run(Commands.copyAccessToken, { oneupUserId: bob.oneupUserId });
    assert.equal(await vscode.env.clipboard.readText(), after);
    const settingsText = JSON.stringify(vscode.workspace.getConfiguration('oneup'));
    assert.ok(!settingsText.includes(after) && !api.logger.recent().some((l) => l.includes(after)), 'no token in settings or log');
  });

  it('Search FHIR Resources pages with _count and finds text with _content', async () => {
    const page = await run<{ total: number; entries: number; ids: string[] }>(Commands.searchResources, { type: 'Observation', count: 5, open: false });
    assert.equal(page!.entries, 5);
    assert.ok(page!.total > 5);
    const patient = api.sandbox.state!.users()[0];
    const p = api.sandbox.state!.resource('r4', 'Patient', patient.patientIds[0]) as { name?: { family?: string }[] };
    const family = p.name![0].family!;
    const found = await run<{ ids: string[] }>(Commands.searchResources, { type: 'Patient', content: family, open: false });
    assert.ok(found!.ids.includes(patient.patientIds[0]), `_content=${family} finds the patient`);
  });

  it('Read Resource by id opens the resource as read-only JSON titled Type/id', async () => {
    const id = api.sandbox.state!.users()[0].patientIds[0];
    await run(Commands.readResource, { type: 'Patient', id });
    const editor = await eventually(() => (vscode.window.activeTextEditor?.document.uri.scheme === 'oneup' ? vscode.window.activeTextEditor : undefined), 'the oneup: editor');
    assert.equal(editor.document.languageId, 'json');
    assert.ok(editor.document.uri.path.endsWith(`Patient\u2215${id}`));
    assert.equal(JSON.parse(editor.document.getText()).id, id);
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });

  it('Create FHIR Resource stores the resource; bad JSON or a wrong resourceType sends nothing', async () => {
    const obs = { resourceType: 'Observation', status: 'final', code: { text: 'Integration check' }, valueQuantity: { value: 42, unit: 'kg' } };
    const created = await run<{ id: string }>(Commands.createResource, { resource: obs, oneupUserId: alice.oneupUserId, open: false });
    assert.ok(created?.id);
    assert.equal((api.sandbox.state!.resource('r4', 'Observation', created!.id) as unknown as { code: { text: string } }).code.text, 'Integration check');
    const count = api.sandbox.state!.createdCount();
    assert.equal(await run(Commands.createResource, { json: '{"resourceType": "Observation",', oneupUserId: alice.oneupUserId }), undefined);
    assert.equal(await run(Commands.createResource, { resource: { resourceType: 'NotAType' }, oneupUserId: alice.oneupUserId }), undefined);
    assert.equal(api.sandbox.state!.createdCount(), count, 'nothing was created');
  });

  it('Create FHIR Resource from the active editor: a JSON error moves the cursor there and keeps the text', async () => {
    const text = '{\n  "resourceType": "Patient",\n  "name": [ { "family": "Doe" } ]\n  "gender": "female"\n}\n';
    const doc = await vscode.workspace.openTextDocument({ language: 'json', content: text });
    const editor = await vscode.window.showTextDocument(doc);
    await run(Commands.createResource, { oneupUserId: alice.oneupUserId });
    assert.equal(editor.document.getText(), text, 'the editor keeps its content');
    assert.equal(editor.selection.active.line, 3, 'the cursor is on the line of the error');
    await editor.edit((e) => e.replace(new vscode.Range(2, 0, 2, 100), '  "name": [ { "family": "Doe" } ],'));
    const created = await run<{ id: string }>(Commands.createResource, { oneupUserId: alice.oneupUserId, open: false });
    assert.equal(api.sandbox.state!.resource('r4', 'Patient', created!.id)?.gender, 'female');
    await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
  });

  it('Get All Patient Data ($everything) reads every resource of the patient', async () => {
    const r = await run<{ patientId: string; total: number; entries: number }>(Commands.everything, { oneupUserId: alice.oneupUserId, open: false });
    assert.ok(r!.entries > 0);
    assert.ok(api.sandbox.state!.user(alice.oneupUserId)!.patientIds.includes(r!.patientId));
  });

  it('Grant Permission lets another user read the data; Revoke takes it back', async () => {
    const alicePatient = api.sandbox.state!.user(alice.oneupUserId)!.patientIds[0];
    const bobSees = async () => (await run<{ ids: string[] }>(Commands.searchResources, { type: 'Patient', count: 100, open: false, oneupUserId: bob.oneupUserId }))!.ids;
    assert.ok(!(await bobSees()).includes(alicePatient));
    await run(Commands.grantPermission, { oneupUserId: alice.oneupUserId, granteeOneupUserId: bob.oneupUserId });
    assert.ok(api.sandbox.state!.grants().some((g) => g.from === alice.oneupUserId && g.to === bob.oneupUserId));
    assert.ok((await bobSees()).includes(alicePatient), 'bob now sees alice\'s patient');
    await run(Commands.revokePermission, { oneupUserId: alice.oneupUserId, granteeOneupUserId: bob.oneupUserId });
    assert.ok(!(await bobSees()).includes(alicePatient), 'revoked');
  });

  it('Delete All Patient Data needs the typed patient id, then deletes', async () => {
    const erin = await newUser('it-erin');
    const pid = api.sandbox.state!.user(erin.oneupUserId)!.patientIds[0];
    assert.equal(await run(Commands.deleteEverything, { oneupUserId: erin.oneupUserId, confirm: 'wrong' }), undefined);
    assert.ok(api.sandbox.state!.resource('r4', 'Patient', pid), 'nothing deleted without the right confirmation');
    const r = await run<{ message: string }>(Commands.deleteEverything, { oneupUserId: erin.oneupUserId, confirm: pid });
    assert.match(r!.message, new RegExp(pid));
    assert.equal(api.sandbox.state!.resource('r4', 'Patient', pid), undefined);
  });

  it('List Supported Health Systems answers the systems with status and API version', async () => {
    const systems = await run<{ id: string; name: string; status?: string }[]>(Commands.listHealthSystems, { reveal: false });
    assert.equal(systems!.length, api.sandbox.state!.healthSystems().length);
    assert.ok(systems!.every((s) => s.id && s.name));
  });

  it('Copy Last Call as curl copies a runnable command with secrets as variables', async () => {
    await run(Commands.listUsers, { reveal: false });
    const curl = await run<string>(Commands.copyLastCallAsCurl);
    assert.equal(await vscode.env.clipboard.readText(), curl);
    assert.match(curl!, /^curl /);
    assert.match(curl!, /\$\{?ONEUP_CLIENT_SECRET/);
    const secret = (await api.credentials.get('Local Sandbox'))!.clientSecret;
    assert.ok(!curl!.includes(secret));
  });

  it('the client secret is nowhere in settings or the log after calls that send it', async () => {
    await run(Commands.listUsers, { reveal: false });
    await run(Commands.getAuthCode, { oneupUserId: alice.oneupUserId, copy: false });
    await run(Commands.searchResources, { type: 'Patient', count: 5, open: false });
    const secret = (await api.credentials.get('Local Sandbox'))!.clientSecret;
    assert.ok(!JSON.stringify(vscode.workspace.getConfiguration('oneup')).includes(secret));
    assert.ok(api.logger.recent().length > 20, 'the log has lines');
    assert.ok(!api.logger.recent().some((l) => l.includes(secret)));
  });
});
