import * as l10n from '@vscode/l10n';
import type { Bundle, Resource } from '../fhir/types';
import { isBundle } from '../fhir/types';
import { collectionOf } from './bundleView';

export interface ParsedFile {
  /** a Bundle: the file's own, or a collection of the NDJSON lines */
  bundle?: Bundle;
  /** a single resource that is not a Bundle */
  resource?: Resource;
  /** lines of an NDJSON file that were not FHIR resources */
  badLines: number;
  firstBadLine?: number;
}

function isResource(x: unknown): x is Resource {
  return typeof x === 'object' && x !== null && !Array.isArray(x) && typeof (x as Resource).resourceType === 'string';
}

/**
 * Reads a workspace file for the viewer: a JSON Bundle, a JSON resource, or NDJSON (one resource
 * per line, as bulk export writes them). Throws a SyntaxError-like message when it is none.
 */
export function parseFhirFile(text: string, ndjson: boolean): ParsedFile {
  const body = text.replace(/^\uFEFF/, '');
  if (!ndjson) {
    const parsed: unknown = JSON.parse(body);
    if (isBundle(parsed)) return { bundle: parsed, badLines: 0 };
    if (isResource(parsed)) return { resource: parsed, badLines: 0 };
    throw new Error(l10n.t('The file holds JSON but no FHIR resource (no "resourceType").'));
  }
  const resources: Resource[] = [];
  let badLines = 0;
  let firstBadLine: number | undefined;
  const lines = body.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i].trim();
    if (!line) continue;
    let value: unknown;
    try {
      value = JSON.parse(line);
    } catch {
      value = undefined;
    }
    if (isResource(value)) resources.push(value);
    else {
      badLines++;
      firstBadLine ??= i + 1;
    }
  }
  if (!resources.length) throw new Error(badLines ? l10n.t('No line of the file is a FHIR resource (line {0} is not).', firstBadLine ?? 1) : l10n.t('The file is empty.'));
  return { bundle: collectionOf(resources), badLines, firstBadLine };
}
