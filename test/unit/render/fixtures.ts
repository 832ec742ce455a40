import * as fs from 'node:fs';
import * as path from 'node:path';
import type { FhirVersion } from '../../../src/core/environments';
import type { Bundle, Resource } from '../../../src/core/fhir/types';

export const ROOT = path.resolve(__dirname, '..', '..', '..', '..');

/** The Synthea patient Wm Bergstrom as a transaction Bundle in one FHIR version (synthetic data). */
export function synthea(version: FhirVersion): Bundle {
  const file = path.join(ROOT, 'test', 'fixtures', 'synthea', version, 'Wm_Bergstrom_c536dee9-9ef6-4807-ae20-9f1045c9c7d6.json');
  return JSON.parse(fs.readFileSync(file, 'utf8')) as Bundle;
}

export function resourcesOf(bundle: Bundle, type?: string): Resource[] {
  return (bundle.entry ?? []).map((e) => e.resource).filter((r): r is Resource => !!r && (!type || r.resourceType === type));
}

/** A searchset of `n` entries made from the fixture's resources, each with its own id. */
export function bigBundle(n: number, version: FhirVersion = 'r4'): Bundle {
  const source = resourcesOf(synthea(version));
  const entry = Array.from({ length: n }, (_, i) => {
    const r = source[i % source.length];
    return { fullUrl: `urn:uuid:gen-${i}`, resource: { ...r, id: `${r.id}-${i}` } };
  });
  return { resourceType: 'Bundle', type: 'searchset', total: n, entry };
}
