// Phase 1 of "webview panels survive a window reload" (the runner reloads the window after it; see
// mochaRunner.ts, and webviewReload.test.ts for phase 2): opens one panel of every kind, waits until
// each webview has loaded (and saved what brings it back), deletes one panel's file, writes the plan.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { Commands, ViewTypes } from '../../src/constants';
import type { Resource } from '../../src/core/fhir/types';
import { findAttachments } from '../../src/core/render/attachments';
import { webviewDeps } from '../../src/commands/webviewDeps';
import type { ExtensionApi } from '../../src/extension';
import { openAttachment } from '../../src/webviews/attachments';
import { openPanels, type PanelInfo } from '../../src/webviews/panelHost';
import { sandboxExport } from '../explore/generate';
import { activateExtension, eventually, startSandbox } from './helpers';
import { reloadMarker, type ReloadExpectation, type ReloadPlan } from './reloadShared';

const ROOT = path.resolve(__dirname, '..', '..', '..');
const SERVER_KINDS = new Set(['search', 'page', 'resource', 'record', 'connect', 'healthSystems', 'attachment']);

describe('webview panels after a window reload', function () {
  this.timeout(300_000);

  it('phase 1: one panel of every kind is open, each webview has saved where its data comes from', async () => {
    const lazy = path.join(ROOT, 'out', 'src', 'host', 'lazy');
    if (!fs.existsSync(lazy)) fs.symlinkSync(path.join(ROOT, 'dist', 'lazy'), lazy, 'dir');
    const api: ExtensionApi = (await startSandbox({ patients: 2 })).api;
    const folder = process.env.ONEUP_TEST_WORKSPACE ?? vscode.workspace.workspaceFolders?.[0]?.uri.fsPath;
    assert.ok(folder, 'the tests run with a workspace folder');
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    const u = api.sandbox.state!.users()[0];
    const user = { oneupUserId: u.oneupUserId, appUserId: u.appUserId };
    const patientId = api.sandbox.state!.user(u.oneupUserId)!.patientIds[0];

    const seen = new Set<PanelInfo>();
    /** Runs `open`, then waits until the new panel of that kind has a loaded webview (it saved its state at load). */
    const opened = async (kind: string, open: () => PromiseLike<unknown>, list: () => PanelInfo[] = () => api.webviews.panels()) => {
      const before = new Set(list().map((p) => `${p.viewType}|${p.title}`));
      await open();
      const p = await eventually(() => list().find((x) => x.restore?.kind === kind && x.ready && !before.has(`${x.viewType}|${x.title}`)), `a ${kind} panel whose webview has loaded`, 30000);
      seen.add(p);
    };

    // read from the server (they wait for the sandbox after the reload)
    await opened('search', () => vscode.commands.executeCommand(Commands.searchResources, { type: 'Observation', count: 5 }));
    await opened('resource', () => vscode.commands.executeCommand(Commands.viewResource, { version: 'r4', type: 'Patient', id: patientId }));
    await opened('record', () => vscode.commands.executeCommand(Commands.everything, user));
    await opened('connect', () => vscode.commands.executeCommand(Commands.openConnectPage, user));
    await opened('healthSystems', () => vscode.commands.executeCommand(Commands.searchHealthSystems));
    // an HTML report of the user's, in its own panel
    const deps = webviewDeps(api);
    const reports = await deps.search('r4', { type: 'DiagnosticReport', params: [['_count', '100']] }, new AbortController().signal, user);
    const report = (reports.entry ?? []).map((e) => e.resource).find((r) => r && findAttachments(r as never).some((a) => String(a.attachment.contentType).startsWith('text/html'))) as Resource | undefined;
    assert.ok(report, 'the sandbox has a DiagnosticReport with an HTML presentedForm');
    const html = findAttachments(report as never).find((a) => String(a.attachment.contentType).startsWith('text/html'))!;
    await opened('attachment', () => openAttachment(api, html, report, false, {
      version: 'r4', environment: api.environments.active(), user, origin: { env: api.environments.active()!.name }, deps,
      requireEnvironment: () => api.environments.active()!, signal: new AbortController().signal, busy: () => undefined,
    }), openPanels);

    // workspace files (they come back at once)
    const bundleFile = path.join(folder, 'reload-bundle.json');
    fs.copyFileSync(path.join(ROOT, 'test', 'fixtures', 'synthea', 'r4', 'Wm_Bergstrom_c536dee9-9ef6-4807-ae20-9f1045c9c7d6.json'), bundleFile);
    await opened('file', () => vscode.commands.executeCommand(Commands.openInViewer, vscode.Uri.file(bundleFile)));
    const patientFile = path.join(folder, 'reload-patient.json');
    fs.writeFileSync(patientFile, JSON.stringify({ resourceType: 'Patient', id: 'reload-1', name: [{ family: 'Reload', given: ['Rita'] }], gender: 'female', birthDate: '1970-01-02' }));
    await opened('file', () => vscode.commands.executeCommand(Commands.openInViewer, vscode.Uri.file(patientFile)));
    const goneFile = path.join(folder, 'reload-gone.json');
    const goneText = JSON.stringify({ resourceType: 'Bundle', type: 'collection', entry: [{ resource: { resourceType: 'Patient', id: 'gone-1', name: [{ family: 'Gone' }] } }] });
    fs.writeFileSync(goneFile, goneText);
    await opened('file', () => vscode.commands.executeCommand(Commands.openInViewer, vscode.Uri.file(goneFile)));

    // an export folder: its summary, a patient's record from it, and one of its NDJSON files
    const exportFolder = path.join(folder, '.1uphealth', 'exports', 'Local_Sandbox', '2031-01-01T00-00-00Z');
    await sandboxExport(exportFolder, { patients: 2, types: ['Patient', 'Observation'] });
    const exportPatient = (JSON.parse(fs.readFileSync(path.join(exportFolder, 'Patient.ndjson'), 'utf8').split('\n')[0]) as Resource).id;
    await opened('exportSummary', () => vscode.commands.executeCommand(Commands.openExportSummary, { folder: exportFolder }));
    await opened('exportRecord', () => vscode.commands.executeCommand(Commands.openExportPatientRecord, { folder: exportFolder, patientId: exportPatient }));
    await opened('ndjson', () => vscode.commands.executeCommand(Commands.openInViewer, vscode.Uri.file(path.join(exportFolder, 'Observation.ndjson'))));

    const byKind = new Map([...seen].map((p) => [p.restore!.kind, p.viewType]));
    assert.deepEqual([...new Set(byKind.values())].sort(), Object.values(ViewTypes).sort(), 'every view type is open');

    // the labels the tabs have now (titles change as data arrives, e.g. the record's patient name)
    const live = [...api.webviews.panels(), ...openPanels()];
    const panels: ReloadExpectation[] = live.filter((p) => p.restore).map((p) => ({
      viewType: p.viewType, label: p.title, kind: p.restore!.kind,
      expect: p.restore!.kind === 'file' && 'uri' in p.restore! && p.restore.uri === vscode.Uri.file(goneFile).toString() ? 'gone' : SERVER_KINDS.has(p.restore!.kind) ? 'waitsForSandbox' : 'restored',
    }));
    assert.equal(panels.length, 12, panels.map((p) => `${p.kind} ${p.label}`).join(", "));
    fs.rmSync(goneFile);
    const plan: ReloadPlan = { panels, deletedFile: goneFile, deletedFileText: goneText, user, exportFolder };
    // the sandbox stops with the reload (it runs in the extension host); the active environment stays "Local Sandbox"
    fs.writeFileSync(reloadMarker()!, JSON.stringify(plan, null, 2));
    await activateExtension();
  });
});
