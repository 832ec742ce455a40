import * as vscode from 'vscode';
import { ViewTypes } from '../constants';
import type { Environment } from '../core/environments';
import { CLINICAL_TYPES } from '../core/fhir/resourceTypes';
import type { Bundle } from '../core/fhir/types';
import { linkUrl } from '../core/fhir/types';
import { isOnOrigin } from '../core/render/urls';
import type { PatientRecordRequest, PatientRecordUpdate, TimelineItem, TypeCount } from '../core/webviewProtocol/patientRecord';
import { parsePatientRecordRequest } from '../core/webviewProtocol/patientRecord';
import { withCancellableProgress } from '../host/commands';
import { loadLazy } from '../host/lazy';
import type { Services } from '../host/services';
import type * as Render from '../lazy/render';
import type { EverythingTarget, WebviewDeps } from './deps';
import { DetailNavigator } from './detailNavigator';
import { openJsonDocument } from './jsonDocuments';
import { PanelHost } from './panelHost';
import { restoreUser } from './restore/descriptor';

/** A title for a record before its Patient has arrived. */
export function targetLabel(t: EverythingTarget): string {
  return t.patientId ? `Patient/${t.patientId}` : t.user ? t.user.appUserId : vscode.l10n.t('Patient');
}

/**
 * A patient's `$everything` as a record: header, counts per type and a dated timeline. Pages
 * are fetched when the webview asks (it asks as the end of the timeline scrolls into view).
 * The chips count what the server says the record holds (its totals per type), in a fixed
 * order; every type is on the timeline or its chip says why not (timelineNote). The raw pages can be opened
 * as JSON or saved.
 */
export class PatientRecordPanel extends PanelHost<PatientRecordRequest, PatientRecordUpdate> {
  private readonly record: InstanceType<typeof Render.PatientRecord>;
  private readonly detail: DetailNavigator;
  private nextUrl: string | undefined;
  private started = false;
  private loading: Promise<void> | undefined;
  private readonly viewId = `record:${Date.now()}`;
  /** the pages as the server sent them */
  private readonly pages: Bundle[] = [];
  /** the server's totals per type, and the types asked about (each once) */
  private readonly totals = new Map<string, number>();
  private readonly counted = new Set<string>();
  private patientId: string | undefined;
  /** the first page, already read (by the restore after a reload) */
  private prefetched: Bundle | undefined;

  constructor(s: Services, private readonly deps: WebviewDeps, private readonly target: EverythingTarget, private readonly environment: Environment,
    restored?: { panel: vscode.WebviewPanel; firstPage: Bundle }) {
    super(s, {
      viewType: ViewTypes.patientRecord, title: recordTitle(targetLabel(target)), script: 'patient', styles: ['viewer.css', 'record.css'], panel: restored?.panel,
      restore: { kind: 'record', env: environment.name, version: target.version, user: restoreUser(target.user), patientId: target.patientId },
    }, parsePatientRecordRequest);
    this.prefetched = restored?.firstPage;
    const render = this.renderer;
    this.record = new render.PatientRecord(target.patientId);
    this.patientId = target.patientId;
    this.detail = new DetailNavigator({
      version: target.version,
      environment,
      user: target.user,
      resource: (key) => this.record.resource(key),
      entries: () => this.record.entries,
      listFromServer: true,
    }, deps, (u) => this.post(u), () => s.environments.active(), s);
    void this.guard(() => this.loadMore());
  }

  private get renderer(): typeof Render {
    return loadLazy<typeof Render>('render');
  }

  get hasMore(): boolean {
    return !this.started || !!this.nextUrl;
  }

  /** The chips: every type loaded or counted, in a fixed order (the usual clinical types first, then by name). */
  counts(): TypeCount[] {
    const loaded = new Map(this.record.countList().map((c) => [c.type, c.count]));
    const usual = CLINICAL_TYPES[this.target.version];
    const rank = (t: string) => (usual.includes(t) ? usual.indexOf(t) : usual.length);
    const types = [...new Set([...loaded.keys(), ...[...this.totals].filter(([, n]) => n > 0).map(([t]) => t)])]
      .sort((a, b) => rank(a) - rank(b) || a.localeCompare(b));
    return types.map((type) => {
      const have = loaded.get(type) ?? 0;
      const total = this.totals.get(type);
      const note = this.renderer.timelineNote(type);
      // a total below what is loaded is a server that counted something else: the loaded count stands
      const exact = total !== undefined && total >= have ? true : !this.hasMore;
      const count = total !== undefined && total >= have ? total : have;
      return { type, count, exact, ...(have < count ? { loaded: have } : {}), ...(note ? { note } : {}) };
    });
  }

  private items(): TimelineItem[] {
    return this.record.items();
  }

  protected onReady(): void {
    const header = this.record.header();
    if (header) this.panel.title = recordTitle(header.name);
    this.post({
      type: 'record',
      view: {
        viewId: this.viewId,
        title: this.panel.title,
        header,
        counts: this.counts(),
        items: this.items(),
        loaded: this.record.loaded,
        total: this.record.total,
        hasMore: this.hasMore,
      },
    });
    if (this.loading) this.post({ type: 'busy', busy: true, message: vscode.l10n.t('Loading…') });
    this.detail.repost();
  }

  protected showError(message: string): void {
    this.post({ type: 'busy', busy: false });
    this.post({ type: 'error', message });
  }

  protected async onMessage(m: PatientRecordRequest): Promise<void> {
    switch (m.type) {
      case 'loadMore': return this.loadMore();
      case 'openDetail': return this.detail.showEntry(m.key);
      case 'openPatientRecord': return;
      case 'ready': return;
      case 'saveRecord': return this.save();
      case 'openJson':
        if (m.target === 'bundle') return void await openJsonDocument(`$everything ${this.nameForFiles()}`, this.rawPages());
        return this.detail.handle(m, () => this.nextSignal());
      default: return this.detail.handle(m, () => this.nextSignal());
    }
  }

  /** Fetches the next page (concurrent asks share one request). */
  private loadMore(): Promise<void> {
    if (!this.hasMore) return Promise.resolve();
    this.loading ??= this.fetchPage().finally(() => { this.loading = undefined; });
    return this.loading;
  }

  private async fetchPage(signal: AbortSignal = this.nextSignal()): Promise<void> {
    this.detail.requireEnvironment();
    this.post({ type: 'busy', busy: true, message: vscode.l10n.t('Loading…') });
    try {
      const prefetched = this.started ? undefined : this.prefetched;
      this.prefetched = undefined;
      const page = prefetched ?? await this.deps.everythingPage(this.target, this.started ? this.nextUrl : undefined, signal);
      this.started = true;
      this.pages.push(page);
      const from = this.record.loaded;
      const items = this.record.addPage(page);
      this.patientId ??= this.firstPatientId(from);
      const next = linkUrl(page, 'next');
      this.nextUrl = next && isOnOrigin(next, this.environment.fhirUrl) && next !== this.nextUrl ? next : undefined;
      if (next && !this.nextUrl) this.log.warn('patient record: stopped at a next link that is not on the environment\'s FHIR server (or repeats)');
      const header = this.record.header();
      if (header) this.panel.title = recordTitle(header.name);
      this.post({ type: 'append', items, counts: this.counts(), header, loaded: this.record.loaded, total: this.record.total, hasMore: this.hasMore });
      this.countNewTypes();
    } finally {
      this.post({ type: 'busy', busy: false });
    }
  }

  private firstPatientId(from: number): string | undefined {
    for (let key = from; key < this.record.loaded; key++) {
      const r = this.record.resource(key);
      if (r?.resourceType === 'Patient' && typeof r.id === 'string') return r.id;
    }
    return undefined;
  }

  /**
   * Asks the server for the totals of the types not asked about yet (the usual ones with the first
   * page, then any new type a page brings), in the background; the chips update when they arrive.
   */
  private countNewTypes(): void {
    const patientId = this.patientId;
    if (!patientId) return;
    const loadedTypes = this.record.countList().map((c) => c.type);
    const wanted = [...new Set([...CLINICAL_TYPES[this.target.version], ...loadedTypes])].filter((t) => !this.counted.has(t));
    if (!wanted.length) return;
    for (const t of wanted) this.counted.add(t);
    this.deps.everythingCounts(this.target, patientId, wanted, this.lifetimeSignal).then((counts) => {
      const all = new Map([...this.totals, ...Object.entries(counts)]);
      const sum = [...all.values()].reduce((a, n) => a + n, 0);
      // more than the whole record holds: the server did not count by type (it ignored _type)
      if (this.record.total !== undefined && sum > this.record.total) {
        this.log.warn(`patient record: the per-type totals (${sum}) exceed the record's total (${this.record.total}); showing loaded counts`);
        return;
      }
      for (const [t, n] of Object.entries(counts)) this.totals.set(t, n);
      this.post({ type: 'append', items: [], counts: this.counts(), loaded: this.record.loaded, total: this.record.total, hasMore: this.hasMore });
    }, (e: unknown) => this.log.warn(`patient record: could not count the types: ${e instanceof Error ? e.message : String(e)}`));
  }

  /** The pages as the server sent them: the Bundle when there is one, else the list of them. */
  private rawPages(): Bundle | Bundle[] {
    return this.pages.length === 1 ? this.pages[0] : this.pages;
  }

  private nameForFiles(): string {
    return this.record.header()?.name ?? targetLabel(this.target);
  }

  /** Saves the raw pages; offers to load the rest of the record first. */
  private async save(): Promise<void> {
    if (this.hasMore) {
      const left = this.record.total !== undefined ? this.record.total - this.record.loaded : undefined;
      const question = left === undefined ? vscode.l10n.t('Only part of the record is loaded.')
        : left === 1 ? vscode.l10n.t('Only part of the record is loaded (1 more resource).')
          : vscode.l10n.t('Only part of the record is loaded ({0} more resources).', left.toLocaleString());
      const loadAll = { title: vscode.l10n.t('Load All and Save') };
      const pick = await vscode.window.showInformationMessage(question, { modal: true }, loadAll, { title: vscode.l10n.t('Save What Is Loaded') });
      if (!pick) return;
      if (pick === loadAll) {
        await withCancellableProgress(vscode.l10n.t('Loading the whole record…'), async (signal, progress) => {
          while (this.hasMore) {
            await (this.loading ?? (this.loading = this.fetchPage(signal).finally(() => { this.loading = undefined; })));
            const loaded = this.record.loaded.toLocaleString();
            progress.report({ message: this.record.total !== undefined ? vscode.l10n.t('{0} of {1} resources', loaded, this.record.total.toLocaleString()) : vscode.l10n.t('{0} resources', loaded) });
          }
        });
      }
    }
    const folder = vscode.workspace.workspaceFolders?.[0]?.uri;
    const name = `everything-${this.nameForFiles().replace(/[^A-Za-z0-9._-]+/g, '-').replace(/^-+|-+$/g, '') || 'patient'}.json`;
    const target = await vscode.window.showSaveDialog({
      title: vscode.l10n.t('Save $everything'),
      defaultUri: folder ? vscode.Uri.joinPath(folder, name) : undefined,
      filters: { JSON: ['json'] },
    });
    if (!target) return;
    await vscode.workspace.fs.writeFile(target, new TextEncoder().encode(JSON.stringify(this.rawPages(), null, 2) + '\n'));
    const where = vscode.workspace.asRelativePath(target);
    vscode.window.setStatusBarMessage(`$(check) ${this.pages.length === 1 ? vscode.l10n.t('Saved 1 page to {0}', where) : vscode.l10n.t('Saved {0} pages to {1}', this.pages.length, where)}`, 4000);
  }
}

/** The panel's title: "Record: <name>". */
export function recordTitle(name: string): string {
  return vscode.l10n.t('Record: {0}', name);
}
