import type { Cell } from '../../webviewProtocol/common';
import type { Json } from '../format';

/** When something happened: the shown cell (a start, with the whole range on hover) and the raw value to sort by. */
export interface When {
  cell: Cell;
  at?: string;
}

/** One column of the bundle viewer's table for a type. */
export interface ColumnDef {
  label: string;
  weight: number;
  value(r: Json): Cell;
}

/**
 * How one resource type is named, dated and summed up, in every FHIR version the extension
 * reads (DSTU2, STU3, R4). Each function accepts any of those versions' shapes and never
 * throws on a malformed resource (callers still guard). The tree, the bundle viewer, the detail
 * pane and the patient record all read this one table.
 */
export interface Rule {
  /** What the resource is about, in a few words: tree label, detail title, timeline title. Never its narrative; EMPTY when nothing tells. */
  label(r: Json): Cell;
  /** When it happened, started or was recorded. */
  date?(r: Json): When;
  /** What a glance needs besides the label and the date (a value, a criticality, the conditions…). */
  facts?(r: Json): Cell;
  /** Its status in words (default: the `status` code). */
  status?(r: Json): Cell;
  /** The bundle viewer's columns, named by what they hold. */
  columns: readonly ColumnDef[];
  /** Whether the patient record's timeline shows it. */
  timeline?: boolean;
}
