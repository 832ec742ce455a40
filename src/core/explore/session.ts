// One NDJSON viewer's state, without VS Code: the file, its columns, the filter, rows for the
// webview and where it is scrolled. The panel (webviews/ndjsonViewer.ts) only relays messages
// and adds the detail pane; tests drive the real webview with this class.
import * as l10n from '@vscode/l10n';
import type { FhirVersion } from '../environments';
import type { Resource } from '../fhir/types';
import { guessFhirVersion } from '../render/version';
import type { FilterState, IndexState, NdjsonRow, NdjsonView, NdjsonViewerRequest, NdjsonViewerUpdate } from '../webviewProtocol/ndjsonViewer';
import { isResource } from './facts';
import { compileFhirPath } from './fhirpath';
import type { FilteredRows } from './filteredRows';
import { NdjsonFile } from './ndjsonFile';
import type { WorkerPool } from './pool';
import { type ColumnMode, gridColumns, gridRows, modeFor, parseLine } from './rows';

/** What the view shows now: for commands and tests. */
export interface NdjsonViewerState {
  rowCount: number;
  index: IndexState;
  filter?: FilterState;
  columns: string[];
  shown?: { from: number; to: number; firstLine?: number; lastLine?: number };
}

export type SessionRequest = Exclude<NdjsonViewerRequest, { type: 'openDetail' | 'ready' | 'openReference' | 'openJson' | 'back' | 'closeDetail' | 'openPatientRecord' }>;

const MAX_CACHED = 2_000;
/** Rows sent with a new file's view: the webview's first block (its grid asks by blocks of 100). */
const FIRST_ROWS = 100;
/** The index waits for the first rows to be shown, at most this long. */
const INDEX_DELAY_MS = 300;

export class NdjsonSession {
  private filtered: FilteredRows | undefined;
  private filterError: { expression: string; message: string; column?: number } | undefined;
  private mode: ColumnMode = { kind: 'mixed' };
  private expressions: string[] = [];
  private viewSeq = 0;
  private viewId = '';
  /**
   * The rows read so far, as their lines' text and `Type/id`: a resource is parsed again when it is
   * asked for. Keeping the parsed resources made every scrolled-past row old-generation garbage in
   * the extension host (a scroll through a large file grew its heap by ~70 MB before a collection).
   */
  private readonly cache = new Map<number, { text: string; ref?: string }>();
  private readonly lines = new Map<number, number>();
  private shownRange: { from: number; to: number } | undefined;
  private waiters: { row: number; resolve: () => void }[] = [];
  private file!: NdjsonFile;

  private constructor(readonly path: string, readonly title: string, public version: FhirVersion, private readonly post: (u: NdjsonViewerUpdate) => void) {}

  /** Opens the file (first rows read, index started) and posts the first view. */
  static async open(o: { path: string; title: string; pool: WorkerPool; version: FhirVersion; versionKnown: boolean; post: (u: NdjsonViewerUpdate) => void; minPartBytes?: number }): Promise<NdjsonSession> {
    const s = new NdjsonSession(o.path, o.title, o.version, o.post);
    s.file = await NdjsonFile.open(o.path, o.pool, () => s.onIndexProgress(), { minPartBytes: o.minPartBytes, deferIndex: true });
    const head = await s.file.rows(0, 200);
    const resources = head.map((r) => parseLine(r.text).value).filter(isResource);
    if (!o.versionKnown) s.version = guessFhirVersion(resources) ?? s.version;
    s.mode = modeFor([...new Set(resources.map((r) => r.resourceType))]);
    s.newView();
    // the first screen of rows goes with the view, without waiting for the webview to ask; the index
    // starts once the webview says they are shown (or shortly after, if it never does)
    await s.sendRows(s.viewId, 0, 0, FIRST_ROWS);
    s.indexTimer = setTimeout(() => s.file.startIndexing(), INDEX_DELAY_MS);
    return s;
  }

  get ndjson(): NdjsonFile {
    return this.file;
  }

  private onIndexProgress(): void {
    if (!this.file) return;
    const types = Object.keys(this.file.progress().types);
    // the index found other types than the first rows had: common columns for all
    if (this.mode.kind === 'type' && types.some((t) => t !== (this.mode as { type: string }).type)) {
      this.mode = { kind: 'mixed' };
      this.newView();
      return;
    }
    this.post({ type: 'index', viewId: this.viewId, index: this.indexState(), rowCount: this.listCount() });
  }

  private indexState(): IndexState {
    const p = this.file.progress();
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
      firstEvalError: p.firstEvalError ? l10n.t('line {0}: {1}', p.firstEvalError.line.toLocaleString('en-US'), p.firstEvalError.message) : undefined,
    };
  }

  private listCount(): number {
    return this.filtered ? this.filtered.rowCount : this.file.rowCount;
  }

  view(): NdjsonView {
    return {
      viewId: this.viewId, title: this.title, fileName: this.path, fhirVersion: this.version,
      columns: gridColumns(this.mode, this.expressions), rowCount: this.listCount(), index: this.indexState(), filter: this.filterState(),
    };
  }

  /** The list or its columns changed: the webview starts over. */
  private newView(): void {
    this.viewId = `ndjson:${++this.viewSeq}`;
    this.cache.clear();
    this.lines.clear();
    this.shownRange = undefined;
    this.onNewView?.();
    this.post({ type: 'view', view: this.view() });
  }

  /** Called when the list changes (the panel clears its detail pane). */
  onNewView: (() => void) | undefined;

  /** A row's resource, when it was read (rows on screen and near it are). */
  resource(row: number): Resource | undefined {
    const text = this.cache.get(row)?.text;
    if (text === undefined) return undefined;
    const value = parseLine(text).value;
    return isResource(value) ? value : undefined;
  }

  /** `Type/id` → row of the resources read so far (for references between them). */
  entries(): Map<string, number> {
    const m = new Map<string, number>();
    for (const [k, r] of this.cache) if (r.ref) m.set(r.ref, k);
    return m;
  }

  isCurrent(viewId: string): boolean {
    return viewId === this.viewId;
  }

  async ensureRow(row: number): Promise<void> {
    if (!this.cache.has(row)) await this.readRows(row, 1);
  }

  async handle(m: SessionRequest): Promise<void> {
    switch (m.type) {
      case 'rows': return this.sendRows(m.viewId, m.seq, m.from, m.count);
      case 'shown': {
        if (m.viewId !== this.viewId) return;
        this.startIndexing();
        this.shownRange = { from: m.from, to: m.to };
        const hit = (x: { row: number }) => x.row >= m.from && x.row < m.to;
        for (const w of this.waiters.filter(hit)) w.resolve();
        this.waiters = this.waiters.filter((x) => !hit(x));
        return;
      }
      case 'filter': return void await this.setFilter(m.expression);
      case 'cancelFilter':
        this.filtered?.cancel();
        return;
      case 'addColumn': return this.addColumn(m.expression);
      case 'removeColumn':
        this.expressions = this.expressions.filter((e) => e !== m.expression);
        this.newView();
        return;
      case 'goToLine': return void await this.goToLine(m.line);
      case 'nextBad': return this.nextBad(m.after);
    }
  }

  private async readRows(from: number, count: number): Promise<NdjsonRow[]> {
    const list = this.filtered ?? this.file;
    const rows = await list.rows(from, count);
    const { rows: out, resources } = gridRows(rows, this.mode, this.expressions, this.version, (r) => r.row);
    resources.forEach((r, i) => {
      this.lines.set(out[i].row, out[i].line);
      const text = rows[i].text;
      if (r && text !== undefined) this.cache.set(out[i].row, { text, ref: typeof r.id === 'string' ? `${r.resourceType}/${r.id}` : undefined });
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

  /** Runs a filter over the file (empty clears it); resolves with how it ended. */
  async setFilter(expression: string): Promise<FilterState | undefined> {
    const previous = this.filtered;
    this.filtered = undefined;
    this.filterError = undefined;
    void previous?.dispose();
    if (!expression.trim()) {
      this.newView();
      return undefined;
    }
    let filtered: FilteredRows;
    try {
      compileFhirPath(expression, this.version);
      await this.probe(expression);
      filtered = this.file.filter(expression, this.version, () => {
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
    const [first] = await this.file.rows(0, 1);
    const value = parseLine(first?.text).value;
    if (!isResource(value)) return;
    const evaluate = compileFhirPath(expression, this.version);
    try {
      evaluate(value);
    } catch (e) {
      throw new Error(l10n.t('On line {0}: {1}', first.line, e instanceof Error ? e.message : String(e)));
    }
  }

  /** Adds a FHIRPath column; an expression that does not compile is refused inline. */
  async addColumn(expression: string): Promise<void> {
    const e = expression.trim();
    if (!e || this.expressions.includes(e)) return;
    try {
      if (this.expressions.length >= 20) throw new Error(l10n.t('the view shows at most 20 FHIRPath columns'));
      compileFhirPath(e, this.version);
      await this.probe(e);
    } catch (err) {
      this.post({ type: 'columnError', expression: e, message: err instanceof Error ? err.message : String(err) });
      return;
    }
    this.expressions = [...this.expressions, e];
    this.newView();
  }

  /** Scrolls to the first row at or after a line; resolves once the webview shows it (or after 10 s). */
  async goToLine(line: number): Promise<NdjsonViewerState> {
    let row = this.filtered ? await this.filteredRowAtLine(line) : await this.file.rowAtLine(line);
    if (row === undefined) row = Math.max(0, this.listCount() - 1);
    await this.reveal(row);
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

  /** Posts the reveals still waiting again (the webview was rebuilt or was not ready when they were sent). */
  repostReveals(): void {
    const last = this.waiters[this.waiters.length - 1];
    if (last) this.post({ type: 'reveal', viewId: this.viewId, row: last.row });
  }

  private reveal(row: number): Promise<void> {
    const on = this.shownRange;
    if (on && row >= on.from && row < on.to) {
      // already on screen: the webview only moves the selection, and need not say so again
      this.post({ type: 'reveal', viewId: this.viewId, row });
      return Promise.resolve();
    }
    const shown = new Promise<void>((resolve) => {
      this.waiters.push({ row, resolve });
      setTimeout(resolve, 10_000).unref?.();
    });
    this.post({ type: 'reveal', viewId: this.viewId, row });
    return shown;
  }

  private async nextBad(after: number): Promise<void> {
    const facts = this.file.facts();
    if (!facts || this.filtered) return;
    const next = facts.bad.find((b) => b.row >= after) ?? facts.bad[0];
    if (next) await this.reveal(next.row);
  }

  state(): NdjsonViewerState {
    const s = this.shownRange;
    return {
      rowCount: this.listCount(),
      index: this.indexState(),
      filter: this.filterState(),
      columns: gridColumns(this.mode, this.expressions).map((c) => c.label),
      shown: s ? { ...s, firstLine: this.lines.get(s.from), lastLine: this.lines.get(s.to - 1) } : undefined,
    };
  }

  private indexTimer: ReturnType<typeof setTimeout> | undefined;

  private startIndexing(): void {
    clearTimeout(this.indexTimer);
    this.file.startIndexing();
  }

  async close(): Promise<void> {
    clearTimeout(this.indexTimer);
    for (const w of this.waiters) w.resolve();
    this.waiters = [];
    await this.filtered?.dispose();
    await this.file.close();
  }
}
