import type { Resource } from '../../fhir/types';

type Obj = Record<string, unknown>;

function conceptText(cc: unknown): string | undefined {
  const c = cc as Obj | undefined;
  if (!c || typeof c !== 'object') return undefined;
  if (typeof c.text === 'string') return c.text;
  const coding = (c.coding as Obj[] | undefined)?.[0];
  return (coding?.display ?? coding?.code) as string | undefined;
}

/** A person's name as people write it: prefix, given names, family name. */
export function humanName(name: unknown): string | undefined {
  const n = (Array.isArray(name) ? name[0] : name) as Obj | undefined;
  if (!n) return undefined;
  if (typeof n.text === 'string') return n.text;
  const parts = [...((n.prefix as string[]) ?? []), ...((n.given as string[]) ?? []),
    ...(Array.isArray(n.family) ? (n.family as string[]) : n.family ? [n.family as string] : [])];
  return parts.length ? parts.join(' ') : undefined;
}

/** A short human label for a resource (its code, vaccine, medication, type or name). */
export function describe(r: Resource): string {
  const o = r as Obj;
  return conceptText(o.code) ?? conceptText(o.vaccineCode) ?? conceptText(o.medicationCodeableConcept)
    ?? conceptText(o.substance) ?? conceptText((o.type as unknown[] | undefined)?.[0] ?? o.type)
    ?? conceptText((o.category as unknown[] | undefined)?.[0])
    ?? (typeof o.name === 'string' ? o.name : humanName(o.name)) ?? r.resourceType;
}
