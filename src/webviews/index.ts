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
import type { Services } from '../host/services';
import { completeWalkthroughStep } from '../host/walkthrough';
import { BundleViewerPanel } from './bundleViewer';
import { WebviewCommands } from './commandIds';
import { ConnectPanel } from './connectPage';
import { ExploreViews } from './explore';
import type { AppUser, EverythingTarget, WebviewDeps } from './deps';
import { readFhirFile } from './fhirFile';
import { fileName, isNdjson, targetUri } from './files';
import { HealthSystemSearchPanel } from './healthSystemSearch';
import { registerJsonDocuments } from './jsonDocuments';
import { openPanels, type PanelInfo } from './panelHost';
import { Panels } from './panels';
import { PatientRecordPanel } from './patientRecord';
import { pickUser, resourceRefFromArgs, userFromArgs, versionFromArgs } from './pickers';
import { AttachmentPanel } from './attachments';
import { ResourcePanel } from './resourcePanel';
import { reopener } from './restore/reopen';
import { registerPanelSerializers } from './restore/serializers';

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
  /** The panels open now (those being restored after a reload included), for tests and diagnostics. */
  panels(): PanelInfo[];
}

function appUser(u: UserRef | undefined): AppUser | undefined {
  return u ? { oneupUserId: u.oneupUserId, appUserId: u.appUserId ?? u.oneupUserId } : undefined;
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
  // one panel per record, Connect page, search and file (shown again rather than opened twice)
  const keys = {
    record: (environment: Environment, t: EverythingTarget) => `record:${environment.name}:${t.version}:${t.patientId ?? ''}:${t.user?.oneupUserId ?? ''}`,
    connect: (environment: Environment, user: AppUser) => `connect:${environment.name}:${user.oneupUserId}`,
    search: (environment: Environment) => `search:${environment.name}`,
    file: (uri: vscode.Uri) => `file:${uri.toString()}`,
  };

  const requireEnvironment = (): Environment => {
    const env = s.environments.active();
    if (!env) throw new InputError(vscode.l10n.t('Select an environment first (and start the local sandbox if that is the one you use).'));
    return env;
  };

  const openPatientRecord = async (patientId: string, version: FhirVersion, user?: AppUser) => api.showPatientRecord({ patientId, version, user });
  const search = async (query: SearchQuery, version: FhirVersion, user?: AppUser) => {
    const bundle = await withCancellableProgress(vscode.l10n.t('Searching {0}…', query.type), (signal) => deps.search(version, query, signal, user));
    api.showBundle(bundle, { title: formatSearchQuery(query), version, user, search: query });
  };
  const connectUser = async (system: HealthSystemSummary) => {
    const user = await pickUser(deps, vscode.l10n.t('Connect {0}', system.name));
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
      const file = await readFhirFile(uri, version, s.environments.active()?.fhirVersion ?? 'r4');
      if (file.kind === 'resource') {
        panels.get(unique('resource'), () => new ResourcePanel(s, deps, { openPatientRecord }, file.resource, { version: file.version, file: uri }));
        return;
      }
      const { panel, created } = panels.get(keys.file(uri), () => new BundleViewerPanel(s, deps, { openPatientRecord, search }, file.bundle, fileName(uri), { kind: 'file', uri, version: file.version, notice: file.notice }));
      if (!created) panel.update(file.bundle, fileName(uri));
    },

    showResource(resource, o) {
      const environment = requireEnvironment();
      panels.get(unique('resource'), () => new ResourcePanel(s, deps, { openPatientRecord }, resource, { version: o.version, environment, user: appUser(o.user) }));
    },

    showPatientRecord(o) {
      const environment = requireEnvironment();
      completeWalkthroughStep(Walkthrough.steps.browse);
      if (o.patientId !== undefined && !/^[A-Za-z0-9\-.]{1,64}$/.test(o.patientId)) throw new InputError(vscode.l10n.t('"{0}" is not a FHIR resource id.', o.patientId));
      const target: EverythingTarget = { version: o.version, user: appUser(o.user), patientId: o.patientId };
      panels.get(keys.record(environment, target), () => new PatientRecordPanel(s, deps, target, environment));
    },

    async openConnectPage(o) {
      const environment = requireEnvironment();
      completeWalkthroughStep(Walkthrough.steps.connectSystem);
      const user = appUser(o.user) as AppUser;
      const { panel } = panels.get(keys.connect(environment, user), () => new ConnectPanel(s, deps, user, environment));
      if (o.systemId) await panel.connectSystem(o.systemId, o.systemName);
    },

    openProviderSearch(o) {
      const environment = requireEnvironment();
      const { panel, created } = panels.get(keys.search(environment), () => new HealthSystemSearchPanel(s, deps, { connectUser }, environment, o.query));
      if (!created && o.query !== undefined) panel.setQuery(o.query);
    },

    panels: openPanels,
  };

  // after a reload, each panel is built in the webview panel VS Code brought back, under its usual key
  registerPanelSerializers(s, reopener(s, deps, {
    bundle: (panel, bundle, title, source) => {
      const key = source.kind === 'file' ? keys.file(source.uri) : unique('bundle');
      panels.adopt(key, new BundleViewerPanel(s, deps, { openPatientRecord, search }, bundle, title, source, panel));
    },
    resource: (panel, resource, source) => panels.adopt(unique('resource'), new ResourcePanel(s, deps, { openPatientRecord }, resource, source, panel)),
    record: (panel, target, environment, firstPage) => panels.adopt(keys.record(environment, target), new PatientRecordPanel(s, deps, target, environment, { panel, firstPage })),
    connect: (panel, user, environment, info) => panels.adopt(keys.connect(environment, user), new ConnectPanel(s, deps, user, environment, { panel, info })),
    healthSystems: (panel, environment, all) => panels.adopt(keys.search(environment), new HealthSystemSearchPanel(s, deps, { connectUser }, environment, undefined, { panel, all })),
    ndjson: async (panel, uri, version, filter) => {
      const viewer = await explore.openNdjson(uri, version, panel);
      if (filter) await viewer.setFilter(filter).catch(() => undefined);
    },
    exportSummary: async (panel, folder) => { await explore.openSummary(folder, panel); },
    exportRecord: async (panel, folder, patientId, version) => { await explore.openPatient(folder, patientId, version, panel); },
    attachment: (panel, content, html, restore) => { new AttachmentPanel(s, content, html, { restore, panel }); },
  }));

  const commands: Command[] = [
    ...explore.commands,
    {
      id: WebviewCommands.openInViewer,
      run: async (args) => {
        const uri = targetUri(args);
        if (!uri) throw new InputError(vscode.l10n.t('Open a .json or .ndjson file first, or choose one in the Explorer.'));
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
        const resource = await withCancellableProgress(vscode.l10n.t('Reading {0}…', `${ref.type}/${ref.id}`), (signal) => deps.readResource(ref.version, ref.type, ref.id, signal, user));
        api.showResource(resource, { version: ref.version, user });
      },
    },
    {
      id: WebviewCommands.openPatientRecord,
      run: async (args) => {
        const env = requireEnvironment();
        const a = (typeof args === 'object' && args !== null ? args : {}) as Record<string, unknown>;
        const patientId = typeof a.patientId === 'string' && /^[A-Za-z0-9\-.]{1,64}$/.test(a.patientId) ? a.patientId : undefined;
        const user = userFromArgs(args) ?? (patientId ? undefined : await pickUser(deps, vscode.l10n.t('Open Patient Record')));
        api.showPatientRecord({ version: versionFromArgs(args, env.fhirVersion), user, patientId });
      },
    },
    {
      id: WebviewCommands.openConnectPage,
      run: async (args) => {
        requireEnvironment();
        const user = userFromArgs(args) ?? await pickUser(deps, vscode.l10n.t('Open Connect Page'));
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
