import type { Environment } from '../core/environments';
import { linkUrl } from '../core/fhir/types';
import { isOnOrigin } from '../core/render/urls';
import type { PatientRecordRequest, PatientRecordUpdate } from '../core/webviewProtocol/patientRecord';
import { parsePatientRecordRequest } from '../core/webviewProtocol/patientRecord';
import { loadLazy } from '../host/lazy';
import type { Services } from '../host/services';
import type * as Render from '../lazy/render';
import type { EverythingTarget, WebviewDeps } from './deps';
import { DetailNavigator } from './detailNavigator';
import { PanelHost } from './panelHost';

/** A title for a record before its Patient has arrived. */
export function targetLabel(t: EverythingTarget): string {
  return t.patientId ? `Patient/${t.patientId}` : t.user ? t.user.appUserId : 'Patient';
}

/**
 * A patient's `$everything` as a record: header, counts per type and a dated timeline. Pages
 * are fetched when the webview asks (it asks as the end of the timeline scrolls into view).
 */
export class PatientRecordPanel extends PanelHost<PatientRecordRequest, PatientRecordUpdate> {
  private readonly record: InstanceType<typeof Render.PatientRecord>;
  private readonly detail: DetailNavigator;
  private nextUrl: string | undefined;
  private started = false;
  private loading: Promise<void> | undefined;
  private readonly viewId = `record:${Date.now()}`;

  constructor(s: Services, private readonly deps: WebviewDeps, private readonly target: EverythingTarget, private readonly environment: Environment) {
    super(s, { viewType: 'oneup.patientRecord', title: `Record: ${targetLabel(target)}`, script: 'patient', styles: ['viewer.css', 'record.css'] }, parsePatientRecordRequest);
    const render = loadLazy<typeof Render>('render');
    this.record = new render.PatientRecord(target.patientId);
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

  get hasMore(): boolean {
    return !this.started || !!this.nextUrl;
  }

  protected onReady(): void {
    const header = this.record.header();
    if (header) this.panel.title = `Record: ${header.name}`;
    this.post({
      type: 'record',
      view: {
        viewId: this.viewId,
        title: this.panel.title,
        header,
        counts: this.record.countList(),
        items: this.record.items(),
        loaded: this.record.loaded,
        total: this.record.total,
        hasMore: this.hasMore,
      },
    });
    if (this.loading) this.post({ type: 'busy', busy: true, message: 'Loading…' });
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
      default: return this.detail.handle(m, () => this.nextSignal());
    }
  }

  /** Fetches the next page (concurrent asks share one request). */
  private loadMore(): Promise<void> {
    if (!this.hasMore) return Promise.resolve();
    this.loading ??= this.fetchPage().finally(() => { this.loading = undefined; });
    return this.loading;
  }

  private async fetchPage(): Promise<void> {
    this.detail.requireEnvironment();
    this.post({ type: 'busy', busy: true, message: 'Loading…' });
    try {
      const page = await this.deps.everythingPage(this.target, this.started ? this.nextUrl : undefined, this.nextSignal());
      this.started = true;
      const items = this.record.addPage(page);
      const next = linkUrl(page, 'next');
      this.nextUrl = next && isOnOrigin(next, this.environment.fhirUrl) && next !== this.nextUrl ? next : undefined;
      if (next && !this.nextUrl) this.log.warn('patient record: stopped at a next link that is not on the environment\'s FHIR server (or repeats)');
      const header = this.record.header();
      if (header) this.panel.title = `Record: ${header.name}`;
      this.post({ type: 'append', items, counts: this.record.countList(), header, loaded: this.record.loaded, total: this.record.total, hasMore: this.hasMore });
    } finally {
      this.post({ type: 'busy', busy: false });
    }
  }
}
