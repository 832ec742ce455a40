import * as vscode from 'vscode';
import type { FhirVersion } from '../core/environments';
import { InputError } from '../core/errors';
import type { Bundle, Resource } from '../core/fhir/types';
import { loadLazy } from '../host/lazy';
import type * as Render from '../lazy/render';
import { fileName, isNdjson, readText } from './files';

/** A workspace file read for the viewer: one resource, or a Bundle (NDJSON lines become a collection). */
export type FhirFile =
  | { kind: 'resource'; resource: Resource; version: FhirVersion }
  | { kind: 'bundle'; bundle: Bundle; version: FhirVersion; notice?: string };

/** Reads and parses a .json / .ndjson file (an open editor's text when it is open); its FHIR version guessed when not given. */
export async function readFhirFile(uri: vscode.Uri, version: FhirVersion | undefined, fallback: FhirVersion): Promise<FhirFile> {
  const render = loadLazy<typeof Render>('render');
  const text = await readText(uri);
  let parsed: ReturnType<typeof Render.parseFhirFile>;
  try {
    parsed = render.parseFhirFile(text, isNdjson(uri));
  } catch (e) {
    throw new InputError(vscode.l10n.t('{0} cannot be shown: {1}', fileName(uri), e instanceof Error ? e.message : String(e)));
  }
  const resources = parsed.bundle ? (parsed.bundle.entry ?? []).map((e) => e.resource).filter((r): r is Resource => !!r) : [parsed.resource as Resource];
  const v = version ?? render.guessFhirVersion(resources) ?? fallback;
  if (parsed.resource) return { kind: 'resource', resource: parsed.resource, version: v };
  return { kind: 'bundle', bundle: parsed.bundle as Bundle, version: v, notice: badLinesNotice(parsed.badLines, parsed.firstBadLine) };
}

function badLinesNotice(bad: number, first: number | undefined): string | undefined {
  if (!bad) return undefined;
  return bad === 1
    ? vscode.l10n.t('1 line was not a FHIR resource and is left out (line {0}).', first ?? '?')
    : vscode.l10n.t('{0} lines were not FHIR resources and are left out (the first is line {1}).', bad, first ?? '?');
}
