import * as assert from 'node:assert/strict';
import { createReadStream, rmSync } from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { Commands } from '../../src/constants';
import type { NdjsonViewerState } from '../../src/core/explore/session';
import { PatientRecord } from '../../src/core/render/patientRecord';
import type { ExportSummaryView, } from '../../src/core/webviewProtocol/exportSummary';
import type { FilterState } from '../../src/core/webviewProtocol/ndjsonViewer';
import type { ExtensionApi } from '../../src/extension';
import type { ExportRecordSummary } from '../../src/webviews/exportPatientRecord';
import { addProblems, sandboxExport } from '../explore/generate';
import { eventually, startSandbox, stopSandbox } from './helpers';
import { child, childrenOf, treeItem } from './trees';

/** Generated patients of the large export: ~100 KB of Observations each, so 3,000 make ~300 MB. */
const PATIENTS = Number(process.env.ONEUP_EXPLORE_IT_PATIENTS ?? 3000);

function webviewTabs(): string[] {
  return vscode.window.tabGroups.all.flatMap((g) => g.tabs)
    .filter((t) => t.input instanceof vscode.TabInputWebview)
    .map((t) => `${(t.input as vscode.TabInputWebview).viewType}: ${t.label}`);
}

/** Lines of a file, and those whose only Observation code is `code`, read as a script would. */
async function countLines(file: string, code?: string): Promise<{ lines: number; matching: number }> {
  let lines = 0;
  let matching = 0;
  let rest = '';
  for await (const chunk of createReadStream(file, { encoding: 'utf8', highWaterMark: 4 << 20 })) {
    const parts = (rest + chunk).split('\n');
    rest = parts.pop() ?? '';
    for (const l of parts) {
      if (!l.trim()) continue;
      lines++;
      if (code && l.includes(code)) {
        const codes = (JSON.parse(l) as { code?: { coding?: { code?: string }[] } }).code?.coding?.map((c) => c.code) ?? [];
        if (codes.length === 1 && codes[0] === code) matching++;
      }
    }
  }
  if (rest.trim()) lines++;
  return { lines, matching };
}

describe('exploring exports of any size inside VS Code', function () {
  this.timeout(240_000);
  let api: ExtensionApi;
  let folder: string;
  let observations: string;
  let badFile: string;

  before(async () => {
    ({ api } = await startSandbox({ patients: 3 }));
    const root = vscode.workspace.workspaceFolders?.[0]?.uri.fsPath;
    assert.ok(root, 'the tests run with a workspace folder');
    // generated once per run into the workspace (exports are git-ignored there), deleted after
    folder = path.join(root, '.1uphealth', 'exports', 'Local_Sandbox', '2030-01-01T00-00-00Z');
    const e = await sandboxExport(folder, { patients: PATIENTS, types: ['Patient', 'Condition', 'Observation'] });
    badFile = path.join(folder, (await addProblems(e)).badFile);
    observations = path.join(folder, 'Observation.ndjson');
  });

  after(async () => {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    await stopSandbox();
    rmSync(folder, { recursive: true, force: true });
  });

  /** Opens an NDJSON file in the viewer (or shows it again) and waits for its index. */
  async function openIndexed(uri: vscode.Uri): Promise<NdjsonViewerState> {
    await vscode.commands.executeCommand(Commands.openInViewer, uri);
    return eventually(async () => {
      const s = await vscode.commands.executeCommand<NdjsonViewerState | undefined>(Commands.ndjsonGoToLine, { uri, line: 1 });
      return s?.index.done ? s : undefined;
    }, `${path.basename(uri.fsPath)} indexed`, 120000);
  }

  async function exportNode() {
    api.trees.exports.refresh();
    return child(api.trees.exports, undefined, 'export', (n) => n.entry.folder === folder);
  }

  it('opens a multi-hundred-MB export file from the Exports view, indexes it in the background and scrolls to its last row', async () => {
    const files = await childrenOf(api.trees.exports, await exportNode(), 'exportFile');
    const node = files.find((f) => f.file.name === 'Observation.ndjson');
    assert.ok(node, files.map((f) => f.file.name).join(', '));
    // what a click on the item runs
    const item = await treeItem(api.trees.exports, node);
    assert.equal(item.command?.command, Commands.openInViewer);
    await vscode.commands.executeCommand(item.command!.command, ...(item.command!.arguments ?? []));
    await eventually(() => webviewTabs().find((t) => t.includes('oneup.ndjsonViewer') && t.includes('Observation.ndjson')), 'the NDJSON viewer tab');
    const { lines } = await countLines(observations);
    assert.ok(lines > PATIENTS * 50, `a large file (${lines} lines)`);
    const uri = vscode.Uri.file(observations);
    // the first rows are there while the index is still being built
    const first = await vscode.commands.executeCommand<NdjsonViewerState>(Commands.ndjsonGoToLine, { uri, line: 1 });
    assert.equal(first.shown?.firstLine, 1, 'the first row is on screen');
    const indexed = await eventually(async () => {
      const s = await vscode.commands.executeCommand<NdjsonViewerState>(Commands.ndjsonGoToLine, { uri, line: 1 });
      return s.index.done ? s : undefined;
    }, 'the index to finish', 300_000);
    assert.equal(indexed.index.rows, lines);
    assert.equal(indexed.rowCount, lines);
    const last = await vscode.commands.executeCommand<NdjsonViewerState>(Commands.ndjsonGoToLine, { uri, line: 'last' });
    assert.equal(last.shown?.lastLine, lines, 'the webview shows the last line');
  });

  it('says where a FHIRPath filter has a syntax error, and streams a good one through the whole file', async () => {
    const uri = vscode.Uri.file(observations);
    await openIndexed(uri);
    const bad = await vscode.commands.executeCommand<FilterState>(Commands.ndjsonFilter, { uri, expression: 'code.coding.code = ' });
    assert.match(bad.error ?? '', /^Syntax error at column \d+/);
    const good = await vscode.commands.executeCommand<FilterState>(Commands.ndjsonFilter, { uri, expression: "code.coding.code = '8867-4'" });
    const { matching } = await countLines(observations, '8867-4');
    assert.ok(matching > 0);
    assert.equal(good.error, undefined);
    assert.equal(good.running, false);
    assert.equal(good.matched, matching);
    const shown = await vscode.commands.executeCommand<NdjsonViewerState>(Commands.ndjsonGoToLine, { uri, line: 'last' });
    assert.equal(shown.rowCount, matching, 'the list is the matches');
    await vscode.commands.executeCommand(Commands.ndjsonFilter, { uri, expression: '' });
  });

  it('shows a file with a truncated last line and a non-JSON line with both as bad lines', async () => {
    const state = await openIndexed(vscode.Uri.file(badFile));
    assert.equal(state.index.badCount, 2);
    assert.equal(state.rowCount, 31, 'no line left out');
  });

  it('Open Summary on the export shows its types, error reports and deleted entries', async () => {
    const view = await vscode.commands.executeCommand<ExportSummaryView>(Commands.openExportSummary, await exportNode());
    assert.ok(view, 'the summary was read');
    await eventually(() => webviewTabs().find((t) => t.includes('oneup.exportSummary')), 'the summary tab');
    const { lines } = await countLines(observations);
    assert.equal(view.byType.find((b) => b.label === 'Observation')?.value, lines);
    assert.equal(view.deleted.entries, 3);
    assert.equal(view.errors.reports, 2);
    assert.equal(view.badLines, 2);
    assert.ok(view.patients.count >= PATIENTS);
  });

  it('a patient\'s record from a bulk export matches the live $everything of the same sandbox patient', async () => {
    const exported = await vscode.commands.executeCommand<string>(Commands.bulkExport, { scope: 'app', version: 'r4', types: [], since: '' });
    assert.ok(exported, 'the bulk export finished');
    const user = api.sandbox.state!.users()[0];
    const patientId = api.sandbox.state!.user(user.oneupUserId)!.patientIds[0];
    const fromExport = await vscode.commands.executeCommand<ExportRecordSummary>(Commands.openExportPatientRecord, { folder: exported, patientId });
    assert.ok(fromExport, 'the record was built');
    const live = new PatientRecord(patientId);
    for await (const page of api.clients.get().fhir('r4').everythingPages(patientId)) live.addPage(page);
    assert.deepEqual(fromExport.counts, live.countList());
    const key = (items: { type: string; id?: string; time?: number }[]) => items.map((i) => `${i.type}/${i.id} ${i.time}`).sort();
    assert.deepEqual(key(fromExport.items), key(live.items().map((i) => ({ type: i.type, id: live.resource(i.key)?.id, time: i.time }))));
    assert.equal(fromExport.name, live.header()?.name);
    await eventually(() => webviewTabs().find((t) => t.includes('oneup.patientRecord') && t.includes(fromExport.name ?? '?')), 'the record tab');
    rmSync(exported, { recursive: true, force: true });
  });
});
