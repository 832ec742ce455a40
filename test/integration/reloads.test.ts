import * as assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import * as vscode from 'vscode';
import { Commands, SecretKeys, Settings } from '../../src/constants';
import { DEFAULT_ENVIRONMENT_NAME } from '../../src/core/environments';
import type { ExtensionApi } from '../../src/extension';
import { BaseTreeProvider } from '../../src/tree/baseProvider';
import { activateExtension, eventually } from './helpers';

type Leaf = { kind: 'leaf'; label: string };

/** A view whose loads answer only when the test says so, in any order. */
class GatedTree extends BaseTreeProvider<Leaf> {
  readonly loads: { answer(labels: string[]): void; fail(e: Error): void }[] = [];
  protected loadChildren(): Promise<Leaf[]> {
    return new Promise((resolve, reject) => this.loads.push({
      answer: (labels) => resolve(labels.map((label) => ({ kind: 'leaf', label }))),
      fail: reject,
    }));
  }
  protected itemFor(n: Leaf): vscode.TreeItem {
    return new vscode.TreeItem(n.label);
  }
}

const labelsOf = (nodes: readonly unknown[]) => nodes.map((n) => (n as { label?: string; kind: string }).label ?? (n as { kind: string }).kind);
const settled = () => new Promise((r) => setImmediate(r));

/** Records the events `event` fires that pass `keep`. */
function record<T>(event: vscode.Event<T>, keep: (e: T) => boolean = () => true): { seen: T[] } & vscode.Disposable {
  const seen: T[] = [];
  const sub = event((e) => { if (keep(e)) seen.push(e); });
  return { seen, dispose: () => sub.dispose() };
}

describe('a view after Refresh', () => {
  it('keeps the fresh children when a load started before the refresh answers last', async () => {
    const tree = new GatedTree();
    try {
      const old = tree.getChildren();
      tree.refresh();
      const fresh = tree.getChildren();
      assert.equal(tree.loads.length, 2, 'the refresh started a new load');
      tree.loads[1].answer(['fresh']);
      assert.deepEqual(labelsOf(await fresh), ['fresh']);
      tree.loads[0].answer(['stale']);
      assert.deepEqual(labelsOf(await old), ['fresh'], 'whoever waited on the old load is shown the fresh children');
      assert.deepEqual(labelsOf(await tree.getChildren()), ['fresh']);
      assert.equal(tree.loads.length, 2);
    } finally {
      tree.dispose();
    }
  });

  it('does not show what a load started before the refresh answers first, nor its error', async () => {
    const tree = new GatedTree();
    try {
      const old = tree.getChildren();
      tree.refresh();
      const fresh = tree.getChildren();
      tree.loads[0].answer(['stale']);
      await settled();
      const meanwhile = tree.getChildren();
      tree.loads[1].answer(['fresh']);
      assert.deepEqual(labelsOf(await fresh), ['fresh']);
      assert.deepEqual(labelsOf(await meanwhile), ['fresh'], 'asked while the refresh loads: waits for it');
      assert.deepEqual(labelsOf(await old), ['fresh']);

      tree.refresh();
      const failing = tree.getChildren();
      tree.refresh();
      const again = tree.getChildren();
      tree.loads[2].fail(new Error('the old load failed'));
      tree.loads[3].answer(['fresh again']);
      assert.deepEqual(labelsOf(await again), ['fresh again']);
      assert.deepEqual(labelsOf(await failing), ['fresh again'], 'no error node for a load the refresh replaced');
      assert.equal(tree.loads.length, 4);
    } finally {
      tree.dispose();
    }
  });
});

describe('one change, one reload', function () {
  this.timeout(60000);
  let api: ExtensionApi;
  const marker = 'it-reloads-marker';

  before(async () => {
    api = await activateExtension();
    await vscode.commands.executeCommand(Commands.selectEnvironment, { name: DEFAULT_ENVIRONMENT_NAME });
  });

  it('setting credentials fires one change and reloads the App Users view once', async () => {
    const changes = record(api.credentials.onDidChange);
    const reloads = record(api.trees.users.onDidChangeTreeData, (node) => node === undefined);
    try {
      await vscode.commands.executeCommand(Commands.setCredentials, { environment: DEFAULT_ENVIRONMENT_NAME, clientId: 'it-reloads', clientSecret: `sk-${randomUUID()}` });
      // VS Code echoes every store as a secret-storage event, in order: once a later store of
      // another key is seen, the echo of ours has been handled
      await api.context.secrets.store(SecretKeys.credentials(marker), JSON.stringify({ clientId: 'm', clientSecret: `sk-${randomUUID()}` }));
      await eventually(() => changes.seen.includes(marker), 'the change of the marker');
      assert.deepEqual(changes.seen, [DEFAULT_ENVIRONMENT_NAME, marker]);
      assert.equal(reloads.seen.length, 1, 'one reload (none for credentials of an environment that is not active)');
    } finally {
      changes.dispose();
      reloads.dispose();
      await api.context.secrets.delete(SecretKeys.credentials(marker));
      await vscode.commands.executeCommand(Commands.signOut, { environment: DEFAULT_ENVIRONMENT_NAME });
    }
  });

  it('selecting an environment fires one change; other 1upHealth settings fire none', async () => {
    const config = vscode.workspace.getConfiguration();
    const other = 'it-reloads-env';
    await config.update(Settings.environments, {
      [other]: { apiUrl: 'http://127.0.0.1:9', fhirUrl: 'http://127.0.0.1:9/fhir', tokenUrl: 'http://127.0.0.1:9/fhir/oauth2/token', bulkDataUrl: 'http://127.0.0.1:9/bulk-data' },
    }, vscode.ConfigurationTarget.Global);
    const changes = record(api.environments.onDidChange);
    const reloads = record(api.trees.users.onDidChangeTreeData, (node) => node === undefined);
    try {
      await vscode.commands.executeCommand(Commands.selectEnvironment, { name: other });
      // settings events come in order: once this one is seen, those of the selection are handled
      const seen = new Promise<void>((resolve) => {
        const sub = vscode.workspace.onDidChangeConfiguration((e) => {
          if (e.affectsConfiguration(Settings.sandboxPatients)) { sub.dispose(); resolve(); }
        });
      });
      await config.update(Settings.sandboxPatients, 7, vscode.ConfigurationTarget.Global);
      await seen;
      assert.equal(api.environments.activeName(), other);
      assert.equal(changes.seen.length, 1, 'one change for the selection, none for oneup.sandbox.patients');
      assert.equal(reloads.seen.length, 1);
    } finally {
      changes.dispose();
      reloads.dispose();
      await vscode.commands.executeCommand(Commands.selectEnvironment, { name: DEFAULT_ENVIRONMENT_NAME });
      await config.update(Settings.sandboxPatients, undefined, vscode.ConfigurationTarget.Global);
      await config.update(Settings.environments, undefined, vscode.ConfigurationTarget.Global);
    }
  });

  it('a status bar update that fails is logged, not left as an unhandled rejection', async () => {
    const store = api.credentials as unknown as { get: typeof api.credentials.get };
    store.get = async () => { throw new Error('it: secret storage is unavailable'); };
    try {
      await api.credentials.set(DEFAULT_ENVIRONMENT_NAME, { clientId: 'it-reloads', clientSecret: `sk-${randomUUID()}` });
      await eventually(() => api.logger.recent().some((l) => l.includes('[status bar]') && l.includes('it: secret storage is unavailable')), 'the failure in the log');
    } finally {
      // the stub is an own property: removing it brings back the class's method
      delete (store as { get?: unknown }).get;
      await vscode.commands.executeCommand(Commands.signOut, { environment: DEFAULT_ENVIRONMENT_NAME });
    }
  });
});
