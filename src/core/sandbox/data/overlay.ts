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
  /** size of the stored JSON */
  bytes: number;
  /** deleted and freed: only a stub is kept, for the 410 */
  released?: boolean;
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

  private live = 0;
  private liveBytes = 0;

  /** Bumped on every change, so cached counts and totals know when to recompute. */
  generation = 0;

  constructor(private readonly limits: { maxCount: number; maxBytes: number } = { maxCount: Infinity, maxBytes: Infinity }) {}

  /** Why one more created resource of this size cannot be kept (undefined: it can). */
  noRoomFor(bytes: number): string | undefined {
    const mb = (n: number) => `${Math.round(n / 1024 / 1024)} MB`;
    if (this.live >= this.limits.maxCount) {
      return `the sandbox keeps at most ${this.limits.maxCount} created resources and holds ${this.live}: delete some (or restart the sandbox) first`;
    }
    if (this.liveBytes + bytes > this.limits.maxBytes) {
      return `the sandbox keeps at most ${mb(this.limits.maxBytes)} of created resources and holds ${mb(this.liveBytes)}: this one (${Math.ceil(bytes / 1024)} KB) does not fit; delete some (or restart the sandbox) first`;
    }
    return undefined;
  }

  tick(): number {
    this.generation++;
    return ++this.seqCounter;
  }

  add(entry: Omit<Created, 'seq'>): Created {
    const c: Created = { ...entry, seq: this.tick() };
    this.live++;
    this.liveBytes += c.bytes;
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
    this.release(c);
    this.markDeleted(key(c.version, c.type, c.resource.id!), c.compartmentId);
  }

  /** Frees what a deleted created resource held; a stub stays so reads answer 410. */
  private release(c: Created): void {
    if (c.released) return;
    c.released = true;
    this.live--;
    this.liveBytes -= c.bytes;
    c.resource = { resourceType: c.resource.resourceType, id: c.resource.id };
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
    for (const list of this.byCompartment.get(compartmentId)?.values() ?? []) {
      for (const c of list) this.release(c);
    }
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

  /** Created resources not deleted, and their bytes. */
  usage(): { count: number; bytes: number } {
    return { count: this.live, bytes: this.liveBytes };
  }

  deletedCount(): number {
    return this.deleted.size;
  }
}
