// Rows of an NDJSON file as the grid shows them: the columns of the file's resource type (the
// same rules as the bundle viewer's tables), the user's FHIRPath columns, and bad lines in words.
import * as l10n from '@vscode/l10n';
import type { FhirVersion } from '../environments';
import type { Resource } from '../fhir/types';
import { cellsOf, columnsFor, labelOf } from '../render/columns';
import { timelineItem } from '../render/patientRecord';
import type { Cell } from '../webviewProtocol/common';
import type { NdjsonColumn, NdjsonRow } from '../webviewProtocol/ndjsonViewer';
import { isResource } from './facts';
import { compileFhirPath, evaluationMessage, resultCell } from './fhirpath';
import type { FileRow } from './ndjsonFile';

/** The columns: one type's own, or a common set for a file that mixes types. */
export type ColumnMode = { kind: 'type'; type: string } | { kind: 'mixed' };

const mixedColumns = (): NdjsonColumn[] => [
  { label: l10n.t('Type'), weight: 2 }, { label: l10n.t('Id'), weight: 3 }, { label: l10n.t('What'), weight: 5 }, { label: l10n.t('Date'), weight: 2 }, { label: l10n.t('Status'), weight: 1 },
];

/** The columns shown for a mode and the user's expressions, after the line number. */
export function gridColumns(mode: ColumnMode, expressions: readonly string[]): NdjsonColumn[] {
  const base = mode.kind === 'type' ? columnsFor(mode.type).map((c) => ({ label: c.label, weight: c.weight })) : mixedColumns();
  return [{ label: l10n.t('Line'), weight: 1 }, ...base, ...expressions.map((e) => ({ label: e, weight: 3, expression: e }))];
}

/** The mode for the types a file has: a single type gets its own columns. */
export function modeFor(types: readonly string[]): ColumnMode {
  return types.length === 1 ? { kind: 'type', type: types[0] } : { kind: 'mixed' };
}

function mixedCells(r: Resource): Cell[] {
  const date = timelineItem(r, 0)?.date ?? { t: '' };
  return [{ t: r.resourceType }, { t: typeof r.id === 'string' ? r.id : '' }, labelOf(r), date, { t: typeof r.status === 'string' ? r.status : '' }];
}

/** Why a line is not a resource, as the row says it. */
export function badLineMessage(row: FileRow, parsed: { error?: string; value?: unknown }): string | undefined {
  const line = row.line.toLocaleString('en-US');
  if (row.text === undefined) return l10n.t('Line {0} is {1} MB long: too long to show here.', line, (row.length / 1048576).toFixed(0));
  if (parsed.error !== undefined) return l10n.t('Line {0} is not valid JSON: {1}', line, parsed.error);
  if (!isResource(parsed.value)) return l10n.t('Line {0} is JSON but not a FHIR resource (no "resourceType").', line);
  return undefined;
}

export function parseLine(text: string | undefined): { error?: string; value?: unknown } {
  if (text === undefined) return {};
  try {
    return { value: JSON.parse(text) };
  } catch (e) {
    return { error: e instanceof Error ? e.message : String(e) };
  }
}

/**
 * Grid rows of file rows: cells by the mode's columns, then one cell per expression (an
 * expression that fails on a row says so in its cell). `listRow` numbers them in the current list.
 */
export function gridRows(rows: readonly FileRow[], mode: ColumnMode, expressions: readonly string[], version: FhirVersion, listRow: (r: FileRow) => number): { rows: NdjsonRow[]; resources: (Resource | undefined)[] } {
  const evaluators = expressions.map((e) => {
    try {
      return compileFhirPath(e, version);
    } catch {
      return undefined;
    }
  });
  const resources: (Resource | undefined)[] = [];
  const out = rows.map((row): NdjsonRow => {
    const parsed = parseLine(row.text);
    const bad = badLineMessage(row, parsed);
    if (bad !== undefined) {
      resources.push(undefined);
      return { row: listRow(row), line: row.line, cells: [{ t: String(row.line) }], bad };
    }
    const r = parsed.value as Resource;
    resources.push(r);
    const own = mode.kind === 'type' && r.resourceType === mode.type;
    const base = mode.kind === 'mixed' ? mixedCells(r)
      : own ? cellsOf(r, columnsFor(mode.type))
        : [labelOf(r), ...columnsFor(mode.type).slice(1).map(() => ({ t: '' }))];
    // fhirpath.js writes type information into what it evaluates: give it its own copy
    const extra = evaluators.map((evaluate) => {
      if (!evaluate) return { t: '' };
      try {
        return resultCell(evaluate(structuredClone(r)));
      } catch (e) {
        return { t: `⚠ ${l10n.t('error')}`, h: evaluationMessage(e) };
      }
    });
    return { row: listRow(row), line: row.line, cells: [{ t: String(row.line) }, ...base, ...extra], type: own || mode.kind === 'mixed' ? undefined : r.resourceType };
  });
  return { rows: out, resources };
}
