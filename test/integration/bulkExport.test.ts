import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { Commands, Settings } from '../../src/constants';
import type { ExtensionApi } from '../../src/extension';
import { startSandbox, stopSandbox, stubWindow } from './helpers';
import { childrenOf, treeItem } from './trees';

describe('bulk export into the workspace', function () {
  this.timeout(120000);
  let api: ExtensionApi;
  let exported: string | undefined;

  before(async () => {
    ({ api } = await startSandbox({ patients: 3 }));
  });
  after(stopSandbox);

  /** The suite's finished export: the first test's, or one made now when that test did not run (ONEUP_TEST_GREP). */
  async function finishedExport(): Promise<string> {
    exported ??= await vscode.commands.executeCommand<string>(Commands.bulkExport, { scope: 'app', version: 'r4', types: ['Patient', 'Observation'], since: '' });
    assert.ok(exported, 'the export finished');
    return exported;
  }

  it('exports app-wide into .1uphealth/exports/<environment>/<timestamp>/ with a git-ignore, summary and verified files', async () => {
    const root = vscode.workspace.workspaceFolders?.[0]?.uri.fsPath;
    assert.ok(root, 'the tests run with a workspace folder');
    const folder = await vscode.commands.executeCommand<string>(Commands.bulkExport, { scope: 'app', version: 'r4', types: ['Patient', 'Observation'], since: '' });
    assert.ok(folder, 'the export finished');
    exported = folder;
    const exportsRoot = path.join(root, '.1uphealth', 'exports');
    assert.ok(path.resolve(folder).startsWith(path.join(exportsRoot, 'Local_Sandbox')), folder);
    const ignore = fs.readFileSync(path.join(exportsRoot, '.gitignore'), 'utf8').split('\n').filter((l) => l && !l.startsWith('#'));
    assert.deepEqual(ignore, ['*'], 'git ignores everything in the exports folder');
    const summary = JSON.parse(fs.readFileSync(path.join(folder, 'summary.json'), 'utf8'));
    const files = fs.readdirSync(folder).filter((f) => f.endsWith('.ndjson'));
    assert.ok(files.includes('Patient.ndjson') && files.includes('Observation.ndjson'), files.join(', '));
    const patients = files.filter((f) => /^Patient(-\d+)?\.ndjson$/.test(f)).flatMap((f) => fs.readFileSync(path.join(folder, f), 'utf8').trim().split('\n'));
    assert.equal(patients.length, api.sandbox.state!.patientCount(), 'every patient exported once');
    assert.ok(patients.every((l) => JSON.parse(l).resourceType === 'Patient'));
    assert.ok(JSON.stringify(summary).includes('Observation'));
    assert.ok(!files.some((f) => f.endsWith('.part')), 'no partial files left');
  });

  it('exports a Group with a _typeFilter from its arguments, keeps the server\'s error file under error/ and shows its report', async () => {
    const shown: string[] = [];
    const folder = await stubWindow('showWarningMessage', (async (m: string) => {
      shown.push(m);
      return undefined;
    }) as never, async () => vscode.commands.executeCommand<string>(Commands.bulkExport, {
      scope: 'app', version: 'r4', level: 'group', groupId: 'all-patients', types: ['Patient', 'Observation'], since: '',
      typeFilters: ['Observation?date=not-a-date'], outputFormat: 'application/fhir+ndjson',
    }));
    assert.ok(folder, 'the export finished');
    assert.ok(fs.existsSync(path.join(folder, 'error', 'OperationOutcome.ndjson')), fs.readdirSync(folder).join(', '));
    const summary = JSON.parse(fs.readFileSync(path.join(folder, 'summary.json'), 'utf8'));
    assert.deepEqual(summary.level, { kind: 'group', groupId: 'all-patients' });
    assert.match(shown.join('\n'), /The server reported 1 problem in its error files: _typeFilter "Observation\?date=not-a-date"/);
    const calls = api.sandbox.state!.calls().map((c) => c.path);
    assert.ok(calls.includes('/bulk-data/r4/Group/all-patients/$export'), calls.slice(-5).join('\n'));
    const node = (await api.trees.exports.getChildren()).find((n) => (n as { entry?: { folder: string } }).entry?.folder === folder);
    assert.ok(node, 'the export is listed');
    const fileNodes = await api.trees.exports.getChildren(node as never);
    const errorNode = fileNodes.find((n) => (n as { file?: { name: string } }).file?.name === 'error/OperationOutcome.ndjson');
    assert.ok(errorNode, 'its error file is listed');
    const item = await api.trees.exports.getTreeItem(errorNode as never);
    assert.equal(item.contextValue, 'exportFile.error');
    // the tooltip's text is escaped for Markdown (spaces as &nbsp;)
    assert.match((item.tooltip as vscode.MarkdownString).value.replace(/&nbsp;/g, ' '), /error reports, kept as it sent them/);
  });

  it('asks which $export, and shows the request to start or refine with a _typeFilter', async () => {
    const picks: string[] = [];
    const inputs: string[] = [];
    let review = 0;
    const pick = (async (items: readonly vscode.QuickPickItem[], o: vscode.QuickPickOptions) => {
      picks.push(o.title ?? '');
      const byStart = (p: string) => items.find((i) => i.label.startsWith(p));
      if (/whose data/.test(o.title ?? '')) return byStart('$(organization)');
      if (/which \$export/.test(o.title ?? '')) return byStart('$(person) All patients');
      if (/resource types/.test(o.title ?? '')) return [items.find((i) => i.label === 'Patient'), items.find((i) => i.label === 'Observation')];
      if (/start, or refine/.test(o.title ?? '')) {
        review++;
        if (review === 1) return byStart('$(filter)');
        assert.match(String(byStart('$(play)')?.detail), /^GET .*\/bulk-data\/r4\/Patient\/\$export\?_type=Patient,Observation&_typeFilter=Observation%3Fdate%3Dge2000-01-01$/);
        return byStart('$(play)');
      }
      return undefined;
    }) as never;
    const input = (async (o: vscode.InputBoxOptions) => {
      inputs.push(o.title ?? '');
      return /_typeFilter/.test(o.title ?? '') ? 'Observation?date=ge2000-01-01' : '';
    }) as never;
    const folder = await stubWindow('showQuickPick', pick, () => stubWindow('showInputBox', input, () => stubWindow('showInformationMessage', (async () => undefined) as never,
      async () => vscode.commands.executeCommand<string>(Commands.bulkExport))));
    assert.ok(folder, `the export finished (${picks.join(' / ')})`);
    assert.equal(review, 2);
    const summary = JSON.parse(fs.readFileSync(path.join(folder, 'summary.json'), 'utf8'));
    assert.deepEqual([summary.level, summary.typeFilters], [{ kind: 'patient' }, ['Observation?date=ge2000-01-01']]);
  });

  it('lists the export in the Exports view with its files', async () => {
    await finishedExport();
    const exportsNodes = await childrenOf(api.trees.exports, undefined, 'export');
    assert.ok(exportsNodes.length >= 1);
    const item = await treeItem(api.trees.exports, exportsNodes[0]);
    assert.match(String(item.contextValue), /^export\./);
    const files = await api.trees.exports.getChildren(exportsNodes[0]);
    assert.ok(files.length >= 2, 'the export expands to its files');
  });

  /** A copy of the finished export with its summary removed: an interrupted export to resume. */
  async function interruptedCopy(to: string): Promise<string> {
    fs.cpSync(await finishedExport(), to, { recursive: true });
    fs.rmSync(path.join(to, 'summary.json'));
    return to;
  }

  /** Runs Resume Bulk Export and answers what it returned and the error messages it showed. */
  async function resume(folder: string): Promise<{ result: unknown; errors: string[] }> {
    const errors: string[] = [];
    const result = await stubWindow('showErrorMessage', (async (m: string) => {
      errors.push(m);
      return undefined;
    }), async () => vscode.commands.executeCommand(Commands.resumeBulkExport, { folder }));
    return { result, errors };
  }

  it('Resume Bulk Export refuses an export folder outside the workspace, also through a symlink, and writes nothing there', async () => {
    const outside = fs.mkdtempSync(path.join(os.tmpdir(), 'oneup-outside-'));
    const finished = await finishedExport();
    const link = path.join(path.dirname(finished), '2000-01-01T00-00-00Z');
    try {
      const copy = await interruptedCopy(path.join(outside, '.1uphealth', 'exports', 'Local_Sandbox', path.basename(finished)));
      const direct = await resume(copy);
      assert.equal(direct.result, undefined, 'nothing was resumed');
      assert.match(direct.errors.join('\n'), /is not an export folder of this workspace/);
      fs.symlinkSync(copy, link, 'dir');
      const linked = await resume(link);
      assert.equal(linked.result, undefined, 'nothing was resumed through the symlink');
      assert.match(linked.errors.join('\n'), /is not an export folder of this workspace/);
      assert.ok(!fs.existsSync(path.join(copy, 'summary.json')), 'nothing was written outside the workspace');
    } finally {
      fs.rmSync(link, { force: true });
      fs.rmSync(outside, { recursive: true, force: true });
    }
  });

  it('Resume Bulk Export refuses in an untrusted workspace and resumes once it is trusted', async () => {
    const copy = await interruptedCopy(path.join(path.dirname(await finishedExport()), '2000-01-02T00-00-00Z'));
    const trust = Object.getOwnPropertyDescriptor(vscode.workspace, 'isTrusted');
    assert.ok(trust, 'vscode.workspace.isTrusted is there to stand in for');
    try {
      Object.defineProperty(vscode.workspace, 'isTrusted', { configurable: true, get: () => false });
      const untrusted = await resume(copy);
      assert.equal(untrusted.result, undefined, 'nothing was resumed');
      assert.match(untrusted.errors.join('\n'), /trusted workspace/);
      assert.ok(!fs.existsSync(path.join(copy, 'summary.json')), 'nothing was written');
    } finally {
      Object.defineProperty(vscode.workspace, 'isTrusted', trust);
    }
    const trusted = await resume(copy);
    assert.deepEqual(trusted.errors, []);
    assert.equal(trusted.result, fs.realpathSync(copy));
    assert.equal(JSON.parse(fs.readFileSync(path.join(copy, 'summary.json'), 'utf8')).complete, true, 'the resumed export finished');
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
