import * as path from 'node:path';
import * as vscode from 'vscode';
import { ViewTypes } from '../constants';
import type { ExportSummaryRequest, ExportSummaryUpdate, ExportSummaryView, ScanProgress } from '../core/webviewProtocol/exportSummary';
import { parseExportSummaryRequest } from '../core/webviewProtocol/exportSummary';
import { loadLazy } from '../host/lazy';
import type { Services } from '../host/services';
import type * as Explore from '../lazy/explore';
import { PanelHost } from './panelHost';

export interface ExportSummaryHooks {
  openFile(uri: vscode.Uri): Promise<void>;
  copyQuery(folder: string): Promise<void>;
}

/** An export at a glance: charts of what it holds, read from its folder by the workers. */
export class ExportSummaryPanel extends PanelHost<ExportSummaryRequest, ExportSummaryUpdate> {
  private view: ExportSummaryView | undefined;
  private progress: ScanProgress | undefined;
  private scanning = false;
  private scan: AbortController | undefined;
  /** resolves when the current scan has read every file */
  done: Promise<ExportSummaryView | undefined> = Promise.resolve(undefined);

  constructor(s: Services, private readonly hooks: ExportSummaryHooks, readonly folder: string, panel?: vscode.WebviewPanel) {
    super(s, {
      viewType: ViewTypes.exportSummary, title: vscode.l10n.t('Summary: {0}', path.basename(folder)), script: 'summary', styles: ['summary.css'], panel,
      restore: { kind: 'exportSummary', folder },
    }, parseExportSummaryRequest);
    this.start();
  }

  private start(): void {
    this.scan?.abort();
    const scan = new AbortController();
    this.scan = scan;
    this._register({ dispose: () => scan.abort() });
    this.scanning = true;
    const x = loadLazy<typeof Explore>('explore');
    this.done = x.summarizeExport(this.folder, x.explorePool(), (view, progress) => {
      if (scan.signal.aborted) return;
      this.view = view;
      this.progress = progress;
      this.postView();
    }, scan.signal).then((view) => {
      if (scan.signal.aborted) return undefined;
      this.scanning = false;
      this.view = view;
      this.postView();
      return view;
    }, (e) => {
      this.scanning = false;
      void this.guard(() => { throw e; });
      return undefined;
    });
  }

  private postView(): void {
    if (this.view) this.post({ type: 'summary', view: this.view, scanning: this.scanning, progress: this.scanning ? this.progress : undefined });
  }

  protected onReady(): void {
    if (this.view) this.postView();
    else this.post({ type: 'busy', busy: true, message: vscode.l10n.t('Reading the export…') });
  }

  protected showError(message: string): void {
    this.post({ type: 'busy', busy: false });
    this.post({ type: 'error', message });
  }

  protected async onMessage(m: ExportSummaryRequest): Promise<void> {
    switch (m.type) {
      case 'openFile': {
        const file = this.view?.files.find((f) => f.name === m.name);
        if (file) await this.hooks.openFile(vscode.Uri.file(path.join(this.folder, ...file.name.split('/'))));
        return;
      }
      case 'copyQuery': return this.hooks.copyQuery(this.folder);
      case 'rescan': return this.start();
      case 'ready': return;
    }
  }
}
