import * as assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { Commands, SecretKeys } from '../../src/constants';
import type { ExtensionApi } from '../../src/extension';
import * as vscode from 'vscode';
import { eventually, startSandbox, stopSandbox, stubWindow } from './helpers';

describe('secrets in error messages and token storage are masked', function () {
  this.timeout(120000);
  let api: ExtensionApi;

  after(stopSandbox);

  it('tokens kept in SecretStorage or set through the client are masked in the log', async () => {
    ({ api } = await startSandbox({ patients: 1 }));
    const environment = api.clients.environment().name;
    const tokenSet = () => ({ accessToken: `at-${randomUUID()}`, refreshToken: `rt-${randomUUID()}`, tokenType: 'bearer', expiresAt: Date.now() + 3_600_000 });
    const client = api.clients.get();
    const written = tokenSet();
    await client.tokenManager({ oneupUserId: 'it-written' }).setTokens(written);
    // tokens kept from an earlier session: in SecretStorage before the extension loads them
    const kept = tokenSet();
    await api.context.secrets.store(SecretKeys.tokens(environment, 'oneup_user_id:it-kept'), JSON.stringify(kept));
    const keptManager = client.tokenManager({ oneupUserId: 'it-kept' });
    assert.deepEqual(await keptManager.state(), { kind: 'valid', expiresAt: kept.expiresAt });
    const values = [written.accessToken, written.refreshToken, kept.accessToken, kept.refreshToken];
    api.logger.info(`tokens in a log line: ${values.join(' ')}`);
    const line = api.logger.recent()[api.logger.recent().length - 1];
    assert.match(line, /tokens in a log line/);
    for (const v of values) assert.ok(!line.includes(v), `${v.slice(0, 3)}… is masked`);
    await client.tokenManager({ oneupUserId: 'it-written' }).clear();
    await keptManager.clear();
  });

  it('a server error echoing the client secret is masked in the tree error node and the notification', async () => {
    ({ api } = await startSandbox({ patients: 1 }));
    const secret = (await api.credentials.get('Local Sandbox'))!.clientSecret;
    const echo = { kind: 'status' as const, status: 400, body: { error: `the key ${secret} may not list users` } };
    // let the view's own load (after the sandbox started) finish: the refresh below drops a load
    // still running, and that one would take the fault
    await api.trees.users.getChildren();
    api.sandbox.addFault({ route: '/user-management/v1/user', method: 'GET', times: 1, fault: echo });
    api.trees.users.refresh();
    const nodes = (await api.trees.users.getChildren()) as { kind: string; message?: string }[];
    assert.equal(nodes[0]?.kind, 'error');
    assert.match(nodes[0].message!, /may not list users/);
    assert.ok(!nodes[0].message!.includes(secret), 'the tree error node shows no secret');

    // a command's error: a notification
    const patientId = api.sandbox.state!.users()[0].patientIds[0];
    api.sandbox.addFault({ route: `/Patient/${patientId}$`, method: 'GET', times: 1, fault: echo });
    const shown: string[] = [];
    const capture = async (message: string) => {
      shown.push(message);
      return undefined;
    };
    await stubWindow('showErrorMessage', capture, async () => {
      await vscode.commands.executeCommand(Commands.readResource, { version: 'r4', type: 'Patient', id: patientId });
      await eventually(() => shown.length, 'the error notification');
    });
    assert.match(shown[0], /may not list users/);
    assert.ok(!shown[0].includes(secret), 'the notification shows no secret');
    api.trees.users.refresh();
  });
});
