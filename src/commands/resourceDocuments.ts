import * as vscode from 'vscode';
import type { FhirVersion } from '../core/environments';
import { isFhirVersion } from '../core/environments';
import type { Resource } from '../core/fhir/types';

export const RESOURCE_SCHEME = 'oneup';
// U+2215 DIVISION SLASH: the tab title reads "Patient/123" although a title cannot hold a path separator
const SEP = '\u2215';

export interface ResourceRef {
  environment: string;
  version: FhirVersion;
  type: string;
  id: string;
}

/** `oneup:/<environment>/<version>/<Type>∕<id>` — a read-only, formatted JSON view of one resource. */
export function resourceUri(ref: ResourceRef): vscode.Uri {
  return vscode.Uri.from({ scheme: RESOURCE_SCHEME, path: `/${encodeURIComponent(ref.environment)}/${ref.version}/${ref.type}${SEP}${ref.id}` });
}

export function parseResourceUri(uri: vscode.Uri): ResourceRef | undefined {
  const m = /^\/([^/]+)\/([^/]+)\/([A-Za-z]+)\u2215([A-Za-z0-9\-.]{1,64})$/.exec(uri.path);
  if (!m || !isFhirVersion(m[2])) return undefined;
  return { environment: decodeURIComponent(m[1]), version: m[2], type: m[3], id: m[4] };
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
    if (!ref) return `// not a 1upHealth resource address: ${uri.toString()}`;
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

/** Registers the `oneup:` scheme, reading from the environment the address names (it must be the active one). */
export function registerResourceDocuments(s: import('../host/services').Services): ResourceDocumentProvider {
  const provider = new ResourceDocumentProvider(async (ref, signal) => {
    const env = s.clients.environment();
    if (env.name !== ref.environment) throw new Error(`This resource belongs to the environment "${ref.environment}"; select it to read it again.`);
    const client = s.clients.get();
    return client.fhir(ref.version, s.clients.api.asApp()).read(ref.type, ref.id, signal);
  });
  s.context.subscriptions.push(provider, vscode.workspace.registerTextDocumentContentProvider(RESOURCE_SCHEME, provider));
  return provider;
}
