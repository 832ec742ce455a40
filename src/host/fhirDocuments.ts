import * as vscode from 'vscode';
import { ContextKeys } from '../constants';
import { isFhirJsonText } from '../core/fhir/jsonInput';
import { Disposable } from './disposable';

const JSON_LANGUAGES = new Set(['json', 'jsonc']);
const RECHECK_MS = 300;

/**
 * Keeps two context keys true to the open documents, so our editor and Explorer menu entries show
 * only on FHIR JSON (a top-level `resourceType`) and not on every JSON file of the workspace:
 * `oneup.activeEditorIsFhir` for the active editor, `oneup.fhirJsonFiles` (URIs) for `resource in …`.
 */
export class FhirDocumentContext extends Disposable {
  private readonly fhir = new Set<string>();
  private active = false;
  private timer: ReturnType<typeof setTimeout> | undefined;

  constructor() {
    super();
    this._register(vscode.window.onDidChangeActiveTextEditor(() => this.schedule()));
    this._register(vscode.workspace.onDidOpenTextDocument((d) => this.check(d) && this.publish()));
    this._register(vscode.workspace.onDidCloseTextDocument((d) => this.fhir.delete(d.uri.toString()) && this.publish()));
    this._register(vscode.workspace.onDidChangeTextDocument((e) => {
      if (e.document === vscode.window.activeTextEditor?.document) this.schedule();
    }));
    this._register({ dispose: () => clearTimeout(this.timer) });
    // the documents open before activation; checked after activate() returns, not during it
    this.schedule();
  }

  private schedule(): void {
    clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      for (const d of vscode.workspace.textDocuments) this.check(d);
      this.publish();
    }, RECHECK_MS);
  }

  /** Whether the document's state changed. */
  private check(doc: vscode.TextDocument): boolean {
    const key = doc.uri.toString();
    const isFhir = JSON_LANGUAGES.has(doc.languageId) && isFhirJsonText(doc.getText());
    const had = this.fhir.has(key);
    if (isFhir) this.fhir.add(key);
    else this.fhir.delete(key);
    return had !== isFhir;
  }

  private publish(): void {
    const doc = vscode.window.activeTextEditor?.document;
    this.active = !!doc && this.fhir.has(doc.uri.toString());
    void vscode.commands.executeCommand('setContext', ContextKeys.activeEditorIsFhir, this.active);
    void vscode.commands.executeCommand('setContext', ContextKeys.fhirJsonFiles, [...this.fhir]);
  }

  /** For tests: whether the active editor counts as FHIR JSON, and the URIs that do. */
  state(): { active: boolean; files: string[] } {
    return { active: this.active, files: [...this.fhir] };
  }
}
