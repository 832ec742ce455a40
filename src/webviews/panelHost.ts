import { randomBytes } from 'node:crypto';
import * as vscode from 'vscode';
import { isCancellation } from '../core/errors';
import type { Logger } from '../core/log';
import { scoped } from '../core/log';
import { renderShell } from '../core/render/shell';
import { describeError } from '../host/commands';
import { Disposable } from '../host/disposable';
import { l10nContents } from '../host/l10n';
import type { Services } from '../host/services';
import type { Restore } from './restore/descriptor';

export interface PanelOptions {
  viewType: string;
  title: string;
  /** the webview script: dist/webview/<script>.js */
  script: string;
  /** media/webview stylesheets besides base.css */
  styles: readonly string[];
  imageOrigins?: readonly string[];
  frameOrigins?: readonly string[];
  /** only the Connect page: a framed page's forms inherit the webview's sandbox */
  allowForms?: boolean;
  column?: vscode.ViewColumn;
  /** what brings the panel back after a reload (kept by the webview; see restore/) */
  restore?: Restore;
  /** a panel VS Code restored (or one handed over by the placeholder) to use instead of a new one */
  panel?: vscode.WebviewPanel;
}

/** What a panel is showing, for tests and diagnostics. */
export interface PanelInfo {
  viewType: string;
  title: string;
  /** what it would be restored from after a reload */
  restore?: Restore;
  /** a panel being brought back after a reload, or one that could not be */
  restoring?: { state: 'restoring' | 'unavailable'; message: string; retry(): Promise<void> };
  /** the webview has said `ready` since it was last (re)built */
  ready: boolean;
}

const live = new Set<{ describe(): PanelInfo }>();

/** Every panel open now. */
export function openPanels(): PanelInfo[] {
  return [...live].map((p) => p.describe());
}

/**
 * One webview panel: CSP'd page, typed and checked messages both ways, and the `ready`
 * handshake. The webview is rebuilt whenever it is shown again (no retained context), says
 * `ready`, and the panel then posts its whole state (`onReady`); the webview restores scroll,
 * selection and filter from its own saved state.
 */
export abstract class PanelHost<Request extends { type: string }, Update> extends Disposable {
  readonly panel: vscode.WebviewPanel;
  protected readonly log: Logger;
  private ready = false;
  private inflight: AbortController | undefined;
  private readonly lifetime = new AbortController();
  private options: PanelOptions;
  /** false once the panel was handed to another host (release) */
  private ownsPanel = true;

  constructor(protected readonly s: Services, options: PanelOptions, private readonly parse: (raw: unknown) => Request | undefined) {
    super();
    this.options = options;
    this.log = scoped(s.logger, 'webview');
    const root = s.context.extensionUri;
    const webviewOptions: vscode.WebviewOptions = {
      enableScripts: true,
      enableForms: !!options.allowForms,
      localResourceRoots: [vscode.Uri.joinPath(root, 'dist', 'webview'), vscode.Uri.joinPath(root, 'media', 'webview')],
    };
    if (options.panel) {
      this.panel = options.panel;
      this.panel.webview.options = webviewOptions;
      this.panel.title = options.title;
    } else {
      this.panel = vscode.window.createWebviewPanel(options.viewType, options.title, options.column ?? vscode.ViewColumn.Active, { ...webviewOptions, retainContextWhenHidden: false });
    }
    this._register({ dispose: () => { if (this.ownsPanel) this.panel.dispose(); } });
    this.panel.iconPath = vscode.Uri.joinPath(root, 'media', 'activitybar.svg');
    this._register(this.panel.onDidDispose(() => this.dispose()));
    this._register(this.panel.onDidChangeViewState(() => { if (!this.panel.visible) this.ready = false; }));
    this._register(this.panel.webview.onDidReceiveMessage((raw: unknown) => this.receive(raw)));
    live.add(this);
    this._register({ dispose: () => live.delete(this) });
    this.render();
  }

  /**
   * Stops this host without closing its panel and hands the panel over (the restore placeholder
   * gives it to the panel it restored).
   */
  release(): vscode.WebviewPanel {
    this.ownsPanel = false;
    this.dispose();
    return this.panel;
  }

  describe(): PanelInfo {
    return { viewType: this.panel.viewType, title: this.panel.title, restore: this.options.restore, ready: this.ready };
  }

  /** What the panel saves to be restored after a reload. */
  get restore(): Restore | undefined {
    return this.options.restore;
  }

  /** Re-renders the page (e.g. when the origins the CSP allows change); the webview says `ready` again. */
  protected setOrigins(origins: { imageOrigins?: readonly string[]; frameOrigins?: readonly string[] }): void {
    this.options = { ...this.options, ...origins };
    this.render();
  }

  private render(): void {
    this.ready = false;
    const w = this.panel.webview;
    const root = this.s.context.extensionUri;
    const media = (f: string) => w.asWebviewUri(vscode.Uri.joinPath(root, 'media', 'webview', f)).toString();
    w.html = renderShell({
      title: this.options.title,
      cspSource: w.cspSource,
      nonce: randomBytes(18).toString('base64'),
      scriptUri: w.asWebviewUri(vscode.Uri.joinPath(root, 'dist', 'webview', `${this.options.script}.js`)).toString(),
      styleUris: [media('codicons/codicon.css'), media('base.css'), ...this.options.styles.map(media)],
      imageOrigins: this.options.imageOrigins,
      frameOrigins: this.options.frameOrigins,
      lang: vscode.env.language,
      data: { l10n: l10nContents(), restore: this.options.restore },
    });
  }

  /**
   * Posts to the webview once it is ready; before that the message is dropped (`onReady` sends
   * the state) and the answer is false.
   */
  protected post(update: Update): boolean {
    if (!this.ready || this.isDisposed) return false;
    void this.panel.webview.postMessage(update);
    return true;
  }

  reveal(): void {
    this.panel.reveal();
  }

  private async receive(raw: unknown): Promise<void> {
    const message = this.parse(raw);
    if (!message) {
      this.log.warn(`${this.options.viewType}: refused a message outside the protocol`);
      return;
    }
    if (message.type === 'ready') {
      this.ready = true;
      await this.guard(async () => this.onReady());
      return;
    }
    await this.guard(() => this.onMessage(message));
  }

  /** Runs a handler; errors become the panel's error banner (and a log line), cancellations nothing. */
  protected async guard(work: () => Promise<void> | void): Promise<void> {
    try {
      await work();
    } catch (e) {
      if (isCancellation(e)) return;
      this.log.error(e instanceof Error ? e : new Error(String(e)));
      this.showError(describeError(e, this.s.logger.masker));
    }
  }

  /** Aborted when the panel closes: for background loads that the next action must not cancel. */
  protected get lifetimeSignal(): AbortSignal {
    return this.lifetime.signal;
  }

  /** A signal for one server call; starting the next one (or closing the panel) aborts it. */
  protected nextSignal(): AbortSignal {
    this.inflight?.abort();
    this.inflight = new AbortController();
    return this.inflight.signal;
  }

  protected abstract showError(message: string): void;
  protected abstract onReady(): Promise<void> | void;
  protected abstract onMessage(message: Request): Promise<void> | void;

  override dispose(): void {
    this.inflight?.abort();
    this.lifetime.abort();
    super.dispose();
  }
}
