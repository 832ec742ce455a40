import { is, parseMessage } from './validate';

/** host → attachment panel: an HTML attachment, raw (the webview sanitizes it before it becomes markup). */
export type AttachmentUpdate =
  | { type: 'attachment'; title: string; details: string; html: string }
  | { type: 'error'; message: string };

/** attachment panel → host */
export type AttachmentRequest = { type: 'ready' } | { type: 'save' };

const UPDATES = {
  attachment: { title: is.string(10_000), details: is.string(10_000), html: is.string(100_000_000) },
  error: { message: is.string(100_000) },
} as const;

const REQUESTS = { ready: {}, save: {} } as const;

export function parseAttachmentUpdate(raw: unknown): AttachmentUpdate | undefined {
  return parseMessage<AttachmentUpdate>(UPDATES, raw);
}

export function parseAttachmentRequest(raw: unknown): AttachmentRequest | undefined {
  return parseMessage<AttachmentRequest>(REQUESTS, raw);
}
