// Phase 2 of "webview panels survive a window reload": runs in the extension host VS Code started
// after the reload that followed webviewReload.phase1.ts (see mochaRunner.ts), before other suites.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as vscode from 'vscode';
import type { ExtensionApi } from '../../src/extension';
import type { PanelInfo } from '../../src/webviews/panelHost';
import { activateExtension, eventually, startSandbox, stopSandbox } from './helpers';
import { reloadMarker, webviewTabs, type ReloadExpectation, type ReloadPlan } from './reloadShared';

const sorted = (xs: string[]) => [...xs].sort();

describe('webview panels after a window reload', function () {
  this.timeout(300_000);
  let plan: ReloadPlan;
  let api: ExtensionApi;

  /** Brings a tab into view (VS Code restores a webview panel when it is first shown). */
  async function show(label: string): Promise<void> {
    for (let i = 0; i <= webviewTabs().length + 1; i++) {
      if (vscode.window.tabGroups.activeTabGroup.activeTab?.label === label) return;
      await vscode.commands.executeCommand('workbench.action.nextEditor');
    }
    assert.fail(`no tab "${label}" among ${webviewTabs().map((t) => t.label).join(', ')}`);
  }

  const panelFor = (e: ReloadExpectation, list = api.webviews.panels()): PanelInfo | undefined =>
    list.find((p) => p.viewType === e.viewType && p.title === e.label && (p.restoring ? true : p.restore?.kind === e.kind));

  before(async () => {
    const marker = reloadMarker();
    assert.ok(marker && fs.existsSync(marker), 'phase 1 ran and the window was reloaded (see test/integration/mochaRunner.ts)');
    plan = JSON.parse(fs.readFileSync(marker, 'utf8')) as ReloadPlan;
    api = await activateExtension();
  });

  after(async () => {
    fs.rmSync(reloadMarker()!, { force: true });
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    await stopSandbox();
    if (plan) fs.rmSync(plan.exportFolder, { recursive: true, force: true });
  });

  it('phase 2: every tab is back; file panels show their files, the sandbox\'s say it stopped and offer to start it, a deleted file says so', async () => {
    await eventually(() => webviewTabs().length === plan.panels.length, `${plan.panels.length} webview tabs after the reload`, 30000);
    assert.deepEqual(sorted(webviewTabs().map((t) => `${t.viewType}: ${t.label}`)), sorted(plan.panels.map((p) => `${p.viewType}: ${p.label}`)));
    assert.equal(api.environments.activeName(), 'Local Sandbox');
    assert.equal(api.sandbox.isRunning, false, 'the sandbox did not survive the reload');
    for (const e of plan.panels) {
      await show(e.label);
      const p = await eventually(() => {
        const x = panelFor(e);
        return x && (x.restoring?.state === 'unavailable' || (!x.restoring && x.ready)) ? x : undefined;
      }, `the ${e.kind} panel "${e.label}" restored or explaining why not`, 30000);
      if (e.expect === 'restored') {
        assert.equal(p.restoring, undefined, `${e.label}: ${p.restoring?.message}`);
        assert.equal(p.restore?.kind, e.kind);
        assert.ok(p.ready, 'its webview loaded');
      } else if (e.expect === 'waitsForSandbox') {
        assert.equal(p.restoring?.state, 'unavailable', e.label);
        assert.match(p.restoring!.message, /local sandbox, which is not running/);
      } else {
        assert.equal(p.restoring?.state, 'unavailable', e.label);
        assert.match(p.restoring!.message, /reload-gone\.json no longer exists/);
      }
    }
  });

  it('phase 2: starting the sandbox brings back every panel that waited for it, each reading its data again', async () => {
    const { api: a } = await startSandbox({ patients: 2 });
    const waiting = plan.panels.filter((e) => e.expect === 'waitsForSandbox');
    // no Retry needed: they try again when the environment comes back
    await eventually(() => waiting.every((e) => { const p = panelFor(e); return p && !p.restoring; }), 'the sandbox panels restored', 60000);
    const calls = a.sandbox.state!.calls().map((c) => c.path);
    for (const [what, re] of [['$everything', /\$everything/], ['the search', /\/Observation$/], ['the resource', /\/Patient\/[^/]+$/], ['the health systems', /connect\/system\/clinical/], ['the report', /\/DiagnosticReport\/[^/]+$/]] as const) {
      assert.ok(calls.some((c) => re.test(c)), `${what} was read again (${calls.join(', ')})`);
    }
    const token = await a.clients.get().tokenManager({ oneupUserId: plan.user.oneupUserId }).state();
    assert.equal(token.kind, 'valid', 'the Connect page minted a fresh token');
    for (const e of waiting) {
      await show(e.label);
      await eventually(() => panelFor(e)?.ready, `the restored ${e.kind} panel "${e.label}" drawn`, 30000);
    }
  });

  it('phase 2: the panel whose file was deleted comes back with Retry once the file is there again', async () => {
    const gone = plan.panels.find((e) => e.expect === 'gone')!;
    const p = panelFor(gone);
    assert.equal(p?.restoring?.state, 'unavailable');
    await p!.restoring!.retry();
    assert.match(panelFor(gone)!.restoring!.message, /no longer exists/, 'still gone: Retry says so again');
    fs.writeFileSync(plan.deletedFile, plan.deletedFileText);
    await panelFor(gone)!.restoring!.retry();
    await show(gone.label);
    const back = await eventually(() => { const x = panelFor(gone); return x && !x.restoring && x.ready ? x : undefined; }, 'the file panel restored', 30000);
    assert.equal(back.restore?.kind, 'file');
  });
});
