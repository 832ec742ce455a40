import * as l10n from '@vscode/l10n';
import type { QueryInput } from '../api';
import { type FhirVersion, FHIR_VERSIONS } from '../environments';
import { InputError } from '../errors';
import { isResourceType } from '../fhir/resourceTypes';
import type { ExportLevel, ExportRequest } from './types';

// instant (or date) as the Bulk Data IG's _since expects
const INSTANT = /^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2}))?$/;
const FHIR_ID = /^[A-Za-z0-9\-.]{1,64}$/;
/** The formats whose files the engine reads (the spec's NDJSON and its two abbreviations). */
export const NDJSON_FORMATS: readonly string[] = ['application/fhir+ndjson', 'application/ndjson', 'ndjson'];

/** A request whose parts were checked, ready to send (and to keep in the export's state). */
export interface CheckedRequest {
  level: ExportLevel;
  types?: string[];
  since?: string;
  typeFilters?: string[];
  outputFormat?: string;
}

/** Checks types, _since, _typeFilter, _outputFormat and the Group id before anything is sent. */
export function checkRequest(req: ExportRequest): CheckedRequest {
  const types = cleanList(req.types);
  if (types) {
    const unknown = types.filter((t) => !isResourceType(req.version, t));
    if (unknown.length) {
      throw new InputError(l10n.t({ message: 'Not {0} resource types: {1}. Nothing was exported.', args: [req.version, `${unknown.slice(0, 5).join(', ')}${unknown.length > 5 ? '…' : ''}`], comment: ['{0}: a FHIR version such as r4; {1}: a list of names'] }));
    }
  }
  if (req.since !== undefined && (!INSTANT.test(req.since) || Number.isNaN(Date.parse(req.since)))) {
    throw new InputError(l10n.t('_since must be a FHIR instant such as 2024-01-31T00:00:00Z, not "{0}".', req.since.slice(0, 40)));
  }
  const typeFilters = cleanList(req.typeFilters);
  for (const f of typeFilters ?? []) {
    const m = /^([A-Za-z]+)\?(.+)$/s.exec(f);
    if (!m || /[\r\n]/.test(f)) throw new InputError(l10n.t('_typeFilter entries look like Observation?category=laboratory, not "{0}".', f.slice(0, 60)));
    if (!isResourceType(req.version, m[1])) throw new InputError(l10n.t({ message: '_typeFilter "{0}" names {1}, which is not a {2} resource type.', args: [f.slice(0, 60), m[1], req.version], comment: ['{2}: a FHIR version such as r4'] }));
  }
  const outputFormat = req.outputFormat?.trim() || undefined;
  if (outputFormat && !NDJSON_FORMATS.includes(outputFormat)) {
    throw new InputError(l10n.t('_outputFormat {0} cannot be read by the export: use {1}.', outputFormat.slice(0, 60), NDJSON_FORMATS.join(', ')));
  }
  const level = req.level ?? { kind: 'system' };
  if (level.kind === 'group' && !FHIR_ID.test(level.groupId ?? '')) {
    throw new InputError(l10n.t('A Group id is 1-64 letters, digits, "-" or ".", not "{0}".', String(level.groupId).slice(0, 64)));
  }
  if (level.kind !== 'system' && level.kind !== 'patient' && level.kind !== 'group') throw new InputError(l10n.t('The export level must be system, patient or group.'));
  return { level, types, since: req.since, typeFilters, outputFormat };
}

function cleanList(list: readonly string[] | undefined): string[] | undefined {
  const out = [...new Set((list ?? []).map((t) => t.trim()).filter(Boolean))];
  return out.length ? out : undefined;
}

/**
 * The FHIR base where `$export` lives. 1upHealth's `bulkDataUrl` (`…/bulk-data`) takes the
 * version (`…/bulk-data/r4`); a URL with `{version}` has it put in; any other URL is a FHIR base
 * as it stands (`https://host/fhir`, or one that already ends in a version).
 */
export function exportBase(bulkDataUrl: string, version: FhirVersion): string {
  const url = bulkDataUrl.replace(/\/+$/, '');
  if (url.includes('{version}')) return url.split('{version}').join(version);
  const last = new URL(url).pathname.split('/').pop() ?? '';
  return last === 'bulk-data' ? `${url}/${version}` : url;
}

/** Whether a bulkDataUrl names one FHIR version itself (so the environment's version must match it). */
export function baseVersion(bulkDataUrl: string): FhirVersion | undefined {
  const last = new URL(bulkDataUrl.replace(/\/+$/, '')).pathname.split('/').pop() ?? '';
  return (FHIR_VERSIONS as readonly string[]).includes(last) ? last as FhirVersion : undefined;
}

/** `{base}/$export`, `{base}/Patient/$export` or `{base}/Group/{id}/$export`. */
export function kickoffUrl(base: string, level: ExportLevel): string {
  if (level.kind === 'patient') return `${base}/Patient/$export`;
  if (level.kind === 'group') return `${base}/Group/${encodeURIComponent(level.groupId)}/$export`;
  return `${base}/$export`;
}

/** The kick-off's parameters; `_typeFilter` repeats (its queries may hold commas). */
export function kickoffQuery(r: CheckedRequest): QueryInput {
  const pairs: [string, string][] = [];
  if (r.types) pairs.push(['_type', r.types.join(',')]);
  if (r.since) pairs.push(['_since', r.since]);
  for (const f of r.typeFilters ?? []) pairs.push(['_typeFilter', f]);
  if (r.outputFormat) pairs.push(['_outputFormat', r.outputFormat]);
  return pairs;
}

/** How a level reads in the UI (in English for the log: `english`). */
export function describeLevel(level: ExportLevel, english = false): string {
  if (level.kind === 'group') return `Group/${level.groupId}`;
  if (english) return level.kind === 'patient' ? 'all patients' : 'system';
  return level.kind === 'patient'
    ? l10n.t({ message: 'all patients', comment: ['a bulk export level: Patient/$export'] })
    : l10n.t({ message: 'system', comment: ['a bulk export level: the server\'s whole $export'] });
}
