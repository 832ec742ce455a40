import { Cell, checkCell, COMMON_UPDATES, CommonUpdate, DETAIL_REQUESTS, DetailRequest } from './common';
import { is, parseMessage } from './validate';

export interface PatientHeaderView {
  name: string;
  /** e.g. "34 years" (or "died at 60") */
  age?: string;
  gender?: string;
  birthDate?: string;
  identifiers: Cell[];
}

/** One dated event of the record. */
export interface TimelineItem {
  /** what the webview sends back to open it */
  key: number;
  type: string;
  /** milliseconds since the epoch, for ordering; undefined when the resource has no date */
  time?: number;
  date: Cell;
  title: Cell;
  detail?: Cell;
  status?: string;
}

export interface TypeCount {
  type: string;
  /** The server's total for the type in this record; what is loaded when the server could not say. */
  count: number;
  /** false: `count` is what is loaded so far (the server gave no total for the type) */
  exact?: boolean;
  /** how many are loaded (when fewer than `count`) */
  loaded?: number;
  /** why the type is not on the timeline, when it is not */
  note?: string;
}

/** What a patient record panel shows; `append` adds to it page by page. */
export interface PatientRecordView {
  viewId: string;
  title: string;
  header?: PatientHeaderView;
  counts: TypeCount[];
  items: TimelineItem[];
  loaded: number;
  total?: number;
  hasMore: boolean;
}

/** host → patient record */
export type PatientRecordUpdate =
  | { type: 'record'; view: PatientRecordView }
  | { type: 'append'; items: TimelineItem[]; counts: TypeCount[]; header?: PatientHeaderView; loaded: number; total?: number; hasMore: boolean }
  | CommonUpdate;

/** patient record → host */
export type PatientRecordRequest =
  | { type: 'ready' }
  | { type: 'loadMore' }
  | { type: 'openDetail'; key: number }
  /** save the raw `$everything` pages to a file */
  | { type: 'saveRecord' }
  | DetailRequest;

const checkItem = is.shape({ key: is.int(), type: is.string(200), date: checkCell, title: is.optional(checkCell) });
const checkCounts = is.array(is.shape({ type: is.string(200), count: is.int() }), 10_000);
const checkHeader = is.optional(is.shape({ name: is.string(10_000), identifiers: is.array(checkCell, 1_000) }));

const UPDATES = {
  record: {
    view: is.shape({
      viewId: is.string(1_000), title: is.string(10_000), header: checkHeader, counts: checkCounts,
      items: is.array(checkItem), loaded: is.int(), hasMore: is.boolean(),
    }),
  },
  append: {
    items: is.array(checkItem), counts: checkCounts, header: checkHeader, loaded: is.int(),
    total: is.optional(is.int()), hasMore: is.boolean(),
  },
  ...COMMON_UPDATES,
} as const;

const REQUESTS = { ready: {}, loadMore: {}, openDetail: { key: is.int() }, saveRecord: {}, ...DETAIL_REQUESTS } as const;

export function parsePatientRecordUpdate(raw: unknown): PatientRecordUpdate | undefined {
  return parseMessage<PatientRecordUpdate>(UPDATES, raw);
}

export function parsePatientRecordRequest(raw: unknown): PatientRecordRequest | undefined {
  return parseMessage<PatientRecordRequest>(REQUESTS, raw);
}
