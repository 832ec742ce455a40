import type { FhirVersion } from '../environments';
import type { Resource } from '../fhir/types';
import type { CallRecord, Services } from './services';
import type { User } from './users';

export interface ConnectedSystem { id: number; name: string; connectedAt: string }

export interface SandboxUserView {
  oneupUserId: string;
  appUserId: string;
  active: boolean;
  clientId: string;
  patientIds: string[];
  connectedSystems: ConnectedSystem[];
}

/** Read-only views of a running sandbox, for tests and the UI. */
export interface SandboxInspector {
  users(): SandboxUserView[];
  /** by oneup_user_id or app_user_id */
  user(id: string): SandboxUserView | undefined;
  connectedSystems(oneupUserId: string): ConnectedSystem[];
  grants(): { from: string; to: string; patient: string }[];
  /** a resource as the app-wide view of its app sees it (undefined when unknown or deleted) */
  resource(version: FhirVersion, type: string, id: string, clientId?: string): Resource | undefined;
  createdCount(): number;
  deletedCount(): number;
  /** the last 1000 requests */
  calls(): readonly CallRecord[];
  exports(): { id: string; status: string; files: { type: string; name: string; count: number; bytes: number; kind: 'output' | 'error' | 'deleted' }[] }[];
  /** patients of the first app: demo, generated, and those of users and Patient resources created since */
  patientCount(): number;
  healthSystems(): { id: number; name: string }[];
  /** The Patient id of generated patient n (0-based, of the pool the sandbox started with). */
  generatedPatientId(n: number): string;
  /** The Patient ids of the Synthea demo patients. */
  demoPatientIds(): string[];
}

export function inspector(s: Services): SandboxInspector {
  const connected = (u: User): ConnectedSystem[] => s.dataset.connectionsOf(u.patientId).map((c) => ({
    id: c.systemId, name: s.dataset.system(c.systemId)?.name ?? String(c.systemId), connectedAt: new Date(c.at).toISOString(),
  }));
  const view = (u: User): SandboxUserView => ({
    oneupUserId: u.oneupUserId, appUserId: u.appUserId, active: u.active, clientId: u.appId,
    patientIds: s.users.patientsOf(u), connectedSystems: connected(u),
  });
  const all = () => s.apps.all.flatMap((a) => s.users.list(a.clientId));
  return {
    users: () => all().map(view),
    user: (id) => {
      const u = s.users.get(id) ?? all().find((x) => x.appUserId === id);
      return u && view(u);
    },
    connectedSystems: (id) => {
      const u = s.users.get(id);
      return u ? connected(u) : [];
    },
    grants: () => s.users.grants().map((g) => ({ ...g })),
    resource: (version, type, id, clientId = s.apps.first.clientId) => {
      const e = s.view.find(s.users.appScope(clientId), version, type, id);
      return e && !e.deleted ? e.resource : undefined;
    },
    createdCount: () => s.overlay.createdCount(),
    deletedCount: () => s.overlay.deletedCount(),
    calls: () => s.calls,
    exports: () => s.exports.all().map((j) => ({
      id: j.id, status: j.status, files: j.files.map((f) => ({ type: f.type, name: f.name, count: f.count, bytes: f.bytes, kind: f.kind })),
    })),
    patientCount: () => {
      let n = 0;
      for (const _ of s.dataset.compartmentsOf(s.apps.first.clientId)) n++;
      return n;
    },
    healthSystems: () => s.systems.map((x) => ({ id: x.id, name: x.name })),
    generatedPatientId: (n) => s.dataset.ids.generatedPatient(n),
    demoPatientIds: () => s.dataset.demoPatients.map((c) => c.id),
  };
}
