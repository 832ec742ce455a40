import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { ExportSummaryView } from '../../src/core/webviewProtocol/exportSummary';
import { webviewDeps } from '../../src/commands/webviewDeps';
import { Commands, Settings } from '../../src/constants';
import { DEFAULT_ENVIRONMENT_NAME, SANDBOX_ENVIRONMENT_NAME } from '../../src/core/environments';
import type { Bundle } from '../../src/core/fhir/types';
import type { ExtensionApi } from '../../src/extension';
import { BundleViewerPanel } from '../../src/webviews/bundleViewer';
import { PatientRecordPanel } from '../../src/webviews/patientRecord';
import { eventually, labels, startSandbox, stopSandbox, stubWindow } from './helpers';
import { child, childrenOf, treeItem } from './trees';

const run = async <T = unknown>(id: string, args?: unknown): Promise<T> => vscode.commands.executeCommand<T>(id, args);

/** What a panel holds that a test reads (its members are private to the extension). */
const inside = (panel: unknown) => panel as Record<string, unknown> & { onMessage(m: unknown): Promise<void>; refreshView(): void };

describe('the first hour (issue 14)', function () {
  this.timeout(120000);
  let api: ExtensionApi;
  let url: string;
  let users: { oneupUserId: string; appUserId: string }[];

  const userNode = (oneupUserId: string) => child(api.trees.users, undefined, 'user', (n) => n.oneupUserId === oneupUserId);
  const description = async (oneupUserId: string) => String((await treeItem(api.trees.users, await userNode(oneupUserId))).description);
  /** A user-management call made behind the extension's back (another tool, the 1up console). */
  const putUser = async (fields: Record<string, string>) => {
    const creds = (await api.credentials.get(SANDBOX_ENVIRONMENT_NAME))!;
    const r = await fetch(`${url}/user-management/v1/user`, { method: 'PUT', body: new URLSearchParams({ ...fields, client_id: creds.clientId, client_secret: creds.clientSecret }) });
    assert.equal(r.status, 200);
  };

  before(async () => {
    // the panels a test builds itself load the renderers as the extension does, from dist/lazy
    const root = path.resolve(__dirname, '..', '..', '..');
    const lazy = path.join(root, 'out', 'src', 'host', 'lazy');
    if (!fs.existsSync(lazy)) fs.symlinkSync(path.join(root, 'dist', 'lazy'), lazy, 'dir');
    ({ api, url } = await startSandbox({ patients: 2 }));
    users = api.sandbox.state!.users().map((u) => ({ oneupUserId: u.oneupUserId, appUserId: u.appUserId }));
    await api.trees.users.getChildren();
  });
  after(async () => {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    await stopSandbox();
  });

  it('Update User… from a user\'s context menu asks what to change (its active state is not a change)', async () => {
    const node = await userNode(users[0].oneupUserId);
    assert.equal(node.active, true);
    const shown: string[] = [];
    await stubWindow('showQuickPick', (async (_items: unknown, o?: { title?: string }) => { shown.push(o?.title ?? 'a pick'); return undefined; }),
      () => run(Commands.updateUser, node));
    assert.deepEqual(shown, [`Update ${users[0].appUserId}`]);
    assert.equal(api.sandbox.state!.user(users[0].oneupUserId)?.active, true);
  });

  it('a user\'s token state follows what the server said: deactivated, refused', async () => {
    const u = users[1];
    await run(Commands.getAccessToken, { oneupUserId: u.oneupUserId, copy: false });
    assert.match(await description(u.oneupUserId), /token valid until/);
    await run(Commands.deactivateUser, { oneupUserId: u.oneupUserId });
    await eventually(async () => /inactive · no token/.test(await description(u.oneupUserId)), 'the deactivated user without a token');
    await run(Commands.activateUser, { oneupUserId: u.oneupUserId });
    await run(Commands.getAccessToken, { oneupUserId: u.oneupUserId, copy: false });
    assert.match(await description(u.oneupUserId), /token valid until/);
    // deactivated elsewhere: the next read as the user is refused, and so is every way to a new token
    await putUser({ oneup_user_id: u.oneupUserId, active: 'false' });
    const data = await api.trees.users.getChildren(await child(api.trees.users, await userNode(u.oneupUserId), 'fhirData'));
    assert.equal(data[0]?.kind, 'error', 'reading as the user failed');
    await eventually(async () => /token refused \d/.test(await description(u.oneupUserId)), 'the user shown with the refused token');
    await putUser({ oneup_user_id: u.oneupUserId, active: 'true' });
  });

  it('the App Users view says it is loading, not that the app has no users, until the server answers', async () => {
    api.sandbox.addFault({ route: '/user-management/v1/user', method: 'GET', times: 1, fault: { kind: 'latency', ms: 1500 } });
    api.trees.users.refresh();
    const load = api.trees.users.getChildren();
    await eventually(() => api.trees.users.state === 'loading', 'the loading state');
    assert.ok((await load).length > 0);
    assert.equal(api.trees.users.state, 'loaded');
  });

  it('a view load that gets no answer fails after one try and a short wait, and says how long it waited', async () => {
    await vscode.workspace.getConfiguration().update(Settings.requestTimeoutSeconds, 3, vscode.ConfigurationTarget.Global);
    try {
      await api.trees.users.getChildren();
      const callsBefore = api.sandbox.state!.calls().length;
      api.sandbox.addFault({ route: '/user-management/v1/user', method: 'GET', times: 1, fault: { kind: 'latency', ms: 20000 } });
      api.trees.users.refresh();
      const started = Date.now();
      const nodes = await api.trees.users.getChildren();
      const elapsed = Date.now() - started;
      const error = nodes[0];
      assert.ok(error?.kind === 'error', `an error row, not ${error?.kind}`);
      assert.match(error.message, /did not answer within 3 s\./);
      assert.ok(elapsed < 6000, `failed after ${elapsed} ms`);
      const item = await treeItem(api.trees.users, error);
      assert.equal(item.command?.command, Commands.treeRetry);
      await eventually(() => api.sandbox.state!.calls().length > callsBefore, 'the sandbox to log the abandoned request');
      assert.equal(api.sandbox.state!.calls().slice(callsBefore).filter((c) => c.path === '/user-management/v1/user').length, 1, 'one try');
    } finally {
      await vscode.workspace.getConfiguration().update(Settings.requestTimeoutSeconds, undefined, vscode.ConfigurationTarget.Global);
    }
    await run(Commands.treeRetry, (await api.trees.users.getChildren())[0]);
    assert.ok((await api.trees.users.getChildren()).every((n) => n.kind === 'user'));
  });

  it('a FHIR version whose counts cannot be read shows the error with Retry, not types without counts', async () => {
    const [r4] = await api.trees.resources.getChildren();
    // the first count (Patient) breaks off: the node fails, and stops sending the other counts
    api.sandbox.addFault({ route: '/fhir/r4/Patient', method: 'GET', times: 1, fault: { kind: 'reset', afterBytes: 0 } });
    const nodes = await api.trees.resources.getChildren(r4);
    assert.equal(nodes.length, 1);
    assert.equal(nodes[0].kind, 'error');
    await run(Commands.treeRetry, nodes[0]);
    const types = await api.trees.resources.getChildren(r4);
    assert.ok(types.some((t) => t.kind === 'type' && t.type === 'Observation' && typeof t.count === 'number'), 'Retry reads the counts');
  });

  it('"Open in Browser" on the Connect page opens an address the browser reaches (a forwarded port too)', async () => {
    const deps = webviewDeps(api);
    const info = await deps.connectInfo({ ...users[0] }, new AbortController().signal);
    const external = (await vscode.env.asExternalUri(vscode.Uri.parse(info.connectPageUrl, true))).toString(true);
    const opened: string[] = [];
    const env = vscode.env as unknown as Record<string, unknown>;
    const real = env.openExternal;
    Object.defineProperty(env, 'openExternal', { value: async (u: vscode.Uri) => { opened.push(u.toString(true)); return true; }, configurable: true, writable: true });
    try {
      assert.equal(await deps.openInBrowser(info.connectPageUrl), true);
    } finally {
      Object.defineProperty(env, 'openExternal', { value: real, configurable: true, writable: true });
    }
    assert.deepEqual(opened, [external]);
    const page = await fetch(external);
    assert.equal(page.status, 200, `${external.replace(/access_token=[^&]+/, 'access_token=…')} answered ${page.status}`);
    assert.match(await page.text(), /Connect your health records/);
  });

  it('Create FHIR Resource from a resource with an id warns and creates it only without the id', async () => {
    const obs = { resourceType: 'Observation', id: 'it-has-an-id', status: 'final', code: { text: 'Copied' } };
    const count = api.sandbox.state!.createdCount();
    assert.equal(await run(Commands.createResource, { resource: obs, oneupUserId: users[0].oneupUserId, open: false }), undefined);
    assert.equal(api.sandbox.state!.createdCount(), count, 'no duplicate was made');
    const doc = await vscode.workspace.openTextDocument({ language: 'json', content: JSON.stringify(obs, null, 2) });
    await vscode.window.showTextDocument(doc);
    const warned: string[] = [];
    const created = await stubWindow('showWarningMessage', (async (m: string, o: { detail?: string }) => { warned.push(`${m} ${o?.detail ?? ''}`); return 'Create Without id'; }),
      () => run<{ id: string }>(Commands.createResource, { oneupUserId: users[0].oneupUserId, open: false }));
    assert.equal(warned.length, 1);
    assert.match(warned[0], /has an id \(it-has-an-id\)/);
    assert.ok(warned[0].includes(users[0].appUserId), 'it says whose the new resource will be');
    assert.ok(created?.id && created.id !== 'it-has-an-id');
    await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
  });

  it('the bundle viewer: read-only JSON, no First on page 1, a Patient column app-wide, a filter that can search the server', async () => {
    const search = { type: 'Observation', params: [['_count', '3']] as [string, string][] };
    const bundle = await api.clients.get().fhir('r4').search('Observation', search.params);
    const searched: unknown[] = [];
    const panel = new BundleViewerPanel(api, webviewDeps(api), { openPatientRecord: async () => undefined, search: async (q) => void searched.push(q) }, bundle as Bundle, 'Observation?_count=3',
      { kind: 'server', environment: api.environments.active()!, version: 'r4', search });
    try {
      inside(panel).refreshView();
      const view = inside(panel).view as { links: Record<string, boolean>; groups: { columns: { label: string }[] }[]; filterScope: string; serverSearchType?: string };
      assert.equal(view.links.next, true);
      assert.equal(view.links.first, false, 'no "First page" on the first page');
      assert.equal(view.links.previous, false);
      assert.equal(view.groups[0].columns[1].label, 'Patient');
      assert.match(view.filterScope, /^Filter this page/);
      assert.equal(view.serverSearchType, 'Observation');
      await inside(panel).onMessage({ type: 'searchServer', text: 'glucose' });
      assert.deepEqual(searched, [{ type: 'Observation', params: [['_content', 'glucose'], ['_count', '3']] }]);
      await inside(panel).onMessage({ type: 'openJson', target: 'bundle' });
      const doc = await eventually(() => vscode.window.activeTextEditor?.document, 'the JSON editor');
      assert.equal(doc.uri.scheme, 'oneup-json');
      assert.ok(!doc.isUntitled && !doc.isDirty, 'closing it asks nothing');
      assert.equal(JSON.parse(doc.getText()).entry.length, 3);
    } finally {
      panel.dispose();
      await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    }
  });

  it('messages and views name users by app_user_id where it is known', async () => {
    const [a, b] = users;
    const said: string[] = [];
    await stubWindow('showInformationMessage', (async (m: string) => { said.push(m); return undefined; }),
      () => run(Commands.getAccessToken, { oneupUserId: a.oneupUserId }));
    assert.match(said[0] ?? '', new RegExp(`^Access token for ${a.appUserId} valid until`));
    await run(Commands.grantPermission, { oneupUserId: a.oneupUserId, granteeOneupUserId: b.oneupUserId });
    const grants = await api.trees.users.getChildren(await child(api.trees.users, await userNode(a.oneupUserId), 'permissions'));
    assert.deepEqual(await labels(api.trees.users, grants), [b.appUserId]);
    await run(Commands.revokePermission, { oneupUserId: a.oneupUserId, granteeOneupUserId: b.oneupUserId });
  });

  it('notifications carry no Markdown backticks; the template hint names the real button', async () => {
    const errors: string[] = [];
    // this read only: a patient no open document shows (documents are read again on a refresh,
    // which would take the faults), and no other patient's reads
    const id = api.sandbox.state!.users().at(-1)!.patientIds[0];
    api.sandbox.addFault({ route: `^/fhir/r4/Patient/${id}$`, method: 'GET', times: 3, fault: { kind: 'reset', afterBytes: 0 } });
    await stubWindow('showErrorMessage', (async (m: string) => { errors.push(m); return undefined; }),
      () => run(Commands.readResource, { type: 'Patient', id }));
    assert.equal(errors.length, 1, `the read failed as the faults made it: ${api.logger.recent().slice(-12).join('\n')}`);
    assert.match(errors[0], /closed before the answer was complete/);
    assert.ok(!errors[0].includes('`'), errors[0]);
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    const said: string[] = [];
    await stubWindow('showQuickPick', (async () => ({ label: 'Observation' })),
      () => stubWindow('showInformationMessage', (async (m: string) => { said.push(m); return undefined; }), () => run(Commands.createResource, {})));
    assert.equal(said.length, 1);
    assert.ok(!said[0].includes('▶') && /cloud-upload button/.test(said[0]), said[0]);
    await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
  });

  it('"Copy Last Call as curl" with nothing to copy informs, it is not an error', async () => {
    const info: string[] = [];
    const errors: string[] = [];
    // an environment without credentials makes no call at all
    await run(Commands.signOut, { environment: DEFAULT_ENVIRONMENT_NAME });
    await run(Commands.selectEnvironment, { name: DEFAULT_ENVIRONMENT_NAME });
    try {
      await stubWindow('showErrorMessage', (async (m: string) => { errors.push(m); return undefined; }),
        () => stubWindow('showInformationMessage', (async (m: string) => { info.push(m); return undefined; }), () => run(Commands.copyLastCallAsCurl)));
    } finally {
      await run(Commands.selectEnvironment, { name: SANDBOX_ENVIRONMENT_NAME });
    }
    assert.deepEqual(errors, []);
    assert.match(info[0] ?? '', /No 1upHealth call has been made yet/);
  });

  it('Set Credentials checks the keys; refused app keys make the view offer Set Credentials', async () => {
    const good = (await api.credentials.get(SANDBOX_ENVIRONMENT_NAME))!;
    try {
      const bad = await run<{ checked: boolean; works?: boolean; message: string }>(Commands.setCredentials, { clientId: good.clientId, clientSecret: 'not-the-secret', check: true });
      assert.equal(bad?.works, false, JSON.stringify(bad));
      assert.match(bad!.message, /refused/);
      api.trees.users.refresh();
      const [row] = await api.trees.users.getChildren();
      assert.equal(row.kind, 'error');
      const item = await treeItem(api.trees.users, row);
      assert.equal(item.contextValue, 'error.credentials');
      assert.equal(item.command?.command, Commands.setCredentials);
    } finally {
      const ok = await run<{ works?: boolean; message: string }>(Commands.setCredentials, { ...good, check: true });
      assert.equal(ok?.works, true);
      assert.match(ok!.message, /accepted/);
    }
  });

  it('Copy Environment for curl copies the export lines the copied command reads', async () => {
    await run(Commands.listUsers, { reveal: false });
    await run(Commands.copyLastCallAsCurl);
    await run(Commands.copyCurlEnvironment);
    const app = await vscode.env.clipboard.readText();
    const creds = (await api.credentials.get(SANDBOX_ENVIRONMENT_NAME))!;
    assert.ok(app.includes(`export ONEUP_CLIENT_ID='${creds.clientId}'`) && app.includes(`export ONEUP_CLIENT_SECRET='${creds.clientSecret}'`), app);
    const user = users[0];
    const type = { kind: 'userType', user: { ...user, active: true }, type: 'Observation', count: 1 };
    await run(Commands.copyCallAsCurl, type);
    assert.match(await vscode.env.clipboard.readText(), /\$ONEUP_ACCESS_TOKEN/);
    await run(Commands.copyCurlEnvironment);
    const token = await api.clients.get().tokenManager({ oneupUserId: user.oneupUserId }).accessToken();
    assert.ok((await vscode.env.clipboard.readText()).includes(`export ONEUP_ACCESS_TOKEN='${token}'`));
    assert.ok(!api.logger.recent().some((l) => l.includes(token)), 'the token stays out of the log');
  });

  it('the Exports view says whose data and where from, and opens, reveals and deletes an export', async () => {
    const workspace = vscode.workspace.workspaceFolders![0].uri.fsPath;
    const folder = path.join(workspace, '.1uphealth', 'exports', 'Local_Sandbox', '2026-01-02T03-04-05Z');
    fs.mkdirSync(folder, { recursive: true });
    const summary = {
      environment: SANDBOX_ENVIRONMENT_NAME, fhirVersion: 'r4', scope: { kind: 'user', oneupUserId: users[0].oneupUserId },
      startedAt: '2026-01-02T03:04:05Z', finishedAt: '2026-01-02T03:04:07Z', durationMs: 2000, byType: {}, resources: 1, bytes: 10, errors: [], complete: true,
      files: [{ name: 'Patient.ndjson', type: 'Patient', kind: 'output', resources: 1, bytes: 10 }],
    };
    fs.writeFileSync(path.join(folder, 'summary.json'), JSON.stringify(summary));
    fs.writeFileSync(path.join(folder, 'Patient.ndjson'), '{"resourceType":"Patient","id":"x"}\n');
    api.trees.exports.refresh();
    const node = (await childrenOf(api.trees.exports, undefined, 'export')).find((n) => n.entry.folder === folder);
    assert.ok(node, 'the export is listed');
    const item = await treeItem(api.trees.exports, node);
    assert.equal(item.description, `Local Sandbox · user ${users[0].appUserId} · 1 file · 1 KB`);
    // Open Summary draws the export (the export explorer's chart view) from summary.json and the files
    const view = await run<ExportSummaryView | undefined>(Commands.openExportSummary, node);
    assert.ok(view, 'the summary was read');
    assert.deepEqual(view.byType.map((b) => [b.label, b.value]), [['Patient', 1]]);
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    // Reveal in Explorer hands the export's folder to VS Code's own revealInExplorer
    const commands = vscode.commands as { executeCommand: typeof vscode.commands.executeCommand };
    const real = commands.executeCommand;
    const revealed: unknown[] = [];
    commands.executeCommand = (async (id: string, ...args: unknown[]) => {
      if (id === 'revealInExplorer') revealed.push(args[0]);
      return real(id, ...args);
    }) as typeof real;
    try {
      await run(Commands.revealExport, node);
    } finally {
      commands.executeCommand = real;
    }
    assert.equal(revealed.length, 1, 'revealed once');
    assert.equal((revealed[0] as vscode.Uri).fsPath, folder);
    const asked: string[] = [];
    await stubWindow('showWarningMessage', (async (m: string) => { asked.push(m); return undefined; }), () => run(Commands.deleteExport, node));
    assert.ok(fs.existsSync(folder), 'not deleted without a yes');
    assert.match(asked[0], /Delete the bulk export 2026-01-02T03-04-05Z \(1 file, 0\.0 MB\)\?/);
    await stubWindow('showWarningMessage', (async () => 'Delete'), () => run(Commands.deleteExport, node));
    assert.ok(!fs.existsSync(folder), 'deleted');
  });

  it('the patient record counts what the server says it holds, keeps its chips in order, and opens and saves its raw pages', async () => {
    const user = api.sandbox.state!.users()[0];
    const panel = new PatientRecordPanel(api, webviewDeps(api), { version: 'r4', user: { oneupUserId: user.oneupUserId, appUserId: user.appUserId } }, api.environments.active()!);
    try {
      const obs = await eventually(() => panel.counts().find((c) => c.type === 'Observation' && c.exact && c.loaded !== undefined), 'the server\'s total of Observations', 30000);
      const client = api.clients.get();
      const asUser = api.clients.api.asUser(client.tokenManager({ oneupUserId: user.oneupUserId }));
      const total = (await client.fhir('r4', asUser).everything(user.patientIds[0], { _type: 'Observation', _count: 1 })).total;
      assert.equal(obs.count, total, 'the chip counts what the server holds');
      assert.ok(obs.loaded! < obs.count, 'more than is loaded');
      const order = panel.counts().map((c) => c.type);
      await inside(panel).onMessage({ type: 'loadMore' });
      await inside(panel).onMessage({ type: 'loadMore' });
      assert.deepEqual(panel.counts().map((c) => c.type).filter((t) => order.includes(t)), order, 'the chips keep their order');
      const onTimeline = new Set((inside(panel).items as () => { type: string }[]).call(panel).map((i) => i.type));
      for (const c of panel.counts()) assert.ok(onTimeline.has(c.type) || c.note || c.loaded === 0, `${c.type}: on the timeline or says why not`);
      await inside(panel).onMessage({ type: 'openJson', target: 'bundle' });
      const doc = await eventually(() => (vscode.window.activeTextEditor?.document.uri.scheme === 'oneup-json' ? vscode.window.activeTextEditor.document : undefined), 'the raw pages');
      const pages = JSON.parse(doc.getText()) as Bundle[];
      assert.ok(Array.isArray(pages) && pages.length === 3 && pages.every((p) => p.resourceType === 'Bundle'), 'the three pages as the server sent them');
      // Save $everything…: asked whether to load the rest first (Load All and Save), then every page lands in the chosen file
      const target = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'oneup-everything-')), 'record.json');
      const asked: string[] = [];
      await stubWindow('showInformationMessage', (async (m: string, _o: unknown, ...items: { title: string }[]) => { asked.push(m); return items[0]; }),
        () => stubWindow('showSaveDialog', (async () => vscode.Uri.file(target)), () => inside(panel).onMessage({ type: 'saveRecord' })));
      assert.match(asked[0] ?? '', /^Only part of the record is loaded \(\d+ more resources\)\.$/);
      const saved = JSON.parse(fs.readFileSync(target, 'utf8')) as Bundle[];
      const all = (await client.fhir('r4', asUser).everything(user.patientIds[0], { _count: 1 })).total;
      assert.equal(saved.reduce((n, b) => n + (b.entry?.length ?? 0), 0), all, 'every resource of the record, as the server paged it');
    } finally {
      panel.dispose();
      await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    }
  });

  it('one line searches: Type?query as an argument', async () => {
    const r = await run<{ entries: number; total: number }>(Commands.searchResources, { query: 'Observation?_count=3', open: false });
    assert.equal(r?.entries, 3);
    assert.ok(r!.total > 3);
    assert.equal(await run(Commands.searchResources, { query: 'observation?_count=3', open: false }), undefined, 'a wrong type is refused');
  });
});
