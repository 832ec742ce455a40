// "Copy Query for DuckDB": a ready SELECT over an export's NDJSON files as they lie in the
// folder (read_ndjson / read_ndjson_objects), for one type or the whole export.
import * as l10n from '@vscode/l10n';
import type { ExportFolderInfo } from './exportFolder';

/** A SQL string literal. */
export function sqlString(s: string): string {
  return `'${s.replace(/'/g, "''")}'`;
}

function fileList(paths: readonly string[]): string {
  return paths.length === 1 ? sqlString(paths[0]) : `[\n    ${paths.map(sqlString).join(',\n    ')}\n  ]`;
}

/**
 * The query for one resource type (its data files), or for the whole export (resources per
 * type, which reads any mix of types). Paths are absolute, so it runs from any directory.
 */
export function duckDbQuery(info: ExportFolderInfo, type?: string): string {
  const data = info.files.filter((f) => f.kind === 'data' && f.state !== 'missing' && (!type || f.type === type));
  if (!data.length) throw new Error(type ? l10n.t('The export has no {0} data files.', type) : l10n.t('The export has no data files yet.'));
  const version = info.fhirVersion ? ` (FHIR ${info.fhirVersion})` : '';
  if (type) {
    const resources = data.reduce((a, f) => a + (f.resources ?? 0), 0);
    return [
      `-- ${type} of the 1upHealth export ${info.name}${version}: ${data.length} file${data.length === 1 ? '' : 's'}${resources ? `, ${resources.toLocaleString('en-US')} resources` : ''}.`,
      '-- Run in the DuckDB CLI (duckdb) or any DuckDB client; the files are read where they are.',
      'SELECT *',
      `FROM read_ndjson(${fileList(data.map((f) => f.path))}, union_by_name = true, sample_size = 100000)`,
      'LIMIT 100;',
      '',
    ].join('\n');
  }
  return [
    `-- Resources per type in the 1upHealth export ${info.name}${version}.`,
    '-- Run in the DuckDB CLI (duckdb) or any DuckDB client; the files are read where they are.',
    "SELECT json ->> 'resourceType' AS resource_type, count(*) AS resources",
    `FROM read_ndjson_objects(${fileList(data.map((f) => f.path))})`,
    'GROUP BY ALL',
    'ORDER BY resources DESC;',
    '',
  ].join('\n');
}
