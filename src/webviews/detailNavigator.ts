import * as vscode from 'vscode';
import type { Environment, FhirVersion } from '../core/environments';
import { InputError } from '../core/errors';
import type { Resource } from '../core/fhir/types';
import type { CommonUpdate, DetailRequest } from '../core/webviewProtocol/common';
import { loadLazy } from '../host/lazy';
import type * as Render from '../lazy/render';
import type { FoundAttachment } from '../core/render/attachments';
import type { Services } from '../host/services';
import { openAttachment } from './attachments';
import type { AppUser, WebviewDeps } from './deps';
import { openJsonDocument } from './jsonDocuments';

interface Shown {
  resource: Resource;
  key?: number;
  fromServer: boolean;
  /** a contained resource (no address of its own: what it holds cannot be found again after a reload) */
  contained?: boolean;
  references: string[];
  attachments?: FoundAttachment[];
}

/** Where the resources a detail pane shows come from. */
export interface DetailSource {
  version: FhirVersion;
  /** the environment the resources were read from; undefined for a workspace file */
  environment?: Environment;
  user?: AppUser;
  /** the page's (or record's) resources by key, and their index by fullUrl and Type/id */
  resource(key: number): Resource | undefined;
  entries(): Map<string, number>;
  /** whether resources from the list itself are the server's (can be opened as the server's JSON) */
  listFromServer: boolean;
  /** the workspace file (URI) the list's resources were read from, if one file holds them all */
  file?: string;
}

/**
 * The detail pane's navigation, shared by every panel with one: opening an entry, following
 * references (within the page, into contained resources, or read from the server), going back,
 * and "Open JSON".
 */
export class DetailNavigator {
  private current: Shown | undefined;
  private history: Shown[] = [];

  constructor(
    private readonly source: DetailSource,
    private readonly deps: WebviewDeps,
    private readonly post: (u: CommonUpdate) => void,
    private readonly activeEnvironment: () => Environment | undefined,
    /** for attachments (their panel, their files); without it they cannot be opened */
    private readonly services?: Services,
  ) {}

  get resource(): Resource | undefined {
    return this.current?.resource;
  }

  showEntry(key: number): void {
    const resource = this.source.resource(key);
    if (!resource) return;
    this.history = [];
    this.show({ resource, key, fromServer: this.source.listFromServer, references: [] });
  }

  /** Shows a resource on its own (the resource panel), or after following a reference. */
  showResource(resource: Resource, fromServer: boolean, push = false): void {
    if (push && this.current) this.history.push(this.current);
    this.show({ resource, fromServer, references: [] });
  }

  /** Posts the current detail again (after the webview was rebuilt). */
  repost(): void {
    if (this.current) this.show(this.current);
  }

  clear(): void {
    this.current = undefined;
    this.history = [];
  }

  async handle(m: DetailRequest, signal: () => AbortSignal): Promise<void> {
    switch (m.type) {
      case 'openReference': return this.follow(m.index, signal);
      case 'back': {
        const previous = this.history.pop();
        if (previous) this.show(previous);
        return;
      }
      case 'closeDetail': return this.clear();
      case 'openJson': return this.openJson();
      case 'openPatientRecord': return undefined;
      case 'openAttachment': return this.openAttachment(m.index, m.save, signal);
    }
  }

  private show(s: Shown): void {
    const render = loadLazy<typeof Render>('render');
    const entries = this.source.entries();
    const describeReference = (reference: string) => {
      const key = entries.get(reference);
      const target = key === undefined ? undefined : this.source.resource(key);
      return target ? render.describeResource(target) : undefined;
    };
    const { view, references, attachments } = render.detailView(s.resource, { key: s.key, canGoBack: this.history.length > 0, fromServer: s.fromServer, describeReference });
    this.current = { ...s, references, attachments };
    this.post({ type: 'detail', detail: view });
  }

  /** The environment server calls go to: the one the data came from, and only while it is active. */
  requireEnvironment(): Environment {
    const env = this.source.environment ?? this.activeEnvironment();
    const active = this.activeEnvironment();
    if (!env || !active || active.name !== env.name) {
      throw new InputError(env ? vscode.l10n.t('This view shows data from "{0}": select that environment again to read more from it.', env.name) : vscode.l10n.t('Select an environment to read resources from the server.'));
    }
    return env;
  }

  private async follow(index: number, signal: () => AbortSignal): Promise<void> {
    const current = this.current;
    const reference = current?.references[index];
    if (!current || reference === undefined) return;
    const render = loadLazy<typeof Render>('render');
    const env = this.source.environment ?? this.activeEnvironment();
    const target = render.resolveReference(reference, {
      version: this.source.version,
      entries: this.source.entries(),
      current: current.resource,
      fhirBase: env ? `${env.fhirUrl.replace(/\/+$/, '')}/${this.source.version}` : undefined,
    });
    switch (target.kind) {
      case 'entry': {
        const resource = this.source.resource(target.key);
        if (resource) {
          this.history.push(current);
          this.show({ resource, key: target.key, fromServer: this.source.listFromServer, references: [] });
        }
        return;
      }
      case 'contained':
        this.history.push(current);
        this.show({ resource: target.resource, fromServer: false, contained: true, references: [] });
        return;
      case 'remote': {
        this.requireEnvironment();
        this.post({ type: 'busy', busy: true, message: vscode.l10n.t('Reading {0}…', `${target.type}/${target.id}`) });
        try {
          const resource = await this.deps.readResource(this.source.version, target.type, target.id, signal(), this.source.user);
          this.history.push(current);
          this.show({ resource, fromServer: true, references: [] });
        } finally {
          this.post({ type: 'busy', busy: false });
        }
        return;
      }
      case 'unresolvable':
        throw new InputError(vscode.l10n.t('Cannot open {0}: {1}', reference, target.reason));
    }
  }

  private async openAttachment(index: number, save: boolean, signal: () => AbortSignal): Promise<void> {
    const c = this.current;
    const found = c?.attachments?.[index];
    if (!c || !found || !this.services) return;
    const env = this.source.environment ?? this.activeEnvironment();
    const id = typeof c.resource.id === 'string' ? c.resource.id : undefined;
    // where the resource can be read again after a reload (for an attachment panel to come back)
    const origin = !id || c.contained ? undefined : c.fromServer ? (env ? { env: env.name } : undefined) : this.source.file ? { file: this.source.file } : undefined;
    await openAttachment(this.services, found, c.resource, save, {
      version: this.source.version,
      environment: env,
      origin,
      user: this.source.user,
      deps: this.deps,
      requireEnvironment: () => this.requireEnvironment(),
      signal: signal(),
      busy: (message) => this.post({ type: 'busy', busy: !!message, message }),
    });
  }

  private async openJson(): Promise<void> {
    const c = this.current;
    if (!c) return;
    if (c.fromServer && typeof c.resource.id === 'string') {
      this.requireEnvironment();
      await this.deps.openResourceJson(this.source.version, c.resource.resourceType, c.resource.id, this.source.user);
      return;
    }
    // a contained resource, or one from a file: read-only JSON (closing it asks nothing)
    await openJsonDocument(typeof c.resource.id === 'string' ? `${c.resource.resourceType} ${c.resource.id}` : c.resource.resourceType, c.resource);
  }
}
