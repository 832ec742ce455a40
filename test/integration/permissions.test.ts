import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { Commands } from '../../src/constants';
import type { ExtensionApi } from '../../src/extension';
import { noPrompt, startSandbox, stopSandbox, stubWindow } from './helpers';
import { child, childrenOf } from './trees';

describe('Grant / Revoke Permission from the App Users view', function () {
  this.timeout(120000);
  let api: ExtensionApi;

  before(async () => {
    ({ api } = await startSandbox({ patients: 2 }));
  });
  after(stopSandbox);

  it('Grant on a user\'s "Permissions" asks only for the grantee; Revoke on a grant asks nothing', async () => {
    const [alice, bob] = api.sandbox.state!.users();
    const aliceNode = await child(api.trees.users, undefined, 'user', (u) => u.oneupUserId === alice.oneupUserId);
    const permissions = await child(api.trees.users, aliceNode, 'permissions');

    const asked: string[] = [];
    const pickBob = async (items: readonly { description?: string }[], options?: { title?: string }) => {
      asked.push(options?.title ?? '');
      return items.find((i) => i.description === bob.oneupUserId);
    };
    // the menu passes the node itself, as VS Code does
    await stubWindow('showQuickPick', pickBob, () => Promise.resolve(vscode.commands.executeCommand(Commands.grantPermission, permissions)));
    assert.deepEqual(asked, [`Who may see the data of ${alice.appUserId}?`], 'the owner came from the node; only the grantee was asked');
    assert.ok(api.sandbox.state!.grants().some((g) => g.from === alice.oneupUserId && g.to === bob.oneupUserId), 'bob may read alice\'s data');

    const grants = await childrenOf(api.trees.users, permissions, 'grant');
    assert.deepEqual(grants.map((g) => g.grantee), [bob.oneupUserId]);
    assert.equal((await api.trees.users.getChildren(permissions)).length, 1, 'only the grant');
    const prompts: string[] = [];
    await stubWindow('showQuickPick', noPrompt(prompts), () => stubWindow('showInputBox', noPrompt(prompts), () =>
      Promise.resolve(vscode.commands.executeCommand(Commands.revokePermission, grants[0]))));
    assert.deepEqual(prompts, [], 'owner and grantee came from the grant node');
    assert.ok(!api.sandbox.state!.grants().some((g) => g.from === alice.oneupUserId && g.to === bob.oneupUserId), 'revoked');
    assert.deepEqual((await api.trees.users.getChildren(permissions)).map((n) => n.kind), ['message'], 'the grant is gone from the tree');
  });
});
