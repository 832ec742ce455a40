import type * as vscode from 'vscode';

interface Remembered {
  /** oneup_user_ids this user granted access to (1upHealth has no call that lists grants). */
  grants: string[];
  /** Health systems connected through this extension's Connect flow. */
  systems: { id: string; name: string }[];
}

/**
 * What the extension itself has seen happen to a user (grants it made, systems connected through
 * it), kept in global state per environment. Holds ids and system names only, no health data.
 */
export class UserMemory {
  /** app_user_id by oneup_user_id, per environment, as the last user lists said (memory only). */
  private readonly names = new Map<string, Map<string, string>>();

  constructor(private readonly state: vscode.Memento) {}

  /** Keeps the names a user list answered, so messages and views can name users instead of showing ids. */
  rememberNames(environment: string, users: readonly { oneupUserId: string; appUserId?: string }[]): void {
    let known = this.names.get(environment);
    if (!known) this.names.set(environment, (known = new Map()));
    for (const u of users) if (u.appUserId) known.set(u.oneupUserId, u.appUserId);
  }

  /** A user's app_user_id, when a user list of this session named it. */
  nameOf(environment: string, oneupUserId: string): string | undefined {
    return this.names.get(environment)?.get(oneupUserId);
  }

  get(environment: string, oneupUserId: string): Remembered {
    const r = this.state.get<Remembered>(key(environment, oneupUserId));
    return { grants: r?.grants ?? [], systems: r?.systems ?? [] };
  }

  async addGrant(environment: string, oneupUserId: string, grantee: string): Promise<void> {
    const r = this.get(environment, oneupUserId);
    if (!r.grants.includes(grantee)) r.grants.push(grantee);
    await this.state.update(key(environment, oneupUserId), r);
  }

  async removeGrant(environment: string, oneupUserId: string, grantee: string): Promise<void> {
    const r = this.get(environment, oneupUserId);
    r.grants = r.grants.filter((g) => g !== grantee);
    await this.state.update(key(environment, oneupUserId), r);
  }

  /** Adds a connected system, or renames one already listed (a later connect knows its real name). */
  async addSystem(environment: string, oneupUserId: string, system: { id: string; name: string }): Promise<void> {
    const r = this.get(environment, oneupUserId);
    const known = r.systems.find((s) => s.id === system.id);
    if (known) known.name = system.name;
    else r.systems.push({ id: system.id, name: system.name });
    await this.state.update(key(environment, oneupUserId), r);
  }

  /** Forgets everything about an environment (the sandbox's users vanish when it stops). */
  async forgetEnvironment(environment: string): Promise<void> {
    this.names.delete(environment);
    const prefix = key(environment, '');
    for (const k of this.state.keys()) if (k.startsWith(prefix)) await this.state.update(k, undefined);
  }
}

function key(environment: string, oneupUserId: string): string {
  return `oneup.user/${environment}/${oneupUserId}`;
}
