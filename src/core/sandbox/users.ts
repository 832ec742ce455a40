// App users, the patient record each one owns, and who granted whom access to their records.
import type { Compartment, Dataset } from './data/dataset';
import type { Scope } from './data/view';

export interface User {
  oneupUserId: string;
  appUserId: string;
  active: boolean;
  appId: string;
  /** the patient record the user was given when created */
  patientId: string;
  /** patients the user created by POSTing Patient resources */
  extraPatients: string[];
  createdAt: string;
}

/** A grant: `from` lets `to` read one of their patients, or all of them ('*'). */
export interface Grant { from: string; to: string; patient: string }

export class Users {
  private readonly all = new Map<string, User>();
  private readonly grantList: Grant[] = [];
  private nextId = 100001;

  constructor(private readonly dataset: Dataset) {}

  /** Creates a user with a new patient record (or the given demo one); undefined if the id is taken. */
  create(appId: string, appUserId: string, patient?: Compartment): User | undefined {
    if (this.byAppUserId(appId, appUserId)) return undefined;
    const oneupUserId = String(this.nextId++);
    const c = patient ?? this.dataset.allocateGenerated(appId, oneupUserId);
    c.ownerUserId = oneupUserId;
    const user: User = { oneupUserId, appUserId, active: true, appId, patientId: c.id, extraPatients: [], createdAt: new Date().toISOString() };
    this.all.set(oneupUserId, user);
    return user;
  }

  list(appId: string): User[] {
    return [...this.all.values()].filter((u) => u.appId === appId);
  }

  get(oneupUserId: string): User | undefined {
    return this.all.get(oneupUserId);
  }

  /** A user of this app by 1up id. */
  ofApp(appId: string, oneupUserId: string): User | undefined {
    const u = this.all.get(oneupUserId.trim());
    return u?.appId === appId ? u : undefined;
  }

  byAppUserId(appId: string, appUserId: string): User | undefined {
    for (const u of this.all.values()) if (u.appId === appId && u.appUserId === appUserId) return u;
    return undefined;
  }

  patientsOf(user: User): string[] {
    return [user.patientId, ...user.extraPatients];
  }

  grant(from: User, to: User, patient: string): void {
    if (!this.grantList.some((g) => g.from === from.oneupUserId && g.to === to.oneupUserId && g.patient === patient)) {
      this.grantList.push({ from: from.oneupUserId, to: to.oneupUserId, patient });
    }
  }

  /** Revokes what `from` granted `to` (one patient's grant, or all of them for '*'). */
  revoke(from: User, to: User, patient: string): void {
    for (let i = this.grantList.length - 1; i >= 0; i--) {
      const g = this.grantList[i];
      if (g.from === from.oneupUserId && g.to === to.oneupUserId && (patient === '*' || g.patient === patient)) this.grantList.splice(i, 1);
    }
  }

  grants(): readonly Grant[] {
    return this.grantList;
  }

  scopeFor(user: User): Scope {
    const compartments = new Set(this.patientsOf(user));
    const owners = new Set([user.oneupUserId]);
    for (const g of this.grantList) {
      if (g.to !== user.oneupUserId) continue;
      const from = this.all.get(g.from);
      if (!from?.active) continue;
      if (g.patient === '*') {
        for (const p of this.patientsOf(from)) compartments.add(p);
        owners.add(from.oneupUserId);
      } else {
        compartments.add(g.patient);
      }
    }
    const key = `${user.appId}|u${user.oneupUserId}|${[...compartments].sort().join(',')}|${[...owners].sort().join(',')}`;
    return { appId: user.appId, all: false, userId: user.oneupUserId, compartments, owners, key };
  }

  appScope(appId: string): Scope {
    return { appId, all: true, compartments: new Set(), owners: new Set(), key: `${appId}|all` };
  }
}
