// What changed since start: created resources, single deletions and whole-patient purges.
// Base data is never copied here; a sequence number orders events, so a purge deletes exactly
// what existed before it.
import type { FhirVersion } from '../../environments';
import type { Resource } from '../../fhir/types';

export interface Created {
  resource: Resource;
  version: FhirVersion;
  type: string;
  appId: string;
  /** undefined: created with the app's own credentials (x-oneup-user-id: client) */
  ownerUserId?: string;
  compartmentId?: string;
  seq: number;
}

const key = (version: string, type: string, id: string) => `${version}|${type}|${id}`;

export class Overlay {
  private seqCounter = 0;
  private readonly byKey = new Map<string, Created>();
  private readonly byCompartment = new Map<string, Map<string, Created[]>>();
  private readonly loose = new Map<string, Created[]>();
  private readonly deleted = new Set<string>();
  private readonly deletionsIn = new Map<string, number>();
  private readonly purges = new Map<string, number>();
  // wall-clock times of deletions, for incremental exports' `deleted` lists (_since)
  private readonly deletedAtMs = new Map<string, number>();
  private readonly purgedAtMs = new Map<string, number>();

  /** Bumped on every change, so cached counts and totals know when to recompute. */
  generation = 0;

  tick(): number {
    this.generation++;
    return ++this.seqCounter;
  }

  add(entry: Omit<Created, 'seq'>): Created {
    const c: Created = { ...entry, seq: this.tick() };
    this.byKey.set(key(c.version, c.type, c.resource.id!), c);
    const vt = `${c.version}|${c.type}`;
    let map: Map<string, Created[]>;
    if (c.compartmentId) {
      map = this.byCompartment.get(c.compartmentId) ?? new Map();
      this.byCompartment.set(c.compartmentId, map);
    } else {
      map = this.loose;
    }
    const list = map.get(vt);
    if (list) list.push(c);
    else map.set(vt, [c]);
    return c;
  }

  get(version: FhirVersion, type: string, id: string): Created | undefined {
    return this.byKey.get(key(version, type, id));
  }

  inCompartment(compartmentId: string, version: FhirVersion, type: string): readonly Created[] {
    return this.byCompartment.get(compartmentId)?.get(`${version}|${type}`) ?? [];
  }

  looseOf(version: FhirVersion, type: string): readonly Created[] {
    return this.loose.get(`${version}|${type}`) ?? [];
  }

  /** Every version|type with created resources in a compartment (for $everything and exports). */
  typesInCompartment(compartmentId: string): string[] {
    return [...(this.byCompartment.get(compartmentId)?.keys() ?? [])];
  }

  deleteCreated(c: Created): void {
    this.markDeleted(key(c.version, c.type, c.resource.id!), c.compartmentId);
  }

  deleteBase(r4Type: string, id: string, compartmentId: string | undefined): void {
    this.markDeleted(key('base', r4Type, id), compartmentId);
  }

  private markDeleted(k: string, compartmentId: string | undefined): void {
    this.deleted.add(k);
    this.deletedAtMs.set(k, Date.now());
    if (compartmentId) this.deletionsIn.set(compartmentId, (this.deletionsIn.get(compartmentId) ?? 0) + 1);
    this.tick();
  }

  purge(compartmentId: string): void {
    this.purges.set(compartmentId, this.tick());
    this.purgedAtMs.set(compartmentId, Date.now());
  }

  /**
   * When a deleted record was deleted (epoch ms): a created one by its version, type and id, a
   * base one by its R4 type and id, or with its whole patient.
   */
  deletionTime(version: FhirVersion, type: string, r4Type: string | undefined, id: string, compartmentId: string | undefined): number | undefined {
    const times = [this.deletedAtMs.get(key(version, type, id)), r4Type ? this.deletedAtMs.get(key('base', r4Type, id)) : undefined,
      compartmentId ? this.purgedAtMs.get(compartmentId) : undefined].filter((t): t is number => t !== undefined);
    return times.length ? Math.max(...times) : undefined;
  }

  purgedAt(compartmentId: string | undefined): number | undefined {
    return compartmentId ? this.purges.get(compartmentId) : undefined;
  }

  /** True when nothing in the compartment was ever deleted (counts can skip building). */
  untouched(compartmentId: string): boolean {
    return !this.purges.has(compartmentId) && !this.deletionsIn.has(compartmentId);
  }

  isCreatedDeleted(c: Created): boolean {
    const purged = this.purgedAt(c.compartmentId);
    return this.deleted.has(key(c.version, c.type, c.resource.id!)) || (purged !== undefined && purged > c.seq);
  }

  /** A base record (seq 0) or a connected system's (seq of the connection) in a compartment. */
  isBaseDeleted(r4Type: string, id: string, compartmentId: string | undefined, seq: number): boolean {
    const purged = this.purgedAt(compartmentId);
    return this.deleted.has(key('base', r4Type, id)) || (purged !== undefined && purged > seq);
  }

  createdCount(): number {
    return this.byKey.size;
  }

  deletedCount(): number {
    return this.deleted.size;
  }
}
