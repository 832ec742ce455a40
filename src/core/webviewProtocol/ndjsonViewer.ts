import { Cell, checkCell, COMMON_UPDATES, CommonUpdate, DETAIL_REQUESTS, DetailRequest } from './common';
import { is, parseMessage } from './validate';

export interface NdjsonColumn {
  label: string;
  /** relative width */
  weight: number;
  /** a user's FHIRPath column (removable) */
  expression?: string;
}

/** One row of the file as the grid shows it. */
export interface NdjsonRow {
  /** position in the current list (the file, or a filter's matches) */
  row: number;
  /** 1-based line number in the file */
  line: number;
  cells: Cell[];
  /** a line that is not a FHIR resource: why, in words */
  bad?: string;
  /** the row's type when it differs from the view's */
  type?: string;
}

export interface IndexState {
  bytes: number;
  bytesDone: number;
  /** rows of the whole file that can be shown now */
  rows: number;
  done: boolean;
  badCount: number;
  /** e.g. "Observation 1,048,576 · 10,012 patients · 1951–2024" once known */
  summary?: string;
  error?: string;
}

export interface FilterState {
  expression: string;
  running: boolean;
  /** matches that can be shown now (the list's length) */
  matched: number;
  bytes: number;
  bytesDone: number;
  cancelled?: boolean;
  /** a syntax (or first-resource) error: the filter did not run */
  error?: string;
  /** 1-based column of the error in the expression, when the engine says */
  errorColumn?: number;
  /** resources the expression failed on */
  evalErrors?: number;
  firstEvalError?: string;
}

export interface NdjsonView {
  /** changes when the list changes (a new filter, other columns): the webview drops what it cached */
  viewId: string;
  title: string;
  fileName: string;
  fhirVersion: string;
  columns: NdjsonColumn[];
  /** rows in the current list */
  rowCount: number;
  index: IndexState;
  filter?: FilterState;
}

/** host → NDJSON viewer */
export type NdjsonViewerUpdate =
  | { type: 'view'; view: NdjsonView }
  | { type: 'rows'; viewId: string; seq: number; rows: NdjsonRow[] }
  | { type: 'index'; viewId: string; index: IndexState; rowCount: number }
  | { type: 'filter'; viewId: string; filter: FilterState; rowCount: number }
  /** scroll to and select a row of the current list (Go to Line, next bad line) */
  | { type: 'reveal'; viewId: string; row: number }
  | { type: 'columnError'; expression: string; message: string }
  | CommonUpdate;

/** NDJSON viewer → host */
export type NdjsonViewerRequest =
  | { type: 'ready' }
  | { type: 'rows'; viewId: string; seq: number; from: number; count: number }
  /** the rows on screen now (after a render) */
  | { type: 'shown'; viewId: string; from: number; to: number }
  | { type: 'openDetail'; viewId: string; row: number }
  | { type: 'filter'; expression: string }
  | { type: 'cancelFilter' }
  | { type: 'addColumn'; expression: string }
  | { type: 'removeColumn'; expression: string }
  | { type: 'goToLine'; line: number }
  | { type: 'nextBad'; after: number }
  | DetailRequest;

const checkRow = is.shape({ row: is.int(), line: is.int(), cells: is.array(checkCell, 200), bad: is.optional(is.string(10_000)), type: is.optional(is.string(200)) });
const checkIndex = is.shape({ bytes: is.int(), bytesDone: is.int(), rows: is.int(), done: is.boolean(), badCount: is.int(), summary: is.optional(is.string(10_000)), error: is.optional(is.string(10_000)) });
const checkFilter = is.shape({
  expression: is.string(10_000), running: is.boolean(), matched: is.int(), bytes: is.int(), bytesDone: is.int(),
  error: is.optional(is.string(10_000)), errorColumn: is.optional(is.int()), evalErrors: is.optional(is.int()), firstEvalError: is.optional(is.string(10_000)),
});
const checkColumn = is.shape({ label: is.string(10_000), weight: is.int(1, 100), expression: is.optional(is.string(10_000)) });

const UPDATES = {
  view: {
    view: is.shape({
      viewId: is.string(1_000), title: is.string(10_000), fileName: is.string(10_000), fhirVersion: is.string(20),
      columns: is.array(checkColumn, 100), rowCount: is.int(), index: checkIndex, filter: is.optional(checkFilter),
    }),
  },
  rows: { viewId: is.string(1_000), seq: is.int(), rows: is.array(checkRow, 5_000) },
  index: { viewId: is.string(1_000), index: checkIndex, rowCount: is.int() },
  filter: { viewId: is.string(1_000), filter: checkFilter, rowCount: is.int() },
  reveal: { viewId: is.string(1_000), row: is.int() },
  columnError: { expression: is.string(10_000), message: is.string(10_000) },
  ...COMMON_UPDATES,
} as const;

const REQUESTS = {
  ready: {},
  rows: { viewId: is.string(1_000), seq: is.int(), from: is.int(), count: is.int(1, 2_000) },
  shown: { viewId: is.string(1_000), from: is.int(), to: is.int() },
  openDetail: { viewId: is.string(1_000), row: is.int() },
  filter: { expression: is.string(10_000) },
  cancelFilter: {},
  addColumn: { expression: is.string(10_000) },
  removeColumn: { expression: is.string(10_000) },
  goToLine: { line: is.int(1) },
  nextBad: { after: is.int(0) },
  ...DETAIL_REQUESTS,
} as const;

export function parseNdjsonViewerUpdate(raw: unknown): NdjsonViewerUpdate | undefined {
  return parseMessage<NdjsonViewerUpdate>(UPDATES, raw);
}

export function parseNdjsonViewerRequest(raw: unknown): NdjsonViewerRequest | undefined {
  return parseMessage<NdjsonViewerRequest>(REQUESTS, raw);
}
