// Who the patients are and what base records each has: the Synthea demo set (held in memory),
// a pool of generated patients (built on demand from (seed, index), a few cached), patients
// given to users created at run time, and the records of the health systems they connected.
import type { Resource } from '../../fhir/types';
import type { HealthSystem } from '../connect/systems';
import type { Directory } from './build';
import { buildType, countType, GENERATED_TYPES, SUPPLEMENT_TYPES } from './build';
import type { DemoPatient, Fixtures } from './fixtures';
import { Ids } from './ids';
import { Lru } from './lru';
import type { Plan } from './plan';
import { planPatient, planSupplement, planSystemRecords } from './plan';
import { iso } from './text';

export interface Compartment {
  /** the Patient id */
  id: string;
  appId: string;
  kind: 'demo' | 'gen' | 'created';
  /** position in the app-wide order of patients */
  ordinal: number;
  ownerUserId?: string;
  demo?: DemoPatient;
  genIndex?: number;
}

export interface Connection { systemId: number; at: number; seq: number }

/** Records of one origin: the patient's own (seq 0) or one connected system's. */
export interface Slice { resources: Resource[]; seq: number }

export class Dataset {
  private readonly demo: Compartment[];
  private readonly extras: Compartment[] = [];
  private readonly byId = new Map<string, Compartment>();
  private readonly connections = new Map<string, Connection[]>();
  private readonly plans = new Lru<string, Plan>(4096);
  // small: a 10,000-patient search walks every patient once; caching them all would hold millions of objects
  private readonly built = new Lru<string, Resource[]>(256);
  private nextGenerated: number;
  private readonly systemsById: Map<number, HealthSystem>;
  /** Bumped when patients are added, so cached search indexes know to recount. */
  generation = 0;
  readonly ids: Ids;

  constructor(
    readonly seed: number,
    readonly pool: number,
    readonly fixtures: Fixtures,
    readonly systems: HealthSystem[],
    readonly primaryApp: string,
  ) {
    this.ids = new Ids(seed);
    this.demo = fixtures.patients.map((p, i) => ({ id: p.id, appId: primaryApp, kind: 'demo', ordinal: i, demo: p }));
    for (const c of this.demo) this.byId.set(c.id, c);
    this.nextGenerated = pool;
    this.systemsById = new Map(systems.map((s) => [s.id, s]));
  }

  get directory(): Directory {
    return this.fixtures.directory;
  }

  get demoPatients(): readonly Compartment[] {
    return this.demo;
  }

  system(id: number): HealthSystem | undefined {
    return this.systemsById.get(id);
  }

  compartment(id: string): Compartment | undefined {
    const c = this.byId.get(id);
    if (c) return c;
    const index = this.ids.generatedIndex(id);
    if (index === undefined || index >= this.pool) return undefined;
    return { id, appId: this.primaryApp, kind: 'gen', ordinal: this.demo.length + index, genIndex: index };
  }

  /** Every patient of an app, in a stable order: demo, generated pool, then later ones. */
  *compartmentsOf(appId: string): Generator<Compartment> {
    if (appId === this.primaryApp) {
      yield* this.demo;
      for (let i = 0; i < this.pool; i++) yield { id: this.ids.generatedPatient(i), appId: this.primaryApp, kind: 'gen', ordinal: this.demo.length + i, genIndex: i };
    }
    for (const c of this.extras) if (c.appId === appId) yield c;
  }

  /** A new generated patient for a user created at run time. */
  allocateGenerated(appId: string, ownerUserId: string): Compartment {
    const index = this.nextGenerated++;
    return this.addExtra({ id: this.ids.generatedPatient(index), appId, kind: 'gen', ordinal: 0, ownerUserId, genIndex: index });
  }

  /** A patient that exists because someone POSTed a Patient resource. */
  addCreated(appId: string, id: string, ownerUserId: string | undefined): Compartment {
    return this.addExtra({ id, appId, kind: 'created', ordinal: 0, ownerUserId });
  }

  private addExtra(c: Compartment): Compartment {
    c.ordinal = this.demo.length + this.pool + this.extras.length;
    this.generation++;
    this.extras.push(c);
    this.byId.set(c.id, c);
    return c;
  }

  plan(c: Compartment): Plan | undefined {
    if (c.genIndex === undefined) return undefined;
    return this.plans.getOr(c.id, () => planPatient(this.seed, c.genIndex!, this.directory, c.id));
  }

  /** A demo patient's extra records (the types Synthea's data has none of). */
  private supplement(c: Compartment, r4Type: string): Plan | undefined {
    if (!c.demo || !SUPPLEMENT_TYPES.includes(r4Type) || this.fixtures.byPatient.get(c.id)?.has(r4Type)) return undefined;
    return this.plans.getOr(`${c.id}|supplement`, () => planSupplement(this.seed, c.demo!, this.directory));
  }

  /** Name, birth and gender: what a connected system's records need to know of the patient. */
  patientInfo(c: Compartment): { id: string; display: string; birth: number; gender: 'male' | 'female' } | undefined {
    if (c.demo) return c.demo;
    const p = this.plan(c);
    return p && { id: c.id, display: p.patientDisplay, birth: p.birth, gender: p.gender };
  }

  connect(c: Compartment, systemId: number, at: number, seq: number): void {
    const list = (this.connections.get(c.id) ?? []).filter((x) => x.systemId !== systemId);
    list.push({ systemId, at, seq });
    this.connections.set(c.id, list);
  }

  connectionsOf(compartmentId: string): readonly Connection[] {
    return this.connections.get(compartmentId) ?? [];
  }

  private systemPlan(c: Compartment, conn: Connection): Plan | undefined {
    const sys = this.systemsById.get(conn.systemId);
    const info = this.patientInfo(c);
    if (!sys || !info) return undefined;
    return this.plans.getOr(`${c.id}|s${conn.systemId}|${conn.at}`,
      () => planSystemRecords(this.seed, info, { id: sys.id, org: sys.org, url: sys.resourceUrl }, iso(conn.at), this.directory));
  }

  /** The base R4 records of one type: the patient's own, then each connected system's. */
  slices(c: Compartment, r4Type: string): Slice[] {
    const out: Slice[] = [];
    const extra = this.supplement(c, r4Type);
    if (extra) {
      out.push({ resources: this.built.getOr(`${c.id}|${r4Type}`, () => buildType(extra, r4Type, this.directory)), seq: 0 });
    } else if (c.demo) {
      out.push({ resources: this.fixtures.byPatient.get(c.id)?.get(r4Type) ?? [], seq: 0 });
    } else {
      const plan = this.plan(c);
      if (plan) out.push({ resources: this.built.getOr(`${c.id}|${r4Type}`, () => buildType(plan, r4Type, this.directory)), seq: 0 });
    }
    for (const conn of this.connectionsOf(c.id)) {
      const plan = this.systemPlan(c, conn);
      if (plan && r4Type !== 'Patient') {
        out.push({ resources: this.built.getOr(`${c.id}|s${conn.systemId}|${conn.at}|${r4Type}`, () => buildType(plan, r4Type, this.directory)), seq: conn.seq });
      }
    }
    return out;
  }

  /** How many base records of a type a patient has, without building them when generated. */
  count(c: Compartment, r4Type: string): number {
    let n = 0;
    const extra = this.supplement(c, r4Type);
    if (extra) n += countType(extra, r4Type);
    else if (c.demo) n += this.fixtures.byPatient.get(c.id)?.get(r4Type)?.length ?? 0;
    else if (r4Type === 'Patient') n += c.genIndex !== undefined ? 1 : 0;
    else {
      const plan = this.plan(c);
      if (plan) n += countType(plan, r4Type);
    }
    if (r4Type !== 'Patient') {
      for (const conn of this.connectionsOf(c.id)) {
        const plan = this.systemPlan(c, conn);
        if (plan) n += countType(plan, r4Type);
      }
    }
    return n;
  }

  /** Resources in nobody's compartment (hospitals, practitioners). */
  loose(r4Type: string): Resource[] {
    return this.fixtures.loose.get(r4Type) ?? [];
  }

  /** The R4 types this dataset holds for patients. */
  patientTypes(): string[] {
    const types = new Set<string>(GENERATED_TYPES);
    for (const m of this.fixtures.byPatient.values()) for (const t of m.keys()) types.add(t);
    return [...types].sort();
  }
}
