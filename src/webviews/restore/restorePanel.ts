import * as vscode from 'vscode';
import { Commands } from '../../constants';
import { isCancellation } from '../../core/errors';
import type { RestoreFix, RestoreRequest, RestoreUpdate } from '../../core/webviewProtocol/restore';
import { parseRestoreRequest } from '../../core/webviewProtocol/restore';
import { describeError } from '../../host/commands';
import type { Services } from '../../host/services';
import { settings } from '../../host/settings';
import type { PanelInfo } from '../panelHost';
import { PanelHost } from '../panelHost';
import type { Restore } from './descriptor';

/** Why a panel cannot come back now: said as it is, with what can help. */
export class SourceGone extends Error {
  constructor(message: string, readonly options: { retry: boolean; fix?: RestoreFix; waitForEnvironment?: boolean } = { retry: true }) {
    super(message);
    this.name = 'SourceGone';
  }
}

/**
 * Reads what a restored panel shows (the search again, the file, a fresh token…) and answers
 * how to build the panel in the webview panel VS Code brought back; throws when the source is
 * gone (SourceGone, or the API's errors).
 */
export type Reopen = (r: Restore, signal: AbortSignal) => Promise<(panel: vscode.WebviewPanel) => void>;

/**
 * What a panel shows while it is brought back after a reload: "Reopening…", then either the
 * panel itself (the placeholder hands its webview panel over) or why it cannot be shown, with
 * Retry (tried again on its own when the environment it waits for comes back), a fix (start the
 * sandbox, select the environment) and Close. Never a blank panel.
 */
export class RestorePanel extends PanelHost<RestoreRequest, RestoreUpdate> {
  private view: RestoreUpdate;
  private attempt: AbortController | undefined;
  private environmentWatch: vscode.Disposable | undefined;

  constructor(s: Services, panel: vscode.WebviewPanel, private readonly descriptor: Restore | undefined, private readonly reopen: Reopen) {
    const title = panel.title;
    super(s, { viewType: panel.viewType, title, script: 'restore', styles: ['restore.css'], panel, restore: descriptor }, parseRestoreRequest);
    this.view = { type: 'restoring', title, message: vscode.l10n.t('Reopening {0}…', title) };
    this._register({ dispose: () => { this.attempt?.abort(); this.environmentWatch?.dispose(); } });
    if (descriptor) void this.tryReopen();
    else {
      this.log.warn(`${panel.viewType}: the saved state names no source to restore from`);
      this.show({
        type: 'unavailable', title, retry: false,
        message: vscode.l10n.t('This panel cannot be reopened: it was saved without what it showed (for example by an older version of the extension). Open it again from its command.'),
      });
    }
  }

  /** For tests and commands: the state of the placeholder. */
  get status(): { state: 'restoring' | 'unavailable'; message: string } {
    return { state: this.view.type === 'restoring' ? 'restoring' : 'unavailable', message: this.view.message };
  }

  override describe(): PanelInfo {
    return { ...super.describe(), restoring: { ...this.status, retry: () => this.retry() } };
  }

  /** Tries again (the Retry button). */
  retry(): Promise<void> {
    return this.tryReopen();
  }

  private show(view: RestoreUpdate): void {
    this.view = view;
    this.post(view);
  }

  private async tryReopen(): Promise<void> {
    const descriptor = this.descriptor;
    if (!descriptor || this.isDisposed) return;
    this.attempt?.abort();
    const attempt = new AbortController();
    this.attempt = attempt;
    this.environmentWatch?.dispose();
    this.environmentWatch = undefined;
    this.show({ type: 'restoring', title: this.panel.title, message: vscode.l10n.t('Reopening {0}…', this.panel.title) });
    try {
      const build = await this.reopen(descriptor, attempt.signal);
      if (attempt.signal.aborted || this.isDisposed) return;
      build(this.release());
    } catch (e) {
      if (attempt.signal.aborted || this.isDisposed || isCancellation(e)) return;
      const gone = e instanceof SourceGone ? e : undefined;
      if (!gone) this.log.warn(`${this.panel.viewType}: could not restore: ${e instanceof Error ? e.message : String(e)}`);
      this.show({
        type: 'unavailable', title: this.panel.title,
        message: gone ? gone.message : describeError(e, this.s.logger.masker),
        retry: gone ? gone.options.retry : true,
        fix: gone?.options.fix,
      });
      // the environment it reads from may come back (the sandbox started, the environment selected): then try again
      if (gone?.options.waitForEnvironment) this.environmentWatch = this.s.environments.onDidChange(() => void this.tryReopen());
    }
  }

  protected onReady(): void {
    this.post(this.view);
  }

  protected showError(message: string): void {
    this.show({ type: 'unavailable', title: this.panel.title, message, retry: !!this.descriptor });
  }

  protected async onMessage(m: RestoreRequest): Promise<void> {
    switch (m.type) {
      case 'ready': return;
      case 'retry': return this.tryReopen();
      case 'close': this.panel.dispose(); return;
      case 'fix':
        if (m.id === 'startSandbox') {
          await vscode.commands.executeCommand(Commands.startSandbox, { select: true, port: settings.sandboxPort(), patients: settings.sandboxPatients() });
        } else if (m.id === 'selectEnvironment' && this.descriptor && 'env' in this.descriptor && this.descriptor.env) {
          await this.s.environments.select(this.descriptor.env);
        }
        // the environment's change event retries; a change that was no change (already selected) does not
        return this.tryReopen();
    }
  }
}
