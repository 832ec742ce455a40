import * as vscode from 'vscode';

/** Read-only JSON documents of data that has no file or server address (a Bundle page, a contained resource). */
export const JSON_SCHEME = 'oneup-json';

/**
 * Serves `oneup-json:` documents from memory: opened read-only (a content provider has no save),
 * so closing one never asks to save an Untitled file. Each holds its text until it is closed.
 */
class JsonDocuments implements vscode.TextDocumentContentProvider {
  private readonly texts = new Map<string, string>();
  private next = 0;

  provideTextDocumentContent(uri: vscode.Uri): string {
    return this.texts.get(uri.query) ?? `// ${vscode.l10n.t('This document was closed; open it again from the viewer.')}\n`;
  }

  add(text: string): string {
    const key = `doc=${++this.next}`;
    this.texts.set(key, text);
    return key;
  }

  forget(uri: vscode.Uri): void {
    this.texts.delete(uri.query);
  }
}

// The one provider of the extension host, kept where every copy of this module finds it (the
// extension's bundle registers it; code compiled apart, such as the tests, opens through it).
const REGISTRY = Symbol.for('oneup.jsonDocuments');
const registry = globalThis as unknown as Record<symbol, JsonDocuments | undefined>;

/** Registers the `oneup-json:` scheme (once, from registerWebviews). */
export function registerJsonDocuments(context: vscode.ExtensionContext): void {
  const provider = new JsonDocuments();
  registry[REGISTRY] = provider;
  context.subscriptions.push(
    vscode.workspace.registerTextDocumentContentProvider(JSON_SCHEME, provider),
    vscode.workspace.onDidCloseTextDocument((doc) => { if (doc.uri.scheme === JSON_SCHEME) provider.forget(doc.uri); }),
    { dispose: () => { if (registry[REGISTRY] === provider) registry[REGISTRY] = undefined; } },
  );
}

/** Opens `value` as formatted, read-only JSON in an editor tab titled `title.json`. */
export async function openJsonDocument(title: string, value: unknown): Promise<vscode.TextEditor> {
  const documents = registry[REGISTRY];
  if (!documents) throw new Error('The JSON documents are not registered yet.');
  const name = title.replace(/[\\/:*?"<>|#%\u0000-\u001f]+/g, ' ').replace(/\s+/g, ' ').trim().slice(0, 80) || 'data';
  const uri = vscode.Uri.from({ scheme: JSON_SCHEME, path: `/${name}.json`, query: documents.add(JSON.stringify(value, null, 2) + '\n') });
  const doc = await vscode.workspace.openTextDocument(uri);
  const json = doc.languageId === 'json' ? doc : await vscode.languages.setTextDocumentLanguage(doc, 'json');
  return vscode.window.showTextDocument(json, { preview: true });
}
