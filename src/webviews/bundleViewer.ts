import * as vscode from 'vscode';
import type { Environment, FhirVersion } from '../core/environments';
import { ViewTypes } from '../constants';
import { InputError } from '../core/errors';
import type { SearchQuery } from '../core/fhir/searchQuery';
import type { Bundle } from '../core/fhir/types';
import { linkUrl } from '../core/fhir/types';
import { isOnOrigin } from '../core/render/urls';
import type { BundleView, BundleViewerRequest, BundleViewerUpdate, PageRelation } from '../core/webviewProtocol/bundleViewer';
import { parseBundleViewerRequest } from '../core/webviewProtocol/bundleViewer';
import { loadLazy } from '../host/lazy';
import type { Services } from '../host/services';
import type * as Explore from '../lazy/explore';
import type * as Render from '../lazy/render';
import type { AppUser, WebviewDeps } from './deps';
import { DetailNavigator } from './detailNavigator';
import { openJsonDocument } from './jsonDocuments';
import { PanelHost } from './panelHost';
import type { Restore } from './restore/descriptor';
import { restoreUser } from './restore/descriptor';

/** Entries per page when a file is paged inside the viewer (NDJSON exports can be large). */
export const LOCAL_PAGE_SIZE = 5_000;

export type BundleSource =
  /** `search`: the search that answered this page (the filter can search the server the same way) */
  | { kind: 'server'; environment: Environment; version: FhirVersion; user?: AppUser; search?: SearchQuery }
  | { kind: 'file'; uri: vscode.Uri; version: FhirVersion; notice?: string };

export interface BundleViewerHooks {
  openPatientRecord(patientId: string, version: FhirVersion, user?: AppUser): Promise<void>;
  /** Runs a search on the server and shows its result (in a viewer of its own). */
  search(query: SearchQuery, version: FhirVersion, user?: AppUser): Promise<void>;
}

/**
 * A Bundle page (search result, `$everything` page, workspace file) in a table per resource
 * type. Server pages follow the Bundle's own links; files are paged locally.
 */
export class BundleViewerPanel extends PanelHost<BundleViewerRequest, BundleViewerUpdate> {
  private bundle: Bundle;
  private localPage = 0;
  /** unknown after jumping to the last page */
  private serverPage: number | undefined = 1;
  private view: BundleView | undefined;
  private seq = 0;
  private readonly detail: DetailNavigator;

  constructor(s: Services, private readonly deps: WebviewDeps, private readonly hooks: BundleViewerHooks, bundle: Bundle, private title: string, private readonly source: BundleSource, panel?: vscode.WebviewPanel) {
    super(s, { viewType: ViewTypes.bundleViewer, title, script: 'bundle', styles: ['viewer.css'], panel, restore: restoreOf(source, title, bundle) }, parseBundleViewerRequest);
    this.bundle = bundle;
    this.detail = new DetailNavigator({
      version: source.version,
      environment: source.kind === 'server' ? source.environment : undefined,
      user: source.kind === 'server' ? source.user : undefined,
      resource: (key) => this.page().entry?.[key]?.resource,
      entries: () => loadLazy<typeof Render>('render').indexEntries(this.page()),
      listFromServer: source.kind === 'server',
      file: source.kind === 'file' ? source.uri.toString() : undefined,
    }, deps, (u) => this.post(u), () => s.environments.active(), s);
  }

  /** Replaces what the panel shows (the same file opened again, or a new search). */
  update(bundle: Bundle, title: string): void {
    this.bundle = bundle;
    this.title = title;
    this.panel.title = title;
    this.localPage = 0;
    this.serverPage = 1;
    this.detail.clear();
    this.refreshView();
  }

  private page(): Bundle {
    return this.source.kind === 'file' ? loadLazy<typeof Render>('render').pageOf(this.bundle, this.localPage, LOCAL_PAGE_SIZE) : this.bundle;
  }

  private refreshView(): void {
    const render = loadLazy<typeof Render>('render');
    const pages = this.source.kind === 'file' ? render.pageCount(this.bundle, LOCAL_PAGE_SIZE) : undefined;
    // servers send first/previous links on the first page too: there they lead nowhere new
    const onFirst = this.serverPage === 1;
    const links: Record<PageRelation, boolean> = pages !== undefined
      ? { first: this.localPage > 0, previous: this.localPage > 0, next: this.localPage < pages - 1, last: this.localPage < pages - 1 }
      : { first: !onFirst && !!this.followable('first'), previous: !onFirst && !!this.followable('previous'), next: !!this.followable('next'), last: !!this.followable('last') };
    const page = this.page();
    const view = render.bundleView(page, {
      viewId: `${this.panel.viewType}:${++this.seq}`,
      title: this.title,
      links,
      page: pages !== undefined ? this.localPage + 1 : this.serverPage,
      pages: pages !== undefined && pages > 1 ? pages : undefined,
      notice: this.source.kind === 'file' ? this.source.notice : undefined,
    });
    const server = this.source.kind === 'server' ? this.source : undefined;
    const paged = server ? view.entries < (view.total ?? 0) || links.next || !onFirst : (pages ?? 1) > 1;
    this.view = {
      // results read app-wide say whose each row is; so do files that hold several patients
      ...(server?.user ? view : render.withPatientColumn(view, page, { onlyIfSeveral: !server })),
      filterScope: paged ? vscode.l10n.t('Filter this page') : server ? vscode.l10n.t('Filter these results') : vscode.l10n.t('Filter this file'),
      serverSearchType: server?.search?.type,
    };
    this.post({ type: 'bundle', view: this.view });
  }

  /** A page link the host may follow: http(s), on the environment's FHIR origin. */
  private followable(rel: PageRelation): string | undefined {
    if (this.source.kind !== 'server') return undefined;
    const url = linkUrl(this.bundle, rel);
    if (!url) return undefined;
    if (!isOnOrigin(url, this.source.environment.fhirUrl)) {
      this.log.warn(`bundle viewer: not following a ${rel} link outside ${this.source.environment.name}'s FHIR server`);
      return undefined;
    }
    return url;
  }

  protected onReady(): void {
    if (!this.view) this.refreshView();
    else this.post({ type: 'bundle', view: this.view });
    this.detail.repost();
  }

  protected showError(message: string): void {
    this.post({ type: 'busy', busy: false });
    this.post({ type: 'error', message });
  }

  protected async onMessage(m: BundleViewerRequest): Promise<void> {
    switch (m.type) {
      case 'page': return this.goTo(m.rel);
      case 'openDetail': return this.detail.showEntry(m.key);
      case 'saveBundle': return this.save();
      case 'fhirpathFilter': return this.fhirpathFilter(m.expression);
      case 'copyNdjson': {
        const render = loadLazy<typeof Render>('render');
        // a file's every resource, a server's current page
        await vscode.env.clipboard.writeText(render.toNdjson(this.bundle));
        const n = this.bundle.entry?.length ?? 0;
        vscode.window.setStatusBarMessage(`$(check) ${n === 1 ? vscode.l10n.t('Copied 1 resource as NDJSON') : vscode.l10n.t('Copied {0} resources as NDJSON', n)}`, 4000);
        return;
      }
      case 'openJson':
        if (m.target === 'detail') return this.detail.handle(m, () => this.nextSignal());
        if (this.source.kind === 'file') {
          await vscode.window.showTextDocument(this.source.uri, { preview: true });
          return;
        }
        // the page as the server sent it, read-only (closing it asks nothing)
        return void await openJsonDocument(this.title, this.bundle);
      case 'searchServer': {
        const search = this.source.kind === 'server' ? this.source.search : undefined;
        const text = m.text.trim();
        if (!search || !text || this.source.kind !== 'server') return;
        this.detail.requireEnvironment();
        // the same search, with the filter's text as _content (instead of any _content it had)
        const params = search.params.filter(([k]) => k !== '_content');
        return this.hooks.search({ type: search.type, params: [['_content', text], ...params] }, this.source.version, this.source.user);
      }
      case 'openPatientRecord': {
        const r = this.detail.resource;
        if (r?.resourceType === 'Patient' && typeof r.id === 'string') {
          if (this.source.kind !== 'server') this.detail.requireEnvironment();
          await this.hooks.openPatientRecord(r.id, this.source.version, this.source.kind === 'server' ? this.source.user : undefined);
        }
        return;
      }
      case 'ready': return;
      default: return this.detail.handle(m, () => this.nextSignal());
    }
  }

  private async goTo(rel: PageRelation): Promise<void> {
    if (this.source.kind === 'file') {
      const pages = loadLazy<typeof Render>('render').pageCount(this.bundle, LOCAL_PAGE_SIZE);
      const target = { first: 0, previous: this.localPage - 1, next: this.localPage + 1, last: pages - 1 }[rel];
      this.localPage = Math.max(0, Math.min(pages - 1, target));
      this.detail.clear();
      this.refreshView();
      return;
    }
    const url = this.followable(rel);
    if (!url) throw new InputError(vscode.l10n.t('This page has no {0} link the viewer can follow.', rel));
    this.detail.requireEnvironment();
    this.post({ type: 'busy', busy: true, message: vscode.l10n.t('Loading the {0} page…', rel) });
    try {
      const next = await this.deps.fetchBundleLink(url, this.nextSignal(), this.source.user);
      this.bundle = next;
      const n = this.serverPage;
      this.serverPage = rel === 'first' ? 1 : n === undefined || rel === 'last' ? undefined : rel === 'next' ? n + 1 : Math.max(1, n - 1);
      this.detail.clear();
      this.refreshView();
    } finally {
      this.post({ type: 'busy', busy: false });
    }
  }

  /** The entries of the page a FHIRPath expression keeps (fhirpath.js, the page's FHIR version). */
  private fhirpathFilter(expression: string): void {
    const x = loadLazy<typeof Explore>('explore');
    let evaluate: ReturnType<typeof x.compileFhirPath>;
    try {
      evaluate = x.compileFhirPath(expression, this.source.version);
    } catch (e) {
      this.post({ type: 'fhirpathResult', expression, error: e instanceof Error ? e.message : String(e) });
      return;
    }
    const keys: number[] = [];
    let failed = 0;
    let firstError: string | undefined;
    (this.page().entry ?? []).forEach((entry, key) => {
      if (!entry?.resource) return;
      try {
        // fhirpath.js writes type information into what it evaluates: give it a copy
        const verdict = x.filterVerdict(evaluate(structuredClone(entry.resource)));
        if (verdict === 'many') throw new Error(vscode.l10n.t('the expression gave more than one value where a filter needs true or false: wrap it in exists()'));
        if (verdict) keys.push(key);
      } catch (e) {
        failed++;
        firstError ??= e instanceof Error ? e.message : String(e);
      }
    });
    const error = failed && !keys.length ? (failed === 1 ? vscode.l10n.t('Failed on 1 resource: {0}', firstError ?? '') : vscode.l10n.t('Failed on {0} resources: {1}', failed, firstError ?? '')) : undefined;
    this.post({ type: 'fhirpathResult', expression, keys, failed: failed || undefined, error });
  }

  private async save(): Promise<void> {
    const folder = vscode.workspace.workspaceFolders?.[0]?.uri;
    const name = `${this.title.replace(/[^A-Za-z0-9._-]+/g, '-').replace(/^-+|-+$/g, '') || 'bundle'}.json`;
    const target = await vscode.window.showSaveDialog({
      title: vscode.l10n.t('Save Bundle'),
      defaultUri: folder ? vscode.Uri.joinPath(folder, name) : undefined,
      filters: { [vscode.l10n.t('FHIR Bundle (JSON)')]: ['json'] },
    });
    if (!target) return;
    await vscode.workspace.fs.writeFile(target, new TextEncoder().encode(JSON.stringify(this.bundle, null, 2) + '\n'));
    vscode.window.setStatusBarMessage(`$(check) ${vscode.l10n.t('Saved {0}', vscode.workspace.asRelativePath(target))}`, 4000);
  }
}

/**
 * What brings a viewer back after a reload: its search (run again), the page's own `self` link
 * on the environment's FHIR server, or its file; nothing for a page that has neither.
 */
function restoreOf(source: BundleSource, title: string, bundle: Bundle): Restore | undefined {
  if (source.kind === 'file') return { kind: 'file', uri: source.uri.toString(), version: source.version };
  const from = { env: source.environment.name, version: source.version, user: restoreUser(source.user) };
  if (source.search) return { kind: 'search', ...from, title, search: source.search };
  const self = linkUrl(bundle, 'self');
  return self && isOnOrigin(self, source.environment.fhirUrl) ? { kind: 'page', ...from, title, url: self } : undefined;
}
