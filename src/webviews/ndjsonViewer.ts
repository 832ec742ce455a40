import * as path from 'node:path';
import * as vscode from 'vscode';
import type { FhirVersion } from '../core/environments';
import { InputError } from '../core/errors';
import type { Resource } from '../core/fhir/types';
import type { FilterState, IndexState, NdjsonRow, NdjsonView, NdjsonViewerRequest, NdjsonViewerUpdate } from '../core/webviewProtocol/ndjsonViewer';
import { parseNdjsonViewerRequest } from '../core/webviewProtocol/ndjsonViewer';
import { loadLazy } from '../host/lazy';
import type { Services } from '../host/services';
import type * as Explore from '../lazy/explore';
import type { WebviewDeps } from './deps';
import { DetailNavigator } from './detailNavigator';
import { PanelHost } from './panelHost';

type ExploreModule = typeof Explore;
type File = import('../core/explore/ndjsonFile').NdjsonFile;
type Filtered = import('../core/explore/ndjsonFile').FilteredRows;
type Mode = ReturnType<ExploreModule['modeFor']>;

export interface NdjsonViewerHooks {
  /** A Patient row's record, built from the files of the folder this file is in. */
  openExportPatient(folder: string, patientId: string, version: FhirVersion): Promise<void>;
}

/** What the view shows now: for commands and tests. */
export interface NdjsonViewerState {
  rowCount: number;
  index: IndexState;
  filter?: FilterState;
  columns: string[];
  shown?: { from: number; to: number; firstLine?: number; lastLine?: number };
}

const MAX_CACHED = 2_000;

/**
 * An NDJSON file of any size: first rows at once, an index built by workers while the user
 * reads, rows read from the file as they scroll into view, FHIRPath filters and columns.
 */
export class NdjsonViewerPanel extends PanelHost<NdjsonViewerRequest, NdjsonViewerUpdate> {
  private file: File | undefined;
  private filtered: Filtered | undefined;
  private filterError: { expression: string; message: string; column?: number } | undefined;
  private mode: Mode = { kind: 'mixed' };
  private expressions: string[] = [];
  private viewSeq = 0;
  private viewId = '';
  private readonly cache = new Map<number, Resource>();
  private readonly lines = new Map<number, number>();
  private shownRange: { from: number; to: number } | undefined;
  private waiters: { row: number; resolve: () => void }[] = [];
  private readonly detail: DetailNavigator;
  readonly opened: Promise<void>;

  constructor(s: Services, deps: WebviewDeps, private readonly hooks: NdjsonViewerHooks, readonly uri: vscode.Uri, private version: FhirVersion, private readonly exportFolder: string | undefined, private readonly versionKnown: boolean) {
    super(s, { viewType: 'oneup.ndjsonViewer', title: path.basename(uri.fsPath), script: 'ndjson', styles: ['viewer.css', 'ndjson.css'] }, parseNdjsonViewerRequest);
    this.detail = new DetailNavigator({
      version,
      resource: (key) => this.cache.get(key),
      entries: () => {
        const m = new Map<string, number>();
        for (const [k, r] of this.cache) if (typeof r.id === 'string') m.set(`${r.resourceType}/${r.id}`, k);
        return m;
      },
      listFromServer: false,
    }, deps, (u) => this.post(u), () => s.environments.active());
    this.opened = this.open();
    void this.guard(() => this.opened);
  }

  private explore(): ExploreModule {
    return loadLazy<ExploreModule>('explore');
  }

  private async open(): Promise<void> {
    const x = this.explore();
    const file = await x.NdjsonFile.open(this.uri.fsPath, x.explorePool(), () => this.onIndexProgress());
    if (this.isDisposed) {
      await file.close();
      return;
    }
    this.file = file;
    this._register({ dispose: () => void file.close() });
    const head = await this.file.rows(0, 200);
    const resources = head.map((r) => x.parseLine(r.text).value).filter((v): v is Resource => typeof v === 'object' && v !== null && typeof (v as Resource).resourceType === 'string');
    if (!this.versionKnown) this.version = loadLazy<typeof import('../lazy/render')>('render').guessFhirVersion(resources) ?? this.version;
    this.mode = x.modeFor([...new Set(resources.map((r) => r.resourceType))]);
    this.newView();
  }

  private onIndexProgress(): void {
    const f = this.file;
    if (!f) return;
    const p = f.progress();
    const types = Object.keys(p.types);
    // the index found other types than the first rows had: common columns for all
    if (this.mode.kind === 'type' && types.some((t) => t !== (this.mode as { type: string }).type)) {
      this.mode = { kind: 'mixed' };
      this.newView();
      return;
    }
    this.post({ type: 'index', viewId: this.viewId, index: this.indexState(), rowCount: this.listCount() });
  }

  private indexState(): IndexState {
    const f = this.file;
    if (!f) return { bytes: 0, bytesDone: 0, rows: 0, done: false, badCount: 0 };
    const p = f.progress();
    const summary = Object.entries(p.types).sort((a, b) => b[1] - a[1]).slice(0, 4).map(([t, n]) => `${t} ${n.toLocaleString('en-US')}`).join(', ');
    return { bytes: p.bytes, bytesDone: p.bytesDone, rows: p.rows, done: p.done, badCount: p.badCount, summary: p.done && summary ? summary : undefined, error: p.error };
  }

  private filterState(): FilterState | undefined {
    if (this.filterError) return { expression: this.filterError.expression, running: false, matched: 0, bytes: 0, bytesDone: 0, error: this.filterError.message, errorColumn: this.filterError.column };
    const f = this.filtered;
    if (!f) return undefined;
    const p = f.progress();
    return {
      expression: p.expression, running: !p.done && !p.cancelled && !p.error, matched: f.rowCount, bytes: p.bytes, bytesDone: p.bytesDone,
      cancelled: p.cancelled, error: p.error, evalErrors: p.evalErrors || undefined,
      firstEvalError: p.firstEvalError ? `line ${p.firstEvalError.line.toLocaleString('en-US')}: ${p.firstEvalError.message}` : undefined,
    };
  }

  private listCount(): number {
    return this.filtered ? this.filtered.rowCount : this.file?.rowCount ?? 0;
  }

  private view(): NdjsonView {
    return {
      viewId: this.viewId,
      title: path.basename(this.uri.fsPath),
      fileName: this.uri.fsPath,
      fhirVersion: this.version,
      columns: this.explore().gridColumns(this.mode, this.expressions),
      rowCount: this.listCount(),
      index: this.indexState(),
      filter: this.filterState(),
    };
  }

  /** The list or its columns changed: the webview starts over. */
  private newView(): void {
    this.viewId = `ndjson:${++this.viewSeq}`;
    this.cache.clear();
    this.lines.clear();
    this.shownRange = undefined;
    this.detail.clear();
    this.post({ type: 'view', view: this.view() });
  }

  protected onReady(): void {
    if (this.file) this.post({ type: 'view', view: this.view() });
    else this.post({ type: 'busy', busy: true, message: 'Opening…' });
    this.detail.repost();
  }

  protected showError(message: string): void {
    this.post({ type: 'busy', busy: false });
    this.post({ type: 'error', message });
  }

  protected async onMessage(m: NdjsonViewerRequest): Promise<void> {
    switch (m.type) {
      case 'rows': return this.sendRows(m.viewId, m.seq, m.from, m.count);
      case 'shown':
        if (m.viewId !== this.viewId) return;
        this.shownRange = { from: m.from, to: m.to };
        for (const w of this.waiters.filter((x) => x.row >= m.from && x.row < m.to)) w.resolve();
        this.waiters = this.waiters.filter((x) => !(x.row >= m.from && x.row < m.to));
        return;
      case 'openDetail':
        if (m.viewId !== this.viewId) return;
        if (!this.cache.has(m.row)) await this.readRows(m.row, 1);
        return this.detail.showEntry(m.row);
      case 'filter': return void this.setFilter(m.expression);
      case 'cancelFilter':
        this.filtered?.cancel();
        return;
      case 'addColumn': return this.addColumn(m.expression);
      case 'removeColumn':
        this.expressions = this.expressions.filter((e) => e !== m.expression);
        this.newView();
        return;
      case 'goToLine': return void this.goToLine(m.line);
      case 'nextBad': return this.nextBad(m.after);
      case 'openPatientRecord': {
        const r = this.detail.resource;
        if (r?.resourceType === 'Patient' && typeof r.id === 'string') {
          await this.hooks.openExportPatient(this.exportFolder ?? path.dirname(this.uri.fsPath), r.id, this.version);
        }
        return;
      }
      case 'ready': return;
      default: return this.detail.handle(m, () => this.nextSignal());
    }
  }

  private async readRows(from: number, count: number): Promise<NdjsonRow[]> {
    const list = this.filtered ?? this.file;
    if (!list) return [];
    const rows = await list.rows(from, count);
    const { rows: out, resources } = this.explore().gridRows(rows, this.mode, this.expressions, this.version, (r) => r.row);
    resources.forEach((r, i) => {
      this.lines.set(out[i].row, out[i].line);
      if (r) this.cache.set(out[i].row, r);
    });
    while (this.cache.size > MAX_CACHED) this.cache.delete(this.cache.keys().next().value as number);
    while (this.lines.size > MAX_CACHED) this.lines.delete(this.lines.keys().next().value as number);
    return out;
  }

  private async sendRows(viewId: string, seq: number, from: number, count: number): Promise<void> {
    if (viewId !== this.viewId) return;
    const rows = await this.readRows(from, count);
    if (viewId === this.viewId) this.post({ type: 'rows', viewId, seq, rows });
  }

  /** Runs a filter over the file (empty clears it); answers how it ended. */
  async setFilter(expression: string): Promise<FilterState | undefined> {
    const f = this.file ?? (await this.opened, this.file);
    if (!f) return undefined;
    const previous = this.filtered;
    this.filtered = undefined;
    this.filterError = undefined;
    void previous?.dispose();
    if (!expression.trim()) {
      this.newView();
      return undefined;
    }
    let filtered: Filtered;
    try {
      this.explore().compileFhirPath(expression, this.version);
      await this.probe(expression);
      filtered = f.filter(expression, this.version, () => {
        if (this.filtered === filtered) this.post({ type: 'filter', viewId: this.viewId, filter: this.filterState()!, rowCount: this.listCount() });
      });
    } catch (e) {
      this.filterError = { expression, message: e instanceof Error ? e.message : String(e), column: (e as { column?: number }).column };
      this.newView();
      return this.filterState();
    }
    this.filtered = filtered;
    this.newView();
    await filtered.finished;
    if (this.filtered === filtered) this.post({ type: 'filter', viewId: this.viewId, filter: this.filterState()!, rowCount: this.listCount() });
    return this.filterState();
  }

  /** Runs an expression on the file's first resource, so that an unknown function says so at once. */
  private async probe(expression: string): Promise<void> {
    const [first] = await this.file!.rows(0, 1);
    const value = this.explore().parseLine(first?.text).value;
    if (typeof value !== 'object' || value === null) return;
    const evaluate = this.explore().compileFhirPath(expression, this.version);
    try {
      evaluate(value as Resource);
    } catch (e) {
      throw new InputError(`On line ${first.line}: ${e instanceof Error ? e.message : String(e)}`);
    }
  }

  /** Adds a FHIRPath column (an expression that does not compile is refused inline). */
  async addColumn(expression: string): Promise<void> {
    const e = expression.trim();
    if (!e || this.expressions.includes(e)) return;
    try {
      this.explore().compileFhirPath(e, this.version);
      await this.probe(e);
    } catch (err) {
      this.post({ type: 'columnError', expression: e, message: err instanceof Error ? err.message : String(err) });
      return;
    }
    if (this.expressions.length >= 20) throw new InputError('The view shows at most 20 FHIRPath columns.');
    this.expressions = [...this.expressions, e];
    this.newView();
  }

  /** Scrolls to a line; resolves once the webview shows it (or after 10 s). */
  async goToLine(line: number): Promise<NdjsonViewerState> {
    await this.opened;
    const list = this.filtered ?? this.file;
    if (!list) return this.state();
    const set = this.filtered ? undefined : this.file;
    let row = set ? await set.rowAtLine(line) : await this.filteredRowAtLine(line);
    if (row === undefined) row = Math.max(0, this.listCount() - 1);
    await this.revealRow(row);
    return this.state();
  }

  private async filteredRowAtLine(line: number): Promise<number | undefined> {
    const f = this.filtered!;
    let lo = 0;
    let hi = f.rowCount;
    while (lo < hi) {
      const mid = Math.floor((lo + hi) / 2);
      const [r] = await f.rows(mid, 1);
      if (r.line < line) lo = mid + 1;
      else hi = mid;
    }
    return lo < f.rowCount ? lo : undefined;
  }

  private revealRow(row: number): Promise<void> {
    const shown = new Promise<void>((resolve) => {
      this.waiters.push({ row, resolve });
      setTimeout(resolve, 10_000).unref?.();
    });
    this.post({ type: 'reveal', viewId: this.viewId, row });
    return shown;
  }

  private async nextBad(after: number): Promise<void> {
    const facts = this.file?.facts();
    if (!facts || this.filtered) return;
    const next = facts.bad.find((b) => b.row >= after) ?? facts.bad[0];
    if (next) await this.revealRow(next.row);
  }

  state(): NdjsonViewerState {
    const s = this.shownRange;
    return {
      rowCount: this.listCount(),
      index: this.indexState(),
      filter: this.filterState(),
      columns: this.explore().gridColumns(this.mode, this.expressions).map((c) => c.label),
      shown: s ? { ...s, firstLine: this.lines.get(s.from), lastLine: this.lines.get(s.to - 1) } : undefined,
    };
  }

  override dispose(): void {
    void this.filtered?.dispose();
    for (const w of this.waiters) w.resolve();
    super.dispose();
  }
}
