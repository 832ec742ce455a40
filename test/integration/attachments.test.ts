import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { webviewDeps } from '../../src/commands/webviewDeps';
import { ViewTypes } from '../../src/constants';
import type { Bundle, Resource } from '../../src/core/fhir/types';
import type { ExtensionApi } from '../../src/extension';
import { BundleViewerPanel } from '../../src/webviews/bundleViewer';
import { eventually, startSandbox, stopSandbox, stubWindow } from './helpers';

/** What a panel holds that a test reads (its members are private to the extension). */
const inside = (panel: unknown) => panel as { onMessage(m: unknown): Promise<void> };

interface Attachment { contentType?: string; data?: string; title?: string }

const webviewTabs = () => vscode.window.tabGroups.all.flatMap((g) => g.tabs)
  .filter((t) => t.input instanceof vscode.TabInputWebview && t.input.viewType.includes(ViewTypes.attachment));

describe('report attachments inside VS Code (the detail pane\'s Open and Save As…)', function () {
  this.timeout(120000);
  let api: ExtensionApi;
  let panel: BundleViewerPanel | undefined;
  let report: Resource;
  let forms: Attachment[];
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'oneup-attachments-'));

  before(async () => {
    // the panels a test builds itself load the renderers as the extension does, from dist/lazy
    const root = path.resolve(__dirname, '..', '..', '..');
    const lazy = path.join(root, 'out', 'src', 'host', 'lazy');
    if (!fs.existsSync(lazy)) fs.symlinkSync(path.join(root, 'dist', 'lazy'), lazy, 'dir');
    ({ api } = await startSandbox({ patients: 2 }));
    const params: [string, string][] = [['_count', '30']];
    const bundle = await api.clients.get().fhir('r4').search('DiagnosticReport', params) as Bundle;
    const key = (bundle.entry ?? []).findIndex((e) => ((e.resource?.presentedForm ?? []) as Attachment[]).some((a) => a.contentType === 'application/pdf'));
    assert.ok(key >= 0, 'the sandbox serves a lab report with a PDF');
    report = bundle.entry![key].resource!;
    forms = report.presentedForm as Attachment[];
    panel = new BundleViewerPanel(api, webviewDeps(api), { openPatientRecord: async () => undefined, search: async () => undefined }, bundle, 'DiagnosticReport?_count=30',
      { kind: 'server', environment: api.environments.active()!, version: 'r4', search: { type: 'DiagnosticReport', params } });
    await inside(panel).onMessage({ type: 'openDetail', key });
  });
  after(async () => {
    panel?.dispose();
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    await stopSandbox();
    fs.rmSync(tmp, { recursive: true, force: true });
  });

  it('opens the HTML rendering in a panel of its own, titled by the attachment', async () => {
    const html = forms.findIndex((a) => a.contentType?.startsWith('text/html'));
    assert.ok(html >= 0, 'the report has its HTML rendering');
    const before = webviewTabs().length;
    await inside(panel).onMessage({ type: 'openAttachment', index: html, save: false });
    const tab = await eventually(() => webviewTabs().length > before ? webviewTabs().at(-1) : undefined, 'the attachment panel');
    assert.equal(tab.label, forms[html].title, 'the tab is named by the attachment\'s title');
  });

  it('a PDF, which VS Code cannot show without a viewer extension, offers Save As… and writes the exact bytes where the user chose', async () => {
    const pdf = forms.findIndex((a) => a.contentType === 'application/pdf');
    const target = path.join(tmp, 'lab report.pdf');
    const offered: string[] = [];
    await stubWindow('showInformationMessage', (async (_m: string, ...items: { title: string; id: string }[]) => {
      offered.push(...items.map((i) => i.id));
      return items.find((i) => i.id === 'save');
    }), () => stubWindow('showSaveDialog', (async () => vscode.Uri.file(target)),
      () => inside(panel).onMessage({ type: 'openAttachment', index: pdf, save: false })));
    assert.deepEqual(offered, ['system', 'save', 'open']);
    const written = fs.readFileSync(target);
    assert.equal(written.subarray(0, 5).toString('latin1'), '%PDF-');
    assert.ok(written.equals(Buffer.from(forms[pdf].data!, 'base64')), 'the file holds the attachment\'s bytes');
    assert.deepEqual(fs.readdirSync(tmp), ['lab report.pdf'], 'no temporary file left beside it');
  });

  it('Save As… on the HTML rendering writes it without opening anything', async () => {
    const html = forms.findIndex((a) => a.contentType?.startsWith('text/html'));
    const target = path.join(tmp, 'report.html');
    const tabs = vscode.window.tabGroups.all.flatMap((g) => g.tabs).length;
    await stubWindow('showSaveDialog', (async () => vscode.Uri.file(target)),
      () => inside(panel).onMessage({ type: 'openAttachment', index: html, save: true }));
    assert.equal(fs.readFileSync(target, 'utf8'), Buffer.from(forms[html].data!, 'base64').toString('utf8'));
    assert.equal(vscode.window.tabGroups.all.flatMap((g) => g.tabs).length, tabs);
  });
});
