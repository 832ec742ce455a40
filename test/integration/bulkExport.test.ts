import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { Commands, Settings } from '../../src/constants';
import type { ExtensionApi } from '../../src/extension';
import { startSandbox, stopSandbox } from './helpers';

describe('bulk export into the workspace', function () {
  this.timeout(120000);
  let api: ExtensionApi;

  before(async () => {
    ({ api } = await startSandbox({ patients: 3 }));
  });
  after(stopSandbox);

  it('exports app-wide into .1uphealth/exports/<environment>/<timestamp>/ with a git-ignore, summary and verified files', async () => {
    const root = vscode.workspace.workspaceFolders?.[0]?.uri.fsPath;
    assert.ok(root, 'the tests run with a workspace folder');
    const folder = await vscode.commands.executeCommand<string>(Commands.bulkExport, { scope: 'app', version: 'r4', types: ['Patient', 'Observation'], since: '' });
    assert.ok(folder, 'the export finished');
    const exportsRoot = path.join(root, '.1uphealth', 'exports');
    assert.ok(path.resolve(folder).startsWith(path.join(exportsRoot, 'Local_Sandbox')), folder);
    const ignore = fs.readFileSync(path.join(exportsRoot, '.gitignore'), 'utf8').split('\n').filter((l) => l && !l.startsWith('#'));
    assert.deepEqual(ignore, ['*'], 'git ignores everything in the exports folder');
    const summary = JSON.parse(fs.readFileSync(path.join(folder, 'summary.json'), 'utf8'));
    const files = fs.readdirSync(folder).filter((f) => f.endsWith('.ndjson'));
    assert.ok(files.some((f) => f.startsWith('Patient.')) && files.some((f) => f.startsWith('Observation.')), files.join(', '));
    const patients = files.filter((f) => f.startsWith('Patient.')).flatMap((f) => fs.readFileSync(path.join(folder, f), 'utf8').trim().split('\n'));
    assert.equal(patients.length, api.sandbox.state!.patientCount(), 'every patient exported once');
    assert.ok(patients.every((l) => JSON.parse(l).resourceType === 'Patient'));
    assert.ok(JSON.stringify(summary).includes('Observation'));
    assert.ok(!files.some((f) => f.endsWith('.part')), 'no partial files left');
  });

  it('lists the export in the Exports view with its files', async () => {
    const exportsNodes = await api.trees.exports.getChildren();
    assert.ok(exportsNodes.length >= 1);
    const item = await api.trees.exports.getTreeItem(exportsNodes[0] as never);
    assert.match(String(item.contextValue), /^export\./);
    const files = await api.trees.exports.getChildren(exportsNodes[0] as never);
    assert.ok(files.length >= 2, 'the export expands to its files');
  });
});

describe('a bulk export while the settings change', function () {
  this.timeout(120000);
  let api: ExtensionApi;

  before(async () => {
    // the spec's async style: kick-off, status polls, then downloads (many requests after the change)
    ({ api } = await startSandbox({ patients: 3, exportStyle: 'async' }));
  });
  after(stopSandbox);

  it('finishes on the client it started with when a oneup.* setting changes mid-export', async () => {
    // the kick-off answers slowly, so the setting changes while the export is under way; the
    // status polls and downloads that follow must still go out on the export's own client
    api.sandbox.addFault({ route: '^/bulk-data/r4/\\$export$', fault: { kind: 'latency', ms: 3000 } });
    const started = new Promise<void>((resolve) => {
      const sub = api.trees.exports.running.onDidChange(() => {
        sub.dispose();
        resolve();
      });
    });
    const exported = Promise.resolve(vscode.commands.executeCommand<string>(Commands.bulkExport, { scope: 'app', version: 'r4', types: ['Patient', 'Observation'], since: '' }));
    const config = vscode.workspace.getConfiguration();
    try {
      await started;
      const changed = new Promise<void>((resolve) => {
        const sub = vscode.workspace.onDidChangeConfiguration((e) => {
          if (!e.affectsConfiguration(Settings.maxTries)) return;
          sub.dispose();
          resolve();
        });
      });
      await config.update(Settings.maxTries, 4, vscode.ConfigurationTarget.Global);
      await changed;
      const folder = await exported;
      assert.ok(folder, 'the export finished');
      const summary = JSON.parse(fs.readFileSync(path.join(folder, 'summary.json'), 'utf8'));
      assert.deepEqual(summary.errors, [], 'no file failed because the client was closed under it');
      assert.equal(summary.complete, true);
      const files = fs.readdirSync(folder).filter((f) => f.endsWith('.ndjson'));
      assert.ok(files.some((f) => f.startsWith('Patient.')) && files.some((f) => f.startsWith('Observation.')), files.join(', '));
    } finally {
      await exported.catch(() => undefined);
      await config.update(Settings.maxTries, undefined, vscode.ConfigurationTarget.Global);
    }
  });
});
