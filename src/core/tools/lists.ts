import type { AppUser, HealthSystem } from '../api';
import { Answer } from './budget';
import { ToolNames } from './catalog';

/** A window of a list the server answers whole (users, health systems): `offset` and `limit`. */
export interface Window {
  offset: number;
  limit: number;
}

export interface UsersAnswer extends Window {
  environment: string;
  users: readonly AppUser[];
  /** Token state per oneup_user_id, for the users shown ("valid until 14:02 UTC"). */
  tokens?: ReadonlyMap<string, string>;
  filter?: string;
  maxChars: number;
}

export function usersAnswer(a: UsersAnswer): string {
  const shown = a.users.slice(a.offset, a.offset + a.limit);
  const out = new Answer(a.maxChars);
  out.tail(`App users in “${a.environment}”${a.filter ? ` matching ${a.filter}` : ''}: ${a.users.length}${a.users.length ? `; showing ${range(a.offset, shown.length)}` : ''}.`);
  if (!a.users.length) out.tail(a.filter ? 'No user matches: check the id, or list all users without a filter.' : 'This app has no users yet.');
  for (const u of shown) {
    const token = a.tokens?.get(u.oneupUserId);
    out.add(`- ${u.appUserId || '(no app_user_id)'} · oneup_user_id ${u.oneupUserId} · ${u.active ? 'active' : 'inactive'}${token ? ` · token ${token}` : ''}`);
  }
  more(out, a.users.length, a.offset, shown.length, ToolNames.listUsers);
  if (shown.length) out.tail('Pass a user\'s oneupUserId (or appUserId) to the FHIR tools to act as that user.');
  return out.toString();
}

export interface HealthSystemsAnswer extends Window {
  environment: string;
  systems: readonly HealthSystem[];
  filter?: string;
  maxChars: number;
}

export function healthSystemsAnswer(a: HealthSystemsAnswer): string {
  const shown = a.systems.slice(a.offset, a.offset + a.limit);
  const out = new Answer(a.maxChars);
  out.tail(`Health systems in “${a.environment}”${a.filter ? ` matching ${a.filter}` : ''}: ${a.systems.length}${a.systems.length ? `; showing ${range(a.offset, shown.length)}` : ''}.`);
  if (!a.systems.length) out.tail('None matched: try a shorter part of the name.');
  for (const s of shown) {
    const place = firstPlace(s.locations);
    const parts = [
      `id ${s.id}`, s.name || '(unnamed)',
      s.apiVersion ? `FHIR ${s.apiVersion}` : '', s.status ? `status ${s.status}` : '', s.ehr ? `EHR ${s.ehr}` : '',
      place, s.resourceUrl ? `FHIR base ${s.resourceUrl}` : '',
    ];
    out.add(`- ${parts.filter(Boolean).join(' · ')}`);
  }
  more(out, a.systems.length, a.offset, shown.length, ToolNames.healthSystems);
  if (shown.length) out.tail('A user connects one of these with “1upHealth: Connect a User to This System…” in the Health Systems view.');
  return out.toString();
}

function range(offset: number, n: number): string {
  return n ? `${offset + 1}–${offset + n}` : 'none';
}

function more(out: Answer, total: number, offset: number, shown: number, tool: string): void {
  const listed = shown - out.leftOut;
  if (out.leftOut) out.tail(`(${out.leftOut} of these left out to keep this answer short.)`);
  const next = offset + listed;
  if (next < total) out.tail(`More available: ${total - next} more. Call ${tool} with {"offset":${next}} (and the same filter) for the next ones.`);
  else if (total && offset > 0) out.tail('This is the end of the list.');
}

function firstPlace(locations: readonly unknown[]): string {
  for (const l of locations) {
    if (!l || typeof l !== 'object') continue;
    const loc = l as { name?: unknown; address?: { city?: unknown; state?: unknown } | unknown };
    const addr = (loc.address && typeof loc.address === 'object' ? loc.address : {}) as { city?: unknown; state?: unknown };
    const place = [addr.city, addr.state].filter((x): x is string => typeof x === 'string' && !!x).join(', ');
    if (place) return `in ${place}${locations.length > 1 ? ` (+${locations.length - 1} locations)` : ''}`;
  }
  return locations.length ? `${locations.length} location${locations.length > 1 ? 's' : ''}` : '';
}
