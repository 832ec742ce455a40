import * as fs from 'node:fs';
import * as vscode from 'vscode';
import type { Environment, FhirVersion } from '../../core/environments';
import { SANDBOX_ENVIRONMENT_NAME } from '../../core/environments';
import type { Bundle, Resource } from '../../core/fhir/types';
import type { HealthSystemSummary } from '../../core/webviewProtocol/common';
import type { Json } from '../../core/render/format';
import { loadLazy } from '../../host/lazy';
import type { Services } from '../../host/services';
import type * as Render from '../../lazy/render';
import type { Content } from '../attachments';
import { readAttachment } from '../attachments';
import type { BundleSource } from '../bundleViewer';
import type { AppUser, ConnectInfo, EverythingTarget, WebviewDeps } from '../deps';
import { readFhirFile } from '../fhirFile';
import type { ResourceSource } from '../resourcePanel';
import type { Restore } from './descriptor';
import type { Reopen } from './restorePanel';
import { SourceGone } from './restorePanel';

/** Builds each kind of panel in a webview panel VS Code restored (index.ts and explore.ts own the panels). */
export interface ReopenTargets {
  bundle(panel: vscode.WebviewPanel, bundle: Bundle, title: string, source: BundleSource): void;
  resource(panel: vscode.WebviewPanel, resource: Resource, source: ResourceSource): void;
  record(panel: vscode.WebviewPanel, target: EverythingTarget, environment: Environment, firstPage: Bundle): void;
  connect(panel: vscode.WebviewPanel, user: AppUser, environment: Environment, info: ConnectInfo): void;
  healthSystems(panel: vscode.WebviewPanel, environment: Environment, all: HealthSystemSummary[]): void;
  ndjson(panel: vscode.WebviewPanel, uri: vscode.Uri, version: FhirVersion | undefined, filter: string | undefined): Promise<void>;
  exportSummary(panel: vscode.WebviewPanel, folder: string): Promise<void>;
  exportRecord(panel: vscode.WebviewPanel, folder: string, patientId: string, version: FhirVersion | undefined): Promise<void>;
  attachment(panel: vscode.WebviewPanel, content: Content, html: string, restore: Restore): void;
}

/**
 * The environment a restored panel reads from, when it is the active one; otherwise why not,
 * with what fixes it (the restore page tries again when the environments change).
 */
export function activeEnvironmentNamed(s: Services, name: string): Environment {
  const active = s.environments.active();
  if (active?.name === name) return active;
  const waitForEnvironment = true;
  if (name === SANDBOX_ENVIRONMENT_NAME && !s.environments.sandboxEnvironment) {
    throw new SourceGone(vscode.l10n.t('This panel shows data from the local sandbox, which is not running. Start it to reopen the panel.'), {
      retry: true, waitForEnvironment, fix: { id: 'startSandbox', label: vscode.l10n.t('Start Local Sandbox') },
    });
  }
  if (!s.environments.all().has(name)) {
    throw new SourceGone(vscode.l10n.t('This panel shows data from "{0}", which is no longer one of your environments (setting oneup.environments).', name), { retry: true, waitForEnvironment });
  }
  throw new SourceGone(vscode.l10n.t('This panel shows data from "{0}", but "{1}" is the active environment. Select "{0}" to reopen the panel.', name, s.environments.activeName()), {
    retry: true, waitForEnvironment, fix: { id: 'selectEnvironment', label: vscode.l10n.t('Select {0}', name) },
  });
}

async function requireFile(uri: vscode.Uri): Promise<void> {
  try {
    await vscode.workspace.fs.stat(uri);
  } catch (e) {
    if (e instanceof vscode.FileSystemError && e.code === 'FileNotFound') {
      throw new SourceGone(vscode.l10n.t('{0} no longer exists: it was moved or deleted.', uri.scheme === 'file' ? uri.fsPath : uri.toString(true)));
    }
    throw e;
  }
}

async function requireFolder(folder: string): Promise<void> {
  const stat = await fs.promises.stat(folder).catch(() => undefined);
  if (!stat?.isDirectory()) throw new SourceGone(vscode.l10n.t('The export folder {0} no longer exists: it was moved or deleted.', folder));
}

/** The resource an attachment belongs to, read again from its server or its file. */
async function attachmentResource(s: Services, deps: WebviewDeps, r: Extract<Restore, { kind: 'attachment' }>, signal: AbortSignal): Promise<{ resource: Resource; environment?: Environment }> {
  if (r.env) {
    const environment = activeEnvironmentNamed(s, r.env);
    return { resource: await deps.readResource(r.version, r.type, r.id, signal, r.user), environment };
  }
  const uri = vscode.Uri.parse(r.file ?? '', true);
  await requireFile(uri);
  const file = await readFhirFile(uri, r.version, r.version);
  const all = file.kind === 'resource' ? [file.resource] : (file.bundle.entry ?? []).map((e) => e.resource);
  const resource = all.find((x): x is Resource => !!x && x.resourceType === r.type && x.id === r.id);
  if (!resource) throw new SourceGone(vscode.l10n.t('{0} is no longer in {1}.', `${r.type}/${r.id}`, uri.fsPath));
  return { resource, environment: s.environments.active() };
}

/**
 * How each kind of panel comes back: what must be fresh is read again (the search, `$everything`,
 * a token for the Connect page, the health systems), files are checked and read again; a source
 * that is gone becomes a SourceGone the restore page shows.
 */
export function reopener(s: Services, deps: WebviewDeps, targets: ReopenTargets): (saved: Record<string, unknown>) => Reopen {
  const fallbackVersion = (): FhirVersion => s.environments.active()?.fhirVersion ?? 'r4';
  return (saved) => async (r, signal) => {
    switch (r.kind) {
      case 'search': {
        const environment = activeEnvironmentNamed(s, r.env);
        const bundle = await deps.search(r.version, r.search, signal, r.user);
        return (panel) => targets.bundle(panel, bundle, r.title, { kind: 'server', environment, version: r.version, user: r.user, search: r.search });
      }
      case 'page': {
        const environment = activeEnvironmentNamed(s, r.env);
        const bundle = await deps.fetchBundleLink(r.url, signal, r.user);
        return (panel) => targets.bundle(panel, bundle, r.title, { kind: 'server', environment, version: r.version, user: r.user });
      }
      case 'file': {
        const uri = vscode.Uri.parse(r.uri, true);
        await requireFile(uri);
        const file = await readFhirFile(uri, r.version, fallbackVersion());
        const title = uri.path.split('/').pop() || uri.path;
        if (file.kind === 'resource') return (panel) => targets.resource(panel, file.resource, { version: file.version, file: uri });
        return (panel) => targets.bundle(panel, file.bundle, title, { kind: 'file', uri, version: file.version, notice: file.notice });
      }
      case 'resource': {
        const environment = activeEnvironmentNamed(s, r.env);
        const resource = await deps.readResource(r.version, r.type, r.id, signal, r.user);
        return (panel) => targets.resource(panel, resource, { version: r.version, environment, user: r.user });
      }
      case 'record': {
        const environment = activeEnvironmentNamed(s, r.env);
        const target: EverythingTarget = { version: r.version, user: r.user, patientId: r.patientId };
        const firstPage = await deps.everythingPage(target, undefined, signal);
        return (panel) => targets.record(panel, target, environment, firstPage);
      }
      case 'connect': {
        const environment = activeEnvironmentNamed(s, r.env);
        const info = await deps.connectInfo(r.user, signal);
        return (panel) => targets.connect(panel, r.user, environment, info);
      }
      case 'healthSystems': {
        const environment = activeEnvironmentNamed(s, r.env);
        const all = await deps.listHealthSystems(signal);
        return (panel) => targets.healthSystems(panel, environment, all);
      }
      case 'ndjson': {
        const uri = vscode.Uri.file(r.path);
        await requireFile(uri);
        const filter = typeof saved.filter === 'string' && saved.filter.trim() && saved.filter.length <= 10_000 ? saved.filter.trim() : undefined;
        return (panel) => void targets.ndjson(panel, uri, r.version, filter);
      }
      case 'exportSummary':
        await requireFolder(r.folder);
        return (panel) => void targets.exportSummary(panel, r.folder);
      case 'exportRecord':
        await requireFolder(r.folder);
        return (panel) => void targets.exportRecord(panel, r.folder, r.patientId, r.version);
      case 'attachment': {
        const { resource, environment } = await attachmentResource(s, deps, r, signal);
        const render = loadLazy<typeof Render>('render');
        const found = render.findAttachments(resource as Json).find((a) => a.path === r.path);
        if (!found) throw new SourceGone(vscode.l10n.t('{0} no longer has the attachment "{1}".', `${r.type}/${r.id}`, r.title));
        const content = await readAttachment(found, resource, {
          version: r.version, environment, user: r.user, deps, signal, busy: () => undefined,
          requireEnvironment: () => (r.env ? activeEnvironmentNamed(s, r.env) : environment ?? activeEnvironmentNamed(s, s.environments.activeName())),
        });
        if (!content) throw new SourceGone(vscode.l10n.t('"{0}" cannot be read again.', r.title), { retry: false });
        if (render.contentKind(content.contentType) !== 'HTML') throw new SourceGone(vscode.l10n.t('"{0}" is no longer an HTML document.', r.title), { retry: false });
        const html = render.decodeText(content.bytes, content.contentType);
        return (panel) => targets.attachment(panel, content, html, r);
      }
    }
  };
}

