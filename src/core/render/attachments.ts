import * as l10n from '@vscode/l10n';
import type { Cell } from '../webviewProtocol/common';
import { dateTime, isObject, Json, str } from './format';
import { contentKind, contentKindWord } from './rules/words';

// Attachments (FHIR's Attachment datatype): reports' presentedForm (Cerner sends HTML and PDF),
// DocumentReference content, photos. Finding them, naming them, and getting their bytes, with
// no VS Code in sight: the host opens or saves what these answer.

const ATTACHMENT_KEYS = new Set(['id', 'extension', 'contentType', 'language', 'data', 'url', 'size', 'hash', 'title', 'creation', 'height', 'width', 'frames', 'duration', 'pages']);

/** Whether a value has the Attachment datatype's shape (and is one: a type, inline data, or a titled URL). */
export function isAttachment(v: unknown): boolean {
  if (!isObject(v)) return false;
  const keys = Object.keys(v);
  if (!keys.length || !keys.every((k) => ATTACHMENT_KEYS.has(k))) return false;
  return typeof v.contentType === 'string' || typeof v.data === 'string' || (typeof v.url === 'string' && typeof v.title === 'string');
}

export interface FoundAttachment {
  /** where it sits, as a FHIRPath-like path (`presentedForm[0]`, `content[1].attachment`) */
  path: string;
  attachment: Json;
}

/** Every Attachment in a resource, in document order (contained resources excluded: they have their own detail). */
export function findAttachments(r: Json, max = 200): FoundAttachment[] {
  const found: FoundAttachment[] = [];
  const walk = (v: unknown, path: string, depth: number): void => {
    if (found.length >= max || depth > 10) return;
    if (Array.isArray(v)) { v.forEach((x, i) => walk(x, `${path}[${i}]`, depth + 1)); return; }
    if (!isObject(v)) return;
    if (isAttachment(v)) { found.push({ path, attachment: v }); return; }
    for (const [k, x] of Object.entries(v)) {
      if (k === 'contained' || k === 'text' || k === 'extension' || k === 'modifierExtension') continue;
      walk(x, path ? `${path}.${k}` : k, depth + 1);
    }
  };
  walk(r, '', 0);
  return found;
}

/** What kinds of attachments a resource carries: `PDF, HTML` (empty when none). */
export function attachmentKinds(r: Json): Cell {
  const found = findAttachments(r);
  if (!found.length) return { t: '' };
  const kinds = [...new Set(found.map((f) => contentKindWord(contentKind(str(f.attachment.contentType)))))];
  return { t: kinds.join(', '), h: found.map((f) => [str(f.attachment.title), str(f.attachment.contentType)].filter(Boolean).join(' · ')).join('\n') };
}

/** A size a person reads: `1.2 MB`. */
export function byteSize(n: number): string {
  if (n < 1024) return `${n} B`;
  if (n < 1024 * 1024) return `${Math.round(n / 1024)} KB`;
  return `${(n / 1024 / 1024).toFixed(1)} MB`;
}

/** The size of an attachment's content: its `size`, else what its inline data decodes to. */
export function attachmentSize(a: Json): number | undefined {
  const size = typeof a.size === 'number' ? a.size : typeof a.size === 'string' && /^\d+$/.test(a.size) ? Number(a.size) : undefined;
  if (size !== undefined) return size;
  if (typeof a.data === 'string') {
    const b64 = a.data.replace(/\s+/g, '');
    return Math.floor((b64.length * 3) / 4) - (b64.endsWith('==') ? 2 : b64.endsWith('=') ? 1 : 0);
  }
  return undefined;
}

/** One attachment as the detail pane lists it. */
export function describeAttachment(f: FoundAttachment): { title: string; kind: string; contentType: string; details: string; where: string; available: boolean } {
  const a = f.attachment;
  const contentType = str(a.contentType);
  const kind = contentKind(contentType);
  const size = attachmentSize(a);
  const created = dateTime(a.creation).t;
  return {
    title: str(a.title) || (kind === 'file' ? l10n.t('Attachment') : l10n.t('{0} attachment', contentKindWord(kind))),
    kind,
    contentType,
    details: [
      contentType || l10n.t('no content type'),
      size !== undefined ? byteSize(size) : '',
      created ? l10n.t('created {0}', created) : '',
      typeof a.url === 'string' && typeof a.data !== 'string' ? l10n.t('stored on the server') : '',
    ].filter(Boolean).join(' · '),
    where: f.path,
    available: typeof a.data === 'string' || typeof a.url === 'string',
  };
}

/** Where an attachment's bytes are: inline, in a Binary resource on the FHIR server, or elsewhere. */
export type AttachmentSource =
  | { kind: 'inline'; base64: string }
  | { kind: 'binary'; id: string }
  | { kind: 'external'; url: string }
  | { kind: 'none' };

/**
 * `fhirBase` is the FHIR base the resource was read from (`https://…/fhir/dstu2`): an absolute
 * URL counts as a Binary of that server only under it, so bearer tokens never go elsewhere.
 */
export function attachmentSource(a: Json, fhirBase?: string): AttachmentSource {
  if (typeof a.data === 'string') return { kind: 'inline', base64: a.data };
  const url = str(a.url).trim();
  if (!url) return { kind: 'none' };
  const relative = /^Binary\/([A-Za-z0-9\-.]{1,64})$/.exec(url);
  if (relative) return { kind: 'binary', id: relative[1] };
  if (fhirBase) {
    const base = fhirBase.replace(/\/+$/, '');
    if (url.startsWith(`${base}/`)) {
      const rest = /^Binary\/([A-Za-z0-9\-.]{1,64})(?:\/_history\/[A-Za-z0-9\-.]{1,64})?$/.exec(url.slice(base.length + 1));
      if (rest) return { kind: 'binary', id: rest[1] };
    }
  }
  return { kind: 'external', url };
}

/** Strict base64 (whitespace allowed between groups): a malformed value is an error, not garbage bytes. */
export function decodeBase64(value: string): Uint8Array {
  const compact = value.replace(/\s+/g, '');
  if (!/^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/.test(compact)) {
    throw new Error(l10n.t('The attachment\'s data is not valid base64.'));
  }
  return new Uint8Array(Buffer.from(compact, 'base64'));
}

/** A Binary resource's content: DSTU2 `content`, STU3/R4 `data`, and its content type. */
export function binaryContent(binary: Json): { base64: string; contentType: string } | undefined {
  const base64 = typeof binary.data === 'string' ? binary.data : typeof binary.content === 'string' ? binary.content : undefined;
  return base64 === undefined ? undefined : { base64, contentType: str(binary.contentType) };
}

/** Text of an attachment in the charset its content type names (UTF-8 otherwise). */
export function decodeText(bytes: Uint8Array, contentType: string): string {
  const charset = /;\s*charset="?([A-Za-z0-9_\-.:]+)"?/i.exec(contentType)?.[1];
  try {
    return new TextDecoder(charset ?? 'utf-8').decode(bytes);
  } catch {
    return new TextDecoder('utf-8').decode(bytes);
  }
}

const EXTENSIONS: Record<string, string> = {
  HTML: 'html', PDF: 'pdf', text: 'txt', RTF: 'rtf', CDA: 'xml', XML: 'xml', JSON: 'json',
};

/** A safe file name for an attachment: its title (no path separators or control characters) and the extension its type implies. */
export function attachmentFileName(a: Json, fallback: string): string {
  const contentType = str(a.contentType).toLowerCase().split(';')[0].trim();
  const kind = contentKind(contentType);
  const image = /^image\/(png|jpeg|gif|webp|bmp|tiff)$/.exec(contentType)?.[1];
  const ext = EXTENSIONS[kind] ?? (image ? (image === 'jpeg' ? 'jpg' : image) : 'bin');
  const base = (str(a.title) || fallback).replace(/[\\/:*?"<>|\u0000-\u001f\u007f]+/g, '_').replace(/^[.\s]+/, '').trim().slice(0, 80) || fallback;
  return base.toLowerCase().endsWith(`.${ext}`) ? base : `${base}.${ext}`;
}
