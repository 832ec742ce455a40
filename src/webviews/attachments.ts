import * as os from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { Environment, FhirVersion } from '../core/environments';
import { ViewTypes } from '../constants';
import { InputError } from '../core/errors';
import type { Resource } from '../core/fhir/types';
import type { FoundAttachment } from '../core/render/attachments';
import type { Json } from '../core/render/format';
import type { AttachmentRequest, AttachmentUpdate } from '../core/webviewProtocol/attachment';
import { parseAttachmentRequest } from '../core/webviewProtocol/attachment';
import { writeAtomically, writeTemporary } from '../host/attachmentFiles';
import { loadLazy } from '../host/lazy';
import type { Services } from '../host/services';
import type * as Render from '../lazy/render';
import type { AppUser, WebviewDeps } from './deps';
import { PanelHost } from './panelHost';
import type { Restore } from './restore/descriptor';
import { restoreUser } from './restore/descriptor';

/** Where an attachment came from, and how to reach its server. */
export interface AttachmentContext {
  version: FhirVersion;
  /** the environment the resource was read from (undefined for a workspace file) */
  environment?: Environment;
  user?: AppUser;
  /** where the resource can be read again (to reopen an attachment panel after a reload) */
  origin?: { env: string } | { file: string };
  deps: WebviewDeps;
  /** the environment server calls may go to (throws when it is no longer the active one) */
  requireEnvironment(): Environment;
  signal: AbortSignal;
  busy(message: string | undefined): void;
}

export interface Content {
  bytes: Uint8Array;
  contentType: string;
  fileName: string;
  title: string;
  details: string;
}

/**
 * Opens or saves one attachment of a resource: HTML in a sanitizing webview, text as an
 * untitled document, PDF and images as a private temporary file shown by VS Code's own editor
 * (or saved where the user chooses). Bytes come from the attachment's inline data, or from the
 * Binary it points at on the same FHIR server (never from another address: the token stays there).
 */
export async function openAttachment(s: Services, found: FoundAttachment, resource: Resource, save: boolean, ctx: AttachmentContext): Promise<void> {
  const content = await readAttachment(found, resource, ctx);
  if (!content) return;
  if (save) return saveAs(content);
  const render = loadLazy<typeof Render>('render');
  const kind = render.contentKind(content.contentType);
  if (kind === 'HTML') {
    const restore: Restore | undefined = ctx.origin && typeof resource.id === 'string'
      ? { kind: 'attachment', ...ctx.origin, version: ctx.version, user: restoreUser(ctx.user), type: resource.resourceType, id: resource.id, path: found.path, title: content.title }
      : undefined;
    new AttachmentPanel(s, content, render.decodeText(content.bytes, content.contentType), { restore });
    return;
  }
  const language = { text: 'plaintext', XML: 'xml', CDA: 'xml', JSON: 'json', RTF: 'plaintext' }[kind];
  if (language) {
    const doc = await vscode.workspace.openTextDocument({ language, content: render.decodeText(content.bytes, content.contentType) });
    await vscode.window.showTextDocument(doc, { preview: true });
    return;
  }
  const file = vscode.Uri.file(await writeTemporary(content.bytes, content.fileName));
  if (kind === 'PDF' && !hasPdfEditor()) {
    // VS Code itself has no PDF viewer: offer the system's, or a copy to keep
    const choice = await vscode.window.showInformationMessage(
      vscode.l10n.t('"{0}" is a PDF. VS Code shows PDFs only with a PDF viewer extension installed.', content.title),
      { title: vscode.l10n.t('Open in System Viewer'), id: 'system' }, { title: vscode.l10n.t('Save As…'), id: 'save' }, { title: vscode.l10n.t('Open Anyway'), id: 'open' });
    if (choice?.id === 'system') await vscode.env.openExternal(file);
    else if (choice?.id === 'save') await saveAs(content);
    else if (choice?.id === 'open') await vscode.commands.executeCommand('vscode.open', file, { preview: true });
    return;
  }
  await vscode.commands.executeCommand('vscode.open', file, { preview: true });
}

export async function readAttachment(found: FoundAttachment, resource: Resource, ctx: AttachmentContext): Promise<Content | undefined> {
  const render = loadLazy<typeof Render>('render');
  const a = found.attachment;
  const described = render.describeAttachment(found);
  const env = ctx.environment;
  const fhirBase = env ? `${env.fhirUrl.replace(/\/+$/, '')}/${ctx.version}` : undefined;
  const source = render.attachmentSource(a, fhirBase);
  let base64: string;
  let contentType = typeof a.contentType === 'string' ? a.contentType : '';
  switch (source.kind) {
    case 'none':
      throw new InputError(vscode.l10n.t('"{0}" carries neither data nor an address to read it from.', described.title));
    case 'external': {
      const copy = await vscode.window.showWarningMessage(
        env ? vscode.l10n.t('"{0}" is stored at {1}, outside {2}\'s FHIR server. The extension sends your token only to that server, so it does not read it.', described.title, source.url, env.name)
          : vscode.l10n.t('"{0}" is stored at {1}, outside the server this resource came from. The extension sends your token only to that server, so it does not read it.', described.title, source.url),
        vscode.l10n.t('Copy Address'));
      if (copy) await vscode.env.clipboard.writeText(source.url);
      return undefined;
    }
    case 'inline':
      base64 = source.base64;
      break;
    case 'binary': {
      ctx.requireEnvironment();
      ctx.busy(vscode.l10n.t('Reading {0}…', `Binary/${source.id}`));
      let binary: Resource;
      try {
        binary = await ctx.deps.readResource(ctx.version, 'Binary', source.id, ctx.signal, ctx.user);
      } finally {
        ctx.busy(undefined);
      }
      const content = render.binaryContent(binary as Json);
      if (!content) throw new InputError(vscode.l10n.t('{0} came back without content, so "{1}" cannot be shown.', `Binary/${source.id}`, described.title));
      base64 = content.base64;
      contentType = contentType || content.contentType;
      break;
    }
  }
  const bytes = render.decodeBase64(base64);
  const fallback = `${resource.resourceType}-${typeof resource.id === 'string' ? resource.id : 'attachment'}-${found.path.replace(/[^A-Za-z0-9]+/g, '-')}`;
  return { bytes, contentType, fileName: render.attachmentFileName({ ...a, contentType }, fallback), title: described.title, details: described.details };
}

async function saveAs(content: Content): Promise<void> {
  const folder = vscode.workspace.workspaceFolders?.[0]?.uri;
  const target = await vscode.window.showSaveDialog({
    title: vscode.l10n.t('Save {0}', content.title),
    defaultUri: folder ? vscode.Uri.joinPath(folder, content.fileName) : vscode.Uri.file(path.join(os.homedir(), content.fileName)),
  });
  if (!target) return;
  // a file on disk atomically (a partial file never takes the chosen name); other schemes through VS Code
  if (target.scheme === 'file') await writeAtomically(target.fsPath, content.bytes);
  else await vscode.workspace.fs.writeFile(target, content.bytes);
  vscode.window.setStatusBarMessage(`$(check) ${vscode.l10n.t('Saved {0}', vscode.workspace.asRelativePath(target))}`, 4000);
}

function hasPdfEditor(): boolean {
  return vscode.extensions.all.some((e) => {
    const editors = (e.packageJSON as { contributes?: { customEditors?: { selector?: { filenamePattern?: string }[] }[] } })?.contributes?.customEditors ?? [];
    return editors.some((c) => (c.selector ?? []).some((sel) => /pdf/i.test(sel.filenamePattern ?? '')));
  });
}

/** An HTML attachment in a panel of its own, sanitized in the webview with the narrative policy. */
export class AttachmentPanel extends PanelHost<AttachmentRequest, AttachmentUpdate> {
  constructor(s: Services, private readonly content: Content, private readonly html: string, o: { restore?: Restore; panel?: vscode.WebviewPanel } = {}) {
    super(s, { viewType: ViewTypes.attachment, title: content.title, script: 'attachment', styles: ['viewer.css'], ...o }, parseAttachmentRequest);
  }

  protected onReady(): void {
    this.post({ type: 'attachment', title: this.content.title, details: this.content.details, html: this.html });
  }

  protected showError(message: string): void {
    this.post({ type: 'error', message });
  }

  protected async onMessage(m: AttachmentRequest): Promise<void> {
    if (m.type === 'save') await saveAs(this.content);
  }
}
