import { Check, is } from './validate';

/** One shown value: its text, and what a hover reveals (codes, systems, full dates). */
export interface Cell {
  t: string;
  h?: string;
}

/**
 * One resource as the detail pane shows it. `fieldsHtml` is built by the host's renderer with
 * every value escaped; `narrative` is the resource's raw `text.div`, which only the webview
 * may turn into markup, through its sanitizer.
 */
export interface DetailView {
  /** the bundle entry (or timeline item) it belongs to; absent for a resource read by reference */
  key?: number;
  resourceType: string;
  id?: string;
  title: string;
  subtitle?: string;
  narrative?: string;
  fieldsHtml: string;
  json: string;
  /** a previous resource to go back to (after following a reference) */
  canGoBack: boolean;
  /** whether "Open JSON" can show it as the server's document (otherwise an untitled copy) */
  fromServer: boolean;
  /** a Patient: offer its record */
  isPatient: boolean;
  /** its attachments (a report's HTML and PDF, a document's files), opened or saved by index */
  attachments?: AttachmentView[];
}

/** One attachment as the detail pane lists it. */
export interface AttachmentView {
  index: number;
  title: string;
  /** `PDF`, `HTML`, `image`… */
  kind: string;
  /** content type, size, creation date, where it is stored */
  details: string;
  /** where it sits in the resource (`presentedForm[0]`) */
  where: string;
  /** false when it carries neither data nor an address */
  available: boolean;
}

/** A health system a user can connect, as the Connect page and the search show it. */
export interface HealthSystemSummary {
  id: string;
  name: string;
  /** only an address the webview may load (same origin as the environment, or data:) */
  logoUrl?: string;
  address?: string;
  status?: string;
  apiVersion?: string;
}

/** An app user, as panels name it. */
export interface AppUserView {
  oneupUserId: string;
  appUserId: string;
}

export const checkCell: Check = is.shape({ t: is.string(1_000_000), h: is.optional(is.string(1_000_000)) });

export const checkDetail: Check = is.shape({
  resourceType: is.string(200),
  title: is.string(100_000),
  fieldsHtml: is.string(50_000_000),
  json: is.string(100_000_000),
  narrative: is.optional(is.string(50_000_000)),
  canGoBack: is.boolean(),
  fromServer: is.boolean(),
  isPatient: is.boolean(),
  attachments: is.optional(is.array(is.shape({
    index: is.int(0, 10_000), title: is.string(10_000), kind: is.string(200), details: is.string(10_000), where: is.string(10_000), available: is.boolean(),
  }), 10_000)),
});

export const checkHealthSystem: Check = is.shape({
  id: is.string(200),
  name: is.string(10_000),
  logoUrl: is.optional(is.string(1_000_000)),
  address: is.optional(is.string(10_000)),
  status: is.optional(is.string(1_000)),
  apiVersion: is.optional(is.string(1_000)),
});

export const checkUser: Check = is.shape({ oneupUserId: is.string(200), appUserId: is.string(10_000) });

/** Messages about the detail pane, shared by every panel that has one (webview → host). */
export type DetailRequest =
  | { type: 'openReference'; index: number }
  | { type: 'openJson'; target: 'detail' | 'bundle' }
  | { type: 'back' }
  | { type: 'closeDetail' }
  | { type: 'openPatientRecord' }
  | { type: 'openAttachment'; index: number; save: boolean };

export const DETAIL_REQUESTS = {
  openReference: { index: is.int(0, 1_000_000) },
  openJson: { target: is.oneOf('detail', 'bundle') },
  back: {},
  closeDetail: {},
  openPatientRecord: {},
  openAttachment: { index: is.int(0, 10_000), save: is.boolean() },
} as const;

/** Messages every panel may receive from its host. */
export type CommonUpdate =
  | { type: 'detail'; detail: DetailView }
  | { type: 'busy'; busy: boolean; message?: string }
  | { type: 'error'; message: string };

export const COMMON_UPDATES = {
  detail: { detail: checkDetail },
  busy: { busy: is.boolean(), message: is.optional(is.string(10_000)) },
  error: { message: is.string(100_000) },
} as const;
