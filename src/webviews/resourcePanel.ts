import type * as vscode from 'vscode';
import { ViewTypes } from '../constants';
import type { Environment, FhirVersion } from '../core/environments';
import type { Resource } from '../core/fhir/types';
import type { ResourceRequest, ResourceUpdate } from '../core/webviewProtocol/resource';
import { parseResourceRequest } from '../core/webviewProtocol/resource';
import type { Services } from '../host/services';
import type { AppUser, WebviewDeps } from './deps';
import { DetailNavigator } from './detailNavigator';
import { PanelHost } from './panelHost';
import type { Restore } from './restore/descriptor';
import { restoreUser } from './restore/descriptor';

export interface ResourceSource {
  version: FhirVersion;
  /** the environment it was read from; undefined for a workspace file */
  environment?: Environment;
  user?: AppUser;
  /** the workspace file it was read from */
  file?: vscode.Uri;
}

export interface ResourcePanelHooks {
  openPatientRecord(patientId: string, version: FhirVersion, user?: AppUser): Promise<void>;
}

/** One resource in full: narrative, every field, raw JSON; its references open in place. */
export class ResourcePanel extends PanelHost<ResourceRequest, ResourceUpdate> {
  private readonly detail: DetailNavigator;

  constructor(s: Services, deps: WebviewDeps, private readonly hooks: ResourcePanelHooks, resource: Resource, private readonly source: ResourceSource, panel?: vscode.WebviewPanel) {
    super(s, { viewType: ViewTypes.resource, title: titleOf(resource), script: 'resource', styles: ['viewer.css'], panel, restore: restoreOf(source, resource) }, parseResourceRequest);
    this.detail = new DetailNavigator({
      version: source.version,
      environment: source.environment,
      user: source.user,
      file: source.file?.toString(),
      resource: () => undefined,
      entries: () => new Map(),
      listFromServer: !!source.environment,
    }, deps, (u) => this.post(u), () => s.environments.active(), s);
    this.detail.showResource(resource, !!source.environment);
  }

  protected onReady(): void {
    this.detail.repost();
  }

  protected showError(message: string): void {
    this.post({ type: 'busy', busy: false });
    this.post({ type: 'error', message });
  }

  protected async onMessage(m: ResourceRequest): Promise<void> {
    if (m.type === 'ready') return;
    if (m.type === 'openPatientRecord') {
      const r = this.detail.resource;
      if (r?.resourceType === 'Patient' && typeof r.id === 'string') {
        this.detail.requireEnvironment();
        await this.hooks.openPatientRecord(r.id, this.source.version, this.source.user);
      }
      return;
    }
    if (m.type === 'closeDetail') return;
    await this.detail.handle(m, () => this.nextSignal());
    const r = this.detail.resource;
    if (r) this.panel.title = titleOf(r);
  }
}

function titleOf(r: Resource): string {
  return typeof r.id === 'string' ? `${r.resourceType}/${r.id}` : r.resourceType;
}

/** A resource read from the server is read again after a reload; one from a file, from its file. */
function restoreOf(source: ResourceSource, r: Resource): Restore | undefined {
  if (source.file) return { kind: 'file', uri: source.file.toString(), version: source.version };
  if (source.environment && typeof r.id === 'string' && /^[A-Za-z0-9\-.]{1,64}$/.test(r.id)) {
    return { kind: 'resource', env: source.environment.name, version: source.version, user: restoreUser(source.user), type: r.resourceType, id: r.id };
  }
  return undefined;
}
