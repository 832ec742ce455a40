import * as vscode from 'vscode';
import { InputError } from '../core/errors';

/** Files larger than this are not opened in the viewer (a bulk export file can be gigabytes). */
export const MAX_VIEWER_FILE_BYTES = 256 * 1024 * 1024;

/** The file an "Open in Viewer" invocation means: the argument (explorer, editor title) or the active editor's. */
export function targetUri(args: unknown): vscode.Uri | undefined {
  if (args instanceof vscode.Uri) return args;
  if (typeof args === 'object' && args !== null) {
    const u = (args as { uri?: unknown }).uri;
    if (u instanceof vscode.Uri) return u;
    if (typeof u === 'string') return u.includes(':') ? vscode.Uri.parse(u, true) : vscode.Uri.file(u);
  }
  return vscode.window.activeTextEditor?.document.uri;
}

export function isNdjson(uri: vscode.Uri): boolean {
  return /\.(ndjson|jsonl)$/i.test(uri.path);
}

/** The file's text: an open editor's (possibly unsaved) content, else the file on disk. */
export async function readText(uri: vscode.Uri): Promise<string> {
  const open = vscode.workspace.textDocuments.find((d) => d.uri.toString() === uri.toString());
  if (open) return open.getText();
  const stat = await vscode.workspace.fs.stat(uri);
  if (stat.size > MAX_VIEWER_FILE_BYTES) {
    throw new InputError(vscode.l10n.t('{0} is {1} MB; the viewer opens files up to {2} MB.', vscode.workspace.asRelativePath(uri), Math.round(stat.size / 1024 / 1024), MAX_VIEWER_FILE_BYTES / 1024 / 1024));
  }
  return new TextDecoder('utf-8').decode(await vscode.workspace.fs.readFile(uri));
}

export function fileName(uri: vscode.Uri): string {
  return uri.path.split('/').pop() || uri.path;
}
