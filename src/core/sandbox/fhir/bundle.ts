import { randomUUID } from 'node:crypto';
import type { Bundle, BundleLink, Resource } from '../../fhir/types';

/** A searchset Bundle; `fhirBase` is the versioned base the request used (e.g. …/fhir/r4). No `link` when `links` is undefined. */
export function searchset(fhirBase: string, total: number, links: BundleLink[] | undefined, resources: Resource[]): Bundle {
  return {
    resourceType: 'Bundle',
    id: randomUUID(),
    meta: { lastUpdated: new Date().toISOString() },
    type: 'searchset',
    total,
    ...(links ? { link: links } : {}),
    entry: resources.map((r) => ({ fullUrl: `${fhirBase}/${r.resourceType}/${r.id}`, resource: r, search: { mode: 'match' } })),
  };
}
