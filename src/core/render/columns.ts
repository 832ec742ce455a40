import type { Resource } from '../fhir/types';
import type { Cell } from '../webviewProtocol/common';
import { EMPTY, Json } from './format';
import { ColumnDef, ruleFor } from './rules';

export type { ColumnDef } from './rules';
export { labelOf, observationValue } from './rules';

/** The columns a table of `type` shows: its rule's (a generic id / last updated / summary for other types). */
export function columnsFor(type: string): readonly ColumnDef[] {
  return ruleFor(type).columns;
}

/** The row cells of one resource; a column that fails on a malformed resource is left empty. */
export function cellsOf(resource: Resource, columns: readonly ColumnDef[]): Cell[] {
  return columns.map((c) => {
    try {
      return c.value(resource as Json);
    } catch {
      return EMPTY;
    }
  });
}
