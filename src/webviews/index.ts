import * as vscode from 'vscode';
import { Walkthrough } from '../constants';
import type { Environment, FhirVersion } from '../core/environments';
import { isFhirVersion } from '../core/environments';
import { InputError } from '../core/errors';
import { formatSearchQuery, type SearchQuery } from '../core/fhir/searchQuery';
import type { Bundle, Resource } from '../core/fhir/types';
import type { HealthSystemSummary } from '../core/webviewProtocol/common';
import type { Command } from '../host/commands';
import { withCancellableProgress } from '../host/commands';
import { loadLazy } from '../host/lazy';
import type { Services } from '../host/services';
import { completeWalkthroughStep } from '../host/walkthrough';
import type * as Render from '../lazy/render';
import { BundleViewerPanel } from './bundleViewer';
import { WebviewCommands } from './commandIds';
import { ConnectPanel } from './connectPage';
import { ExploreViews } from './explore';
import type { AppUser, EverythingTarget, WebviewDeps } from './deps';
import { fileName, isNdjson, readText, targetUri } from './files';
import { HealthSystemSearchPanel } from './healthSystemSearch';
import { registerJsonDocuments } from './jsonDocuments';
import { PatientRecordPanel } from './patientRecord';
import { pickUser, resourceRefFromArgs, userFromArgs, versionFromArgs } from './pickers';
import { ResourcePanel } from './resourcePanel';

export { WebviewCommands } from './commandIds';
export type { AppUser, ConnectInfo, EverythingTarget, WebviewDeps } from './deps';

/** A user as callers name one; the app user id defaults to the 1up user id. */
export interface UserRef {
  oneupUserId: string;
  appUserId?: string;
}

/**
 * What other features (commands, trees) use to show things in the webviews (it satisfies
 * commands/viewers.ts `Viewers`).
 */
export interface WebviewsApi {
  /** A Bundle from the server (a search result, an `$everything` page) in a new viewer; `search` is the search that answered it. */
  showBundle(bundle: Bundle, o: { title: string; version: FhirVersion; user?: UserRef; search?: SearchQuery }): void;
  /** A patient's record: `$everything`, paged as the user scrolls. */
  showPatientRecord(o: { version: FhirVersion; user?: UserRef; patientId?: string }): void;
  /** The Connect page of one user, optionally going straight to one health system. */
  openConnectPage(o: { user: UserRef; systemId?: string; systemName?: string }): Promise<void>;
  /** The health system search, optionally starting with a query. */
  openProviderSearch(o: { query?: string }): void;
  /** A workspace file: a JSON Bundle or resource, or an NDJSON export. */
  openFile(uri: vscode.Uri, version?: FhirVersion): Promise<void>;
  /** A resource already read from the server. */
  showResource(resource: Resource, o: { version: FhirVersion; user?: UserRef }): void;
}

function appUser(u: UserRef | undefined): AppUser | undefined {
  return u ? { oneupUserId: u.oneupUserId, appUserId: u.appUserId ?? u.oneupUserId } : undefined;
}

/** Keeps one panel per key (revealed again rather than opened twice); forgets closed ones. */
class Panels implements vscode.Disposable {
  private readonly open = new Map<string, { panel: vscode.WebviewPanel; dispose(): void }>();

  get<P extends { panel: vscode.WebviewPanel; dispose(): void }>(key: string, create: () => P): { panel: P; created: boolean } {
    const existing = this.open.get(key) as P | undefined;
    if (existing) {
      existing.panel.reveal();
      return { panel: existing, created: false };
    }
    const panel = create();
    this.open.set(key, panel);
    panel.panel.onDidDispose(() => { if (this.open.get(key) === panel) this.open.delete(key); });
    return { panel, created: true };
  }

  dispose(): void {
    for (const p of [...this.open.values()]) p.dispose();
    this.open.clear();
  }
}

/**
 * The webviews (bundle viewer, resource detail, patient record, Connect page, health system
 * search): their commands, and an API for the other features. The renderers load lazily, on
 * first use.
 */
export function registerWebviews(s: Services, deps: WebviewDeps): { commands: Command[]; api: WebviewsApi } {
  const panels = new Panels();
  const explore = new ExploreViews(s, deps);
  s.context.subscriptions.push(panels, explore);
  registerJsonDocuments(s.context);
  let opened = 0;
  const unique = (kind: string) => `${kind}:${++opened}`;

  const requireEnvironment = (): Environment => {
    const env = s.environments.active();
    if (!env) throw new InputError('Select an environment first (and start the local sandbox if that is the one you use).');
    return env;
  };

  const openPatientRecord = async (patientId: string, version: FhirVersion, user?: AppUser) => api.showPatientRecord({ patientId, version, user });
  const search = async (query: SearchQuery, version: FhirVersion, user?: AppUser) => {
    const bundle = await withCancellableProgress(`Searching ${query.type}…`, (signal) => deps.search(version, query, signal, user));
    api.showBundle(bundle, { title: formatSearchQuery(query), version, user, search: query });
  };
  const connectUser = async (system: HealthSystemSummary) => {
    const user = await pickUser(deps, `Connect ${system.name}`);
    await api.openConnectPage({ user, systemId: system.id, systemName: system.name });
  };

  const api: WebviewsApi = {
    showBundle(bundle, o) {
      const environment = requireEnvironment();
      panels.get(unique('bundle'), () => new BundleViewerPanel(s, deps, { openPatientRecord, search }, bundle, o.title, { kind: 'server', environment, version: o.version, user: appUser(o.user), search: o.search }));
    },

    async openFile(uri, version) {
      // an NDJSON file on disk opens in the any-size viewer (an unsaved editor's text goes the old way)
      if (isNdjson(uri) && uri.scheme === 'file' && !vscode.workspace.textDocuments.some((d) => d.uri.toString() === uri.toString() && d.isDirty)) {
        await explore.openNdjson(uri, version);
        return;
      }
      const render = loadLazy<typeof Render>('render');
      const text = await readText(uri);
      let parsed: ReturnType<typeof Render.parseFhirFile>;
      try {
        parsed = render.parseFhirFile(text, isNdjson(uri));
      } catch (e) {
        throw new InputError(`${fileName(uri)} cannot be shown: ${e instanceof Error ? e.message : String(e)}`);
      }
      const resources = parsed.bundle ? (parsed.bundle.entry ?? []).map((e) => e.resource).filter((r): r is Resource => !!r) : [parsed.resource as Resource];
      const v = version ?? render.guessFhirVersion(resources) ?? s.environments.active()?.fhirVersion ?? 'r4';
      if (parsed.resource) {
        const resource = parsed.resource;
        panels.get(unique('resource'), () => new ResourcePanel(s, deps, { openPatientRecord }, resource, { version: v }));
        return;
      }
      const bundle = parsed.bundle as Bundle;
      const notice = parsed.badLines ? `${parsed.badLines} line${parsed.badLines === 1 ? ' was' : 's were'} not FHIR resources and are left out (the first is line ${parsed.firstBadLine}).` : undefined;
      const { panel, created } = panels.get(`file:${uri.toString()}`, () => new BundleViewerPanel(s, deps, { openPatientRecord, search }, bundle, fileName(uri), { kind: 'file', uri, version: v, notice }));
      if (!created) panel.update(bundle, fileName(uri));
    },

    showResource(resource, o) {
      const environment = requireEnvironment();
      panels.get(unique('resource'), () => new ResourcePanel(s, deps, { openPatientRecord }, resource, { version: o.version, environment, user: appUser(o.user) }));
    },

    showPatientRecord(o) {
      const environment = requireEnvironment();
      completeWalkthroughStep(Walkthrough.steps.browse);
      if (o.patientId !== undefined && !/^[A-Za-z0-9\-.]{1,64}$/.test(o.patientId)) throw new InputError(`"${o.patientId}" is not a FHIR resource id.`);
      const target: EverythingTarget = { version: o.version, user: appUser(o.user), patientId: o.patientId };
      const key = `record:${environment.name}:${target.version}:${target.patientId ?? ''}:${target.user?.oneupUserId ?? ''}`;
      panels.get(key, () => new PatientRecordPanel(s, deps, target, environment));
    },

    async openConnectPage(o) {
      const environment = requireEnvironment();
      completeWalkthroughStep(Walkthrough.steps.connectSystem);
      const user = appUser(o.user) as AppUser;
      const { panel } = panels.get(`connect:${environment.name}:${user.oneupUserId}`, () => new ConnectPanel(s, deps, user, environment));
      if (o.systemId) await panel.connectSystem(o.systemId, o.systemName);
    },

    openProviderSearch(o) {
      const environment = requireEnvironment();
      const { panel, created } = panels.get(`search:${environment.name}`, () => new HealthSystemSearchPanel(s, deps, { connectUser }, environment, o.query));
      if (!created && o.query !== undefined) panel.setQuery(o.query);
    },
  };

  const commands: Command[] = [
    ...explore.commands,
    {
      id: WebviewCommands.openInViewer,
      run: async (args) => {
        const uri = targetUri(args);
        if (!uri) throw new InputError('Open a .json or .ndjson file first, or choose one in the Explorer.');
        const v = typeof args === 'object' && args !== null && isFhirVersion((args as { version?: unknown }).version) ? (args as { version: FhirVersion }).version : undefined;
        await api.openFile(uri, v);
      },
    },
    {
      id: WebviewCommands.viewResource,
      run: async (args) => {
        const env = requireEnvironment();
        const ref = await resourceRefFromArgs(args, env.fhirVersion);
        const user = userFromArgs(args);
        const resource = await withCancellableProgress(`Reading ${ref.type}/${ref.id}…`, (signal) => deps.readResource(ref.version, ref.type, ref.id, signal, user));
        api.showResource(resource, { version: ref.version, user });
      },
    },
    {
      id: WebviewCommands.openPatientRecord,
      run: async (args) => {
        const env = requireEnvironment();
        const a = (typeof args === 'object' && args !== null ? args : {}) as Record<string, unknown>;
        const patientId = typeof a.patientId === 'string' && /^[A-Za-z0-9\-.]{1,64}$/.test(a.patientId) ? a.patientId : undefined;
        const user = userFromArgs(args) ?? (patientId ? undefined : await pickUser(deps, 'Open Patient Record'));
        api.showPatientRecord({ version: versionFromArgs(args, env.fhirVersion), user, patientId });
      },
    },
    {
      id: WebviewCommands.openConnectPage,
      run: async (args) => {
        requireEnvironment();
        const user = userFromArgs(args) ?? await pickUser(deps, 'Open Connect Page');
        const systemId = typeof args === 'object' && args !== null && typeof (args as { systemId?: unknown }).systemId === 'string' ? (args as { systemId: string }).systemId : undefined;
        await api.openConnectPage({ user, systemId });
      },
    },
    {
      id: WebviewCommands.searchHealthSystems,
      run: (args) => {
        const query = typeof args === 'object' && args !== null ? (args as { query?: unknown }).query : undefined;
        api.openProviderSearch({ query: typeof query === 'string' ? query : undefined });
      },
    },
  ];

  return { commands, api };
}
