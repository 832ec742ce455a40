// The JSON shape a created resource must have: an object of the path's type, FHIR JSON rules
// (no nulls, no empty objects or arrays, element names), a plausible id, meta and narrative.
import type { FhirVersion } from '../../environments';
import { isResourceType } from '../../fhir/resourceTypes';

const NAME = /^_?[A-Za-z][A-Za-z0-9_]*$/;
const ID = /^[A-Za-z0-9\-.]{1,64}$/;
const MAX_PROBLEMS = 10;

export function validateResource(body: unknown, version: FhirVersion, pathType: string): string[] {
  if (!body || typeof body !== 'object' || Array.isArray(body)) return ['the body must be a JSON object (a FHIR resource)'];
  const r = body as Record<string, unknown>;
  const problems: string[] = [];
  if (typeof r.resourceType !== 'string') problems.push('resourceType is missing');
  else if (r.resourceType !== pathType) problems.push(`resourceType ${r.resourceType} does not match the path, which is for ${pathType}`);
  else if (!isResourceType(version, r.resourceType)) problems.push(`${r.resourceType} is not a FHIR ${version} resource type`);
  if (r.id !== undefined && (typeof r.id !== 'string' || !ID.test(r.id))) problems.push('id must be 1–64 letters, digits, "-" or "."');
  if (r.meta !== undefined && (typeof r.meta !== 'object' || r.meta === null || Array.isArray(r.meta))) problems.push('meta must be an object');
  if (r.text !== undefined) {
    const t = r.text as Record<string, unknown> | null;
    if (!t || typeof t !== 'object' || typeof t.div !== 'string' || !t.div.trim().startsWith('<div')) problems.push('text.div must be an XHTML <div>');
  }
  walk(r, '', problems);
  return problems.slice(0, MAX_PROBLEMS);
}

function walk(v: unknown, path: string, problems: string[]): void {
  if (problems.length >= MAX_PROBLEMS) return;
  if (Array.isArray(v)) {
    if (!v.length) problems.push(`${path} is an empty array (leave it out instead)`);
    v.forEach((x, i) => { if (x !== null) walk(x, `${path}[${i}]`, problems); });
    return;
  }
  if (v === null) {
    problems.push(`${path} is null (leave it out instead)`);
    return;
  }
  if (typeof v !== 'object') return;
  const entries = Object.entries(v);
  if (!entries.length && path) problems.push(`${path} is an empty object`);
  for (const [k, x] of entries) {
    const p = path ? `${path}.${k}` : k;
    if (!NAME.test(k)) problems.push(`"${p}" is not a valid element name`);
    if (k === 'reference' && typeof x !== 'string') problems.push(`${p} must be a string`);
    if (k !== 'div') walk(x, p, problems);
  }
}
