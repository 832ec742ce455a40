import * as l10n from '@vscode/l10n';
import type { FhirVersion } from '../environments';
import { isResourceType } from '../fhir/resourceTypes';
import type { Bundle, Resource } from '../fhir/types';

/** Where a Reference leads. */
export type ReferenceTarget =
  | { kind: 'entry'; key: number }
  | { kind: 'contained'; resource: Resource }
  | { kind: 'remote'; type: string; id: string }
  | { kind: 'unresolvable'; reason: string };

const RELATIVE = /^([A-Z][A-Za-z]{1,63})\/([A-Za-z0-9\-.]{1,64})(?:\/_history\/[A-Za-z0-9\-.]{1,64})?$/;

/** The keys a Bundle's entries are found by: fullUrl (urn:uuid:… or absolute) and `Type/id`. */
export function indexEntries(bundle: Bundle): Map<string, number> {
  const index = new Map<string, number>();
  (bundle.entry ?? []).forEach((e, key) => {
    if (typeof e?.fullUrl === 'string') index.set(e.fullUrl, key);
    const r = e?.resource;
    if (r && typeof r.resourceType === 'string' && typeof r.id === 'string') index.set(`${r.resourceType}/${r.id}`, key);
  });
  return index;
}

export interface ReferenceContext {
  version: FhirVersion;
  /** the Bundle page's entries, when the resource came from one */
  entries?: Map<string, number>;
  /** the resource the reference is in (for `#contained` references) */
  current?: Resource;
  /** `{fhirUrl}/{version}` of the environment: absolute references under it are read from the server */
  fhirBase?: string;
}

/**
 * Resolves a Reference.reference string: within the Bundle, within the resource's contained
 * resources, or to a `Type/id` on the server. Anything else (other servers, malformed strings)
 * is unresolvable: the viewer never fetches from an address the data chose.
 */
export function resolveReference(reference: string, ctx: ReferenceContext): ReferenceTarget {
  const ref = reference.trim();
  if (ref.startsWith('#')) {
    const id = ref.slice(1);
    const contained = Array.isArray(ctx.current?.contained) ? (ctx.current.contained as Resource[]) : [];
    const found = contained.find((c) => c && typeof c === 'object' && c.id === id);
    return found ? { kind: 'contained', resource: found } : { kind: 'unresolvable', reason: l10n.t('No contained resource "{0}".', id) };
  }
  const inBundle = ctx.entries?.get(ref);
  if (inBundle !== undefined) return { kind: 'entry', key: inBundle };
  let relative = ref;
  if (/^[a-z][a-z0-9+.-]*:/i.test(ref)) {
    const base = ctx.fhirBase?.replace(/\/+$/, '');
    if (!base || !ref.startsWith(`${base}/`)) {
      return { kind: 'unresolvable', reason: ref.startsWith('urn:') ? l10n.t('The referenced resource is not in this Bundle.') : l10n.t('The reference points outside the environment\'s FHIR server.') };
    }
    relative = ref.slice(base.length + 1);
    const again = ctx.entries?.get(relative);
    if (again !== undefined) return { kind: 'entry', key: again };
  }
  const m = RELATIVE.exec(relative);
  if (!m) return { kind: 'unresolvable', reason: l10n.t('Not a FHIR reference this viewer can follow.') };
  if (!isResourceType(ctx.version, m[1])) return { kind: 'unresolvable', reason: l10n.t('{0} is not a {1} resource type.', m[1], ctx.version.toUpperCase()) };
  return { kind: 'remote', type: m[1], id: m[2] };
}
