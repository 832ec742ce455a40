import * as vscode from 'vscode';
import type { ExportLevel } from '../core/bulkExport/types';
import { exportBase, kickoffQuery, kickoffUrl, NDJSON_FORMATS } from '../core/bulkExport/request';
import { encodeQueryPart } from '../core/api/url';
import type { FhirVersion } from '../core/environments';
import { CancelledError, InputError } from '../core/errors';
import { isResourceType } from '../core/fhir/resourceTypes';
import { ask } from './args';

const GROUP_ID = /^[A-Za-z0-9\-.]{1,64}$/;
const TYPE_FILTER = /^([A-Za-z]+)\?(.+)$/s;

/**
 * The level an export kicks off at: from the arguments, or picked when the command prompts
 * (called with arguments that leave it out, it is the system level, 1upHealth's).
 */
export async function resolveLevel(args: { level?: unknown; groupId?: unknown }, prompted: boolean): Promise<ExportLevel> {
  let level = args.level;
  if (level === undefined && args.groupId !== undefined) level = 'group';
  if (level === undefined && !prompted) level = 'system';
  if (level === undefined) {
    const pick = await vscode.window.showQuickPick([
      { label: `$(server) ${vscode.l10n.t({ message: 'System', comment: ['a bulk export level: the server\'s whole $export'] })}`, description: '$export', detail: vscode.l10n.t('Everything these credentials can read (1upHealth\'s bulk export)'), id: 'system' },
      { label: `$(person) ${vscode.l10n.t('All patients')}`, description: 'Patient/$export', detail: vscode.l10n.t('The records in every patient\'s compartment'), id: 'patient' },
      { label: `$(organization) ${vscode.l10n.t('A group…')}`, description: 'Group/{id}/$export', detail: vscode.l10n.t('The records of one Group\'s members'), id: 'group' },
    ], { title: vscode.l10n.t('Bulk Export: which $export?') });
    if (!pick) throw new CancelledError();
    level = pick.id;
  }
  if (level === 'system' || level === 'patient') return { kind: level };
  if (level !== 'group') throw new InputError(vscode.l10n.t('level must be "system", "patient" or "group".'));
  const groupId = args.groupId !== undefined ? String(args.groupId) : await ask({
    title: vscode.l10n.t('Bulk Export: Group id'), prompt: vscode.l10n.t('The id of the Group whose members to export (Group/{id}/$export)'), placeHolder: vscode.l10n.t('e.g. {0}', '37b8c8f1-group'),
    validateInput: (v) => (GROUP_ID.test(v.trim()) ? undefined : vscode.l10n.t('A FHIR id: 1-64 letters, digits, "-" or "."')),
  });
  if (!GROUP_ID.test(groupId)) throw new InputError(vscode.l10n.t('groupId must be a FHIR id (1-64 letters, digits, "-" or "."), not "{0}".', groupId.slice(0, 64)));
  return { kind: 'group', groupId };
}

export interface ExportOptions {
  typeFilters?: string[];
  outputFormat?: string;
}

/**
 * `_typeFilter` and `_outputFormat`: from the arguments; when the command prompted for the rest,
 * a last step shows the kick-off URL and lets the user add filters or pick an output format.
 */
export async function resolveOptions(version: FhirVersion, args: { typeFilters?: unknown; outputFormat?: unknown }, prompted: boolean,
  request: { bulkDataUrl: string; level: ExportLevel; types?: string[]; since?: string }): Promise<ExportOptions> {
  const filters = checkFilters(version, args.typeFilters);
  let outputFormat = args.outputFormat === undefined ? undefined : String(args.outputFormat);
  if (outputFormat !== undefined && !NDJSON_FORMATS.includes(outputFormat)) throw new InputError(vscode.l10n.t('outputFormat must be one of {0}.', NDJSON_FORMATS.join(', ')));
  if (!prompted) return { typeFilters: filters, outputFormat };
  const typeFilters = [...(filters ?? [])];
  for (;;) {
    const url = kickoffUrl(exportBase(request.bulkDataUrl, version), request.level);
    const query = (kickoffQuery({ ...request, typeFilters, outputFormat }) as [string, string][]).map(([k, v]) => `${k}=${encodeQueryPart(v)}`).join('&');
    const pick = await vscode.window.showQuickPick([
      { label: `$(play) ${vscode.l10n.t('Start the export')}`, detail: `GET ${url}${query ? `?${query}` : ''}`, id: 'start' },
      { label: `$(filter) ${vscode.l10n.t('Add a _typeFilter…')}`, description: vscode.l10n.t('only the resources of a type that match a search'), id: 'filter' },
      ...typeFilters.map((f, i) => ({ label: `$(close) ${vscode.l10n.t({ message: 'Remove _typeFilter {0}', args: [f], comment: ['{0}: a filter such as Observation?category=laboratory'] })}`, id: `remove:${i}` })),
      {
        label: `$(file) ${outputFormat !== undefined ? vscode.l10n.t({ message: '_outputFormat: {0}', args: [outputFormat], comment: ['{0}: a media type such as application/fhir+ndjson'] }) : vscode.l10n.t('_outputFormat: not sent (the server\'s NDJSON)')}`,
        description: vscode.l10n.t({ message: 'change', comment: ['a quick pick item\'s description: pick it to change the _outputFormat'] }), id: 'format',
      },
    ], { title: vscode.l10n.t('Bulk Export: start, or refine the request'), ignoreFocusOut: true });
    if (!pick) throw new CancelledError();
    if (pick.id === 'start') return { typeFilters: typeFilters.length ? typeFilters : undefined, outputFormat };
    if (pick.id === 'filter') typeFilters.push(await askFilter(version));
    else if (pick.id.startsWith('remove:')) typeFilters.splice(Number(pick.id.slice(7)), 1);
    else outputFormat = await pickFormat();
  }
}

function checkFilters(version: FhirVersion, raw: unknown): string[] | undefined {
  if (raw === undefined) return undefined;
  if (!Array.isArray(raw) || raw.some((f) => typeof f !== 'string')) throw new InputError(vscode.l10n.t('typeFilters must be a list of Type?search strings.'));
  for (const f of raw as string[]) {
    const problem = filterProblem(version, f);
    if (problem) throw new InputError(vscode.l10n.t({ message: 'typeFilters: {0}', args: [problem], comment: ['typeFilters: the argument\'s name; {0}: what is wrong with one of them'] }));
  }
  return raw.length ? raw as string[] : undefined;
}

function filterProblem(version: FhirVersion, f: string): string | undefined {
  const m = TYPE_FILTER.exec(f.trim());
  if (!m) return vscode.l10n.t('a _typeFilter is a resource type, "?", and a search, e.g. Observation?category=laboratory');
  if (!isResourceType(version, m[1])) return vscode.l10n.t({ message: '{0} is not a FHIR {1} resource type', args: [m[1], version], comment: ['{0}: a name; {1}: a FHIR version such as r4'] });
  return undefined;
}

async function askFilter(version: FhirVersion): Promise<string> {
  return ask({
    title: vscode.l10n.t('Bulk Export: add a _typeFilter'), prompt: vscode.l10n.t('A resource type and a FHIR search: only that type\'s resources matching it are exported'),
    placeHolder: 'Observation?category=laboratory', validateInput: (v) => filterProblem(version, v),
  });
}

async function pickFormat(): Promise<string | undefined> {
  const pick = await vscode.window.showQuickPick([
    { label: vscode.l10n.t({ message: 'not sent', comment: ['the _outputFormat parameter is left out of the request'] }), description: vscode.l10n.t('the server\'s default (NDJSON)'), value: undefined },
    ...NDJSON_FORMATS.map((f) => ({ label: f, description: '', value: f as string | undefined })),
  ], { title: vscode.l10n.t('Bulk Export: _outputFormat (the engine reads NDJSON)') });
  if (!pick) throw new CancelledError();
  return pick.value;
}
