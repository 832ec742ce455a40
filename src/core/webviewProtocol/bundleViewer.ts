import { Cell, checkCell, COMMON_UPDATES, CommonUpdate, DETAIL_REQUESTS, DetailRequest } from './common';
import { is, parseMessage } from './validate';

export type PageRelation = 'first' | 'previous' | 'next' | 'last';

export interface ColumnView {
  label: string;
  /** relative width */
  weight: number;
}

export interface RowView {
  /** the entry's index in the page: what the webview sends back to open it */
  key: number;
  cells: Cell[];
}

export interface GroupView {
  type: string;
  columns: ColumnView[];
  rows: RowView[];
}

/** A page of a Bundle as the viewer shows it. */
export interface BundleView {
  /** changes when the page changes: the webview keeps scroll, selection and filter per id */
  viewId: string;
  title: string;
  /** Bundle.type: searchset, collection, transaction… */
  bundleType?: string;
  types: string[];
  total?: number;
  entries: number;
  page?: number;
  pages?: number;
  links: Record<PageRelation, boolean>;
  groups: GroupView[];
  /** e.g. lines of an NDJSON file that were not resources */
  notice?: string;
  /** What the filter box filters, as its placeholder says ("Filter this page"): only what is loaded. */
  filterScope?: string;
  /** The server can be searched for the filter's text (`_content`) in this resource type. */
  serverSearchType?: string;
}

/** host → bundle viewer */
export type BundleViewerUpdate =
  | { type: 'bundle'; view: BundleView }
  /** the entries a FHIRPath filter keeps (keys), or why it could not run */
  | { type: 'fhirpathResult'; expression: string; keys?: number[]; error?: string; failed?: number }
  | CommonUpdate;

/** bundle viewer → host */
export type BundleViewerRequest =
  | { type: 'ready' }
  | { type: 'page'; rel: PageRelation }
  | { type: 'openDetail'; key: number }
  | { type: 'saveBundle' }
  | { type: 'copyNdjson' }
  /** search the server (`_content`) for what the filter box holds */
  | { type: 'searchServer'; text: string }
  | { type: 'fhirpathFilter'; expression: string }
  | DetailRequest;

const checkGroup = is.shape({
  type: is.string(200),
  columns: is.array(is.shape({ label: is.string(200), weight: is.int(1, 100) }), 50),
  rows: is.array(is.shape({ key: is.int(), cells: is.array(checkCell, 50) })),
});

const UPDATES = {
  bundle: {
    view: is.shape({
      viewId: is.string(1_000),
      title: is.string(10_000),
      types: is.array(is.string(200)),
      entries: is.int(),
      links: is.shape({ first: is.boolean(), previous: is.boolean(), next: is.boolean(), last: is.boolean() }),
      groups: is.array(checkGroup, 10_000),
    }),
  },
  fhirpathResult: { expression: is.string(10_000), keys: is.optional(is.array(is.int())), error: is.optional(is.string(10_000)), failed: is.optional(is.int()) },
  ...COMMON_UPDATES,
} as const;

const REQUESTS = {
  ready: {},
  page: { rel: is.oneOf('first', 'previous', 'next', 'last') },
  openDetail: { key: is.int() },
  saveBundle: {},
  copyNdjson: {},
  searchServer: { text: is.string(500) },
  fhirpathFilter: { expression: is.string(10_000) },
  ...DETAIL_REQUESTS,
} as const;

export function parseBundleViewerUpdate(raw: unknown): BundleViewerUpdate | undefined {
  return parseMessage<BundleViewerUpdate>(UPDATES, raw);
}

export function parseBundleViewerRequest(raw: unknown): BundleViewerRequest | undefined {
  return parseMessage<BundleViewerRequest>(REQUESTS, raw);
}
