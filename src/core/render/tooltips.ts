import * as l10n from '@vscode/l10n';
import type { HealthSystem } from '../api/connect';
import { code, escapeMarkdown, md } from '../util/markdown';

// Markdown tooltips of the trees and the status bar. Every value in them comes from a server,
// a setting or the user: each goes through `md` or `escapeMarkdown`, which escape it (or make it a
// safe code span). Translated templates are Markdown like the source text; only values are escaped.

/** An app user in the users tree. */
export function userTooltip(u: { appUserId: string; oneupUserId: string; active: boolean }, token: string): string {
  return md`**${u.appUserId}**\n\noneup_user_id: ${code(u.oneupUserId)}\n\n${u.active ? l10n.t('active') : l10n.t('inactive')} · ${token}`;
}

/** A health system in the health systems tree: name, id, EHR, FHIR address and up to 8 locations. */
export function healthSystemTooltip(sys: HealthSystem): string {
  let out = `${l10n.t('**{0}** · id {1}', escapeMarkdown(sys.name), escapeMarkdown(sys.id))}\n\n`;
  if (sys.ehr) out += `${l10n.t('EHR: {0}', escapeMarkdown(sys.ehr))}  \n`;
  if (sys.resourceUrl) out += md`FHIR: ${code(sys.resourceUrl)}  \n`;
  const locations = (Array.isArray(sys.locations) ? sys.locations : []).map(locationText).filter(Boolean);
  if (locations.length) {
    out += `\n${locations.slice(0, 8).map((l) => md`- ${l}`).join('\n')}`;
    if (locations.length > 8) out += `\n- ${l10n.t('… {0} more', locations.length - 8)}`;
  }
  return out;
}

/** The environment in the status bar. */
export function environmentTooltip(name: string, env: { apiUrl: string; fhirUrl: string; fhirVersion: string } | undefined, hasCredentials: boolean): string {
  let out = `${l10n.t('**1upHealth environment:** {0}', escapeMarkdown(name))}\n\n`;
  if (env) out += md`API: ${code(env.apiUrl)}  \nFHIR: ${code(`${env.fhirUrl}/${env.fhirVersion}`)}\n\n`;
  out += !env ? l10n.t('The local sandbox is not running.') : hasCredentials ? l10n.t('Credentials: set (in secret storage)') : l10n.t('Credentials: not set');
  return `${out}\n\n${l10n.t('Click to select another environment.')}`;
}

function locationText(l: unknown): string {
  if (!l || typeof l !== 'object') return '';
  const o = l as Record<string, unknown>;
  const a = (o.address && typeof o.address === 'object' ? o.address : o) as Record<string, unknown>;
  const parts = [o.name, a.line, a.city, a.state, a.postalCode].flat().filter((x) => typeof x === 'string' && x);
  return parts.join(', ');
}
