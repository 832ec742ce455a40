// The health systems a user can connect: a few labelled "(demo)" like 1upHealth's own test
// systems (4706 is the Epic test system in 1upHealth's docs), two payers, and the Synthea hospitals.
import type { Resource } from '../../fhir/types';

export interface HealthSystem {
  id: number;
  name: string;
  kind: 'HealthSystem' | 'Payer';
  ehr: string;
  apiVersion: string;
  status: 'active' | 'beta';
  /** index into the directory of organizations: where its records' visits take place */
  org: number;
  resourceUrl: string;
  locations: { name: string; address: { line: string[]; city: string; state: string; postalCode: string } }[];
}

const DEMO: Omit<HealthSystem, 'org' | 'locations' | 'resourceUrl'>[] = [
  { id: 4706, name: 'Epic (demo)', kind: 'HealthSystem', ehr: 'epic', apiVersion: 'DSTU2', status: 'active' },
  { id: 4707, name: 'Cerner (demo)', kind: 'HealthSystem', ehr: 'cerner', apiVersion: 'DSTU2', status: 'active' },
  { id: 4708, name: 'Allscripts (demo)', kind: 'HealthSystem', ehr: 'allscripts', apiVersion: 'DSTU2', status: 'beta' },
  { id: 9101, name: 'Medicare Blue Button (demo)', kind: 'Payer', ehr: 'bluebutton', apiVersion: 'R4', status: 'active' },
  { id: 9102, name: 'Commonwealth Health Plan (demo)', kind: 'Payer', ehr: 'payer', apiVersion: 'R4', status: 'active' },
];
const EHRS = ['epic', 'cerner', 'meditech', 'athenahealth', 'allscripts'];

function titleCase(s: string): string {
  return s.toLowerCase().replace(/(^|[\s(/-])([a-z])/g, (_m, pre: string, c: string) => pre + c.toUpperCase())
    .replace(/[\s,-]+$/, '').replace(/\s+-\s*\d*$/, '').trim();
}

function slug(s: string): string {
  return s.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '');
}

export function healthSystems(hospitals: Resource[]): HealthSystem[] {
  const out: HealthSystem[] = DEMO.map((d, i) => ({
    ...d, org: i, resourceUrl: `https://${slug(d.name)}.fhir.example/api/FHIR/${d.apiVersion}`, locations: [],
  }));
  hospitals.forEach((h, i) => {
    const name = titleCase(String(h.name ?? `Hospital ${i + 1}`));
    const a = (h.address as { line?: string[]; city?: string; state?: string; postalCode?: string }[] | undefined)?.[0];
    const ehr = EHRS[i % EHRS.length];
    out.push({
      id: 10001 + i, name, kind: 'HealthSystem', ehr, apiVersion: ehr === 'epic' ? 'DSTU2' : 'R4', status: 'active', org: i,
      resourceUrl: `https://${slug(name)}.fhir.example/${ehr}/api/FHIR/R4`,
      locations: a ? [{ name, address: { line: (a.line ?? []).map(titleCase), city: titleCase(a.city ?? ''), state: a.state ?? 'MA', postalCode: a.postalCode ?? '' } }] : [],
    });
  });
  return out;
}
