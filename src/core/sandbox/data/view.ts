// What a caller sees: base records and created ones, in one FHIR version's shapes, limited to
// the patients their token may read, with deletions applied.
import type { FhirVersion } from '../../environments';
import type { Resource } from '../../fhir/types';
import { baseType, convert } from '../fhir/convert';
import { patientOfRecordId } from './ids';
import type { Compartment, Dataset } from './dataset';
import type { Created, Overlay } from './overlay';

/** Whose data a request may read. `all`: the app-wide `x-oneup-user-id: client` view. */
export interface Scope {
  appId: string;
  all: boolean;
  userId?: string;
  /** patient compartments a user may read (their own and those granted to them) */
  compartments: ReadonlySet<string>;
  /** users whose patient-less resources (created without a subject) are visible */
  owners: ReadonlySet<string>;
  /** identifies the scope in caches */
  key: string;
}

export interface Entry { resource: Resource; deleted: boolean; compartmentId?: string }

export class DataView {
  constructor(readonly dataset: Dataset, readonly overlay: Overlay) {}

  /** A cache key that changes whenever anything a search could see changes. */
  get generation(): string {
    return `${this.overlay.generation}.${this.dataset.generation}`;
  }

  canSee(scope: Scope, c: Compartment): boolean {
    return c.appId === scope.appId && (scope.all || scope.compartments.has(c.id));
  }

  /** The visible patients in the app-wide order. */
  compartments(scope: Scope): Compartment[] {
    if (scope.all) return [...this.dataset.compartmentsOf(scope.appId)];
    return [...scope.compartments].map((id) => this.dataset.compartment(id))
      .filter((c): c is Compartment => !!c && c.appId === scope.appId)
      .sort((a, b) => a.ordinal - b.ordinal);
  }

  /** One patient's resources of a type as served in a version (deleted ones only when asked). */
  entries(c: Compartment, version: FhirVersion, type: string, withDeleted = false): Entry[] {
    const out: Entry[] = [];
    const r4Type = baseType(version, type);
    if (r4Type) {
      for (const slice of this.dataset.slices(c, r4Type)) {
        for (const r of slice.resources) {
          const deleted = this.overlay.isBaseDeleted(r4Type, r.id!, c.id, slice.seq);
          if (deleted && !withDeleted) continue;
          out.push({ resource: convert(r, version), deleted, compartmentId: c.id });
        }
      }
    }
    for (const cr of this.overlay.inCompartment(c.id, version, type)) this.pushCreated(out, cr, withDeleted);
    return out;
  }

  /** How many resources `entries` would answer, cheaply when nothing was deleted. */
  count(c: Compartment, version: FhirVersion, type: string): number {
    if (!this.overlay.untouched(c.id)) return this.entries(c, version, type).length;
    const r4Type = baseType(version, type);
    return (r4Type ? this.dataset.count(c, r4Type) : 0) + this.overlay.inCompartment(c.id, version, type).length;
  }

  /** Resources in no patient's compartment that the scope may read. */
  looseEntries(scope: Scope, version: FhirVersion, type: string, withDeleted = false): Entry[] {
    const out: Entry[] = [];
    const r4Type = baseType(version, type);
    if (r4Type) {
      for (const r of this.dataset.loose(r4Type)) {
        const deleted = this.overlay.isBaseDeleted(r4Type, r.id!, undefined, 0);
        if (!deleted || withDeleted) out.push({ resource: convert(r, version), deleted });
      }
    }
    for (const cr of this.overlay.looseOf(version, type)) {
      const mine = cr.appId === scope.appId && (scope.all || (cr.ownerUserId !== undefined && scope.owners.has(cr.ownerUserId)));
      if (mine) this.pushCreated(out, cr, withDeleted);
    }
    return out;
  }

  private pushCreated(out: Entry[], cr: Created, withDeleted: boolean): void {
    const deleted = this.overlay.isCreatedDeleted(cr);
    if (!deleted || withDeleted) out.push({ resource: cr.resource, deleted, compartmentId: cr.compartmentId });
  }

  /** Finds a resource by id: undefined when unknown or not visible (both answer 404). */
  find(scope: Scope, version: FhirVersion, type: string, id: string): Entry | undefined {
    const created = this.overlay.get(version, type, id);
    if (created) {
      const c = created.compartmentId ? this.dataset.compartment(created.compartmentId) : undefined;
      const visible = c ? this.canSee(scope, c)
        : created.appId === scope.appId && (scope.all || (!!created.ownerUserId && scope.owners.has(created.ownerUserId)));
      return visible ? { resource: created.resource, deleted: this.overlay.isCreatedDeleted(created), compartmentId: c?.id } : undefined;
    }
    const c = this.locate(version, type, id);
    if (c === 'loose') return this.looseEntries(scope, version, type, true).find((e) => e.resource.id === id);
    if (!c || !this.canSee(scope, c)) return undefined;
    return this.entries(c, version, type, true).find((e) => e.resource.id === id);
  }

  /** Which patient a base resource id belongs to (or 'loose'), without scanning. */
  private locate(version: FhirVersion, type: string, id: string): Compartment | 'loose' | undefined {
    const r4Type = baseType(version, type);
    if (!r4Type) return undefined;
    if (r4Type === 'Patient') return this.dataset.compartment(id);
    // a patient's records carry the patient's id in theirs
    const patient = patientOfRecordId(id);
    if (patient) return this.dataset.compartment(patient);
    return this.dataset.loose(r4Type).some((r) => r.id === id) ? 'loose' : undefined;
  }
}
