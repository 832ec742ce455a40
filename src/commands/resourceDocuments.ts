import * as vscode from 'vscode';
import { Views } from '../constants';
import type { FhirVersion } from '../core/environments';
import { isFhirVersion } from '../core/environments';
import type { Resource } from '../core/fhir/types';
import type { Services } from '../host/services';
import { fhirAs } from '../host/acting';

export const RESOURCE_SCHEME = 'oneup';
// U+2215 DIVISION SLASH: the tab title reads "Patient/123" although a title cannot hold a path separator
const SEP = '\u2215';
const USER_ID = /^[A-Za-z0-9._:@-]{1,200}$/;

export interface ResourceRef {
  environment: string;
  version: FhirVersion;
  type: string;
  id: string;
  /** Read as this app user (their token): a resource opened from a user's data; absent: as the app. */
  oneupUserId?: string;
}

/**
 * `oneup:/<environment>/<version>/<Type>∕<id>[?user=<oneup_user_id>]` — a read-only, formatted
 * JSON view of one resource, read again as the user it was opened for (the query keeps the tab
 * title "Type∕id").
 */
export function resourceUri(ref: ResourceRef): vscode.Uri {
  return vscode.Uri.from({
    scheme: RESOURCE_SCHEME,
    path: `/${encodeURIComponent(ref.environment)}/${ref.version}/${ref.type}${SEP}${ref.id}`,
    query: ref.oneupUserId ? new URLSearchParams({ user: ref.oneupUserId }).toString() : undefined,
  });
}

export function parseResourceUri(uri: vscode.Uri): ResourceRef | undefined {
  const m = /^\/([^/]+)\/([^/]+)\/([A-Za-z]+)\u2215([A-Za-z0-9\-.]{1,64})$/.exec(uri.path);
  if (!m || !isFhirVersion(m[2])) return undefined;
  const user = new URLSearchParams(uri.query).get('user') ?? undefined;
  if (user !== undefined && !USER_ID.test(user)) return undefined;
  return { environment: decodeURIComponent(m[1]), version: m[2], type: m[3], id: m[4], ...(user ? { oneupUserId: user } : {}) };
}

/**
 * Serves `oneup:` documents from the server. Documents are read-only (a content provider has no
 * save); re-reading happens when VS Code asks again or on refresh.
 */
export class ResourceDocumentProvider implements vscode.TextDocumentContentProvider {
  private readonly changed = new vscode.EventEmitter<vscode.Uri>();
  readonly onDidChange = this.changed.event;

  constructor(private readonly read: (ref: ResourceRef, signal: AbortSignal) => Promise<Resource>) {}

  async provideTextDocumentContent(uri: vscode.Uri, token: vscode.CancellationToken): Promise<string> {
    const ref = parseResourceUri(uri);
    if (!ref) return `// ${vscode.l10n.t('not a 1upHealth resource address: {0}', uri.toString())}`;
    const controller = new AbortController();
    const sub = token.onCancellationRequested(() => controller.abort());
    try {
      const resource = await this.read(ref, controller.signal);
      return JSON.stringify(resource, null, 2) + '\n';
    } finally {
      sub.dispose();
    }
  }

  refresh(uri: vscode.Uri): void {
    this.changed.fire(uri);
  }

  /** Reads every open `oneup:` document again (VS Code asks for the content anew). */
  refreshOpen(): void {
    for (const doc of vscode.workspace.textDocuments) {
      if (doc.uri.scheme === RESOURCE_SCHEME && !doc.isClosed) this.refresh(doc.uri);
    }
  }

  dispose(): void {
    this.changed.dispose();
  }
}

/** Opens a resource as read-only JSON in an editor. */
export async function openResourceDocument(ref: ResourceRef, options: { preview?: boolean } = {}): Promise<vscode.TextEditor> {
  const doc = await vscode.workspace.openTextDocument(resourceUri(ref));
  const json = doc.languageId === 'json' ? doc : await vscode.languages.setTextDocumentLanguage(doc, 'json');
  return vscode.window.showTextDocument(json, { preview: options.preview ?? true });
}

/**
 * Registers the `oneup:` scheme, reading from the environment the address names (it must be the
 * active one) as the user it names. Open documents are read again on Refresh (and whenever a
 * command refreshes the users or resources views), as the data behind them may have changed.
 */
export function registerResourceDocuments(s: Services): ResourceDocumentProvider {
  const provider = new ResourceDocumentProvider(async (ref, signal) => {
    const env = s.clients.environment();
    if (env.name !== ref.environment) throw new Error(vscode.l10n.t('This resource belongs to the environment "{0}"; select it to read it again.', ref.environment));
    return fhirAs(s, ref.version, ref.oneupUserId ? { oneupUserId: ref.oneupUserId } : undefined).read(ref.type, ref.id, signal);
  });
  s.context.subscriptions.push(
    provider,
    vscode.workspace.registerTextDocumentContentProvider(RESOURCE_SCHEME, provider),
    s.refresh.event((view) => {
      if (!view || view === Views.users || view === Views.resources) provider.refreshOpen();
    }),
  );
  return provider;
}
