import type { HealthSystem } from '../api/connect';
import { code, md } from '../util/markdown';

// Markdown tooltips of the trees and the status bar. Every value in them comes from a server,
// a setting or the user: each goes through `md`, which escapes it (or makes it a safe code span).

/** An app user in the users tree. */
export function userTooltip(u: { appUserId: string; oneupUserId: string; active: boolean }, token: string): string {
  return md`**${u.appUserId}**\n\noneup_user_id: ${code(u.oneupUserId)}\n\n${u.active ? 'active' : 'inactive'} · ${token}`;
}

/** A health system in the health systems tree: name, id, EHR, FHIR address and up to 8 locations. */
export function healthSystemTooltip(sys: HealthSystem): string {
  let out = md`**${sys.name}** · id ${sys.id}\n\n`;
  if (sys.ehr) out += md`EHR: ${sys.ehr}  \n`;
  if (sys.resourceUrl) out += md`FHIR: ${code(sys.resourceUrl)}  \n`;
  const locations = (Array.isArray(sys.locations) ? sys.locations : []).map(locationText).filter(Boolean);
  if (locations.length) {
    out += `\n${locations.slice(0, 8).map((l) => md`- ${l}`).join('\n')}`;
    if (locations.length > 8) out += md`\n- … ${locations.length - 8} more`;
  }
  return out;
}

/** The environment in the status bar. */
export function environmentTooltip(name: string, env: { apiUrl: string; fhirUrl: string; fhirVersion: string } | undefined, hasCredentials: boolean): string {
  let out = md`**1upHealth environment:** ${name}\n\n`;
  if (env) out += md`API: ${code(env.apiUrl)}  \nFHIR: ${code(`${env.fhirUrl}/${env.fhirVersion}`)}\n\n`;
  out += !env ? 'The local sandbox is not running.' : hasCredentials ? 'Credentials: set (in secret storage)' : 'Credentials: not set';
  return `${out}\n\nClick to select another environment.`;
}

function locationText(l: unknown): string {
  if (!l || typeof l !== 'object') return '';
  const o = l as Record<string, unknown>;
  const a = (o.address && typeof o.address === 'object' ? o.address : o) as Record<string, unknown>;
  const parts = [o.name, a.line, a.city, a.state, a.postalCode].flat().filter((x) => typeof x === 'string' && x);
  return parts.join(', ');
}
