import type { Bundle, Resource } from '../fhir/types';
import { Answer } from './budget';
import { ToolNames } from './catalog';
import { resourceLine } from './describe';
import { fitResource } from './trim';

/** Who a call acted as, in words: the app (all users' data) or one user. */
export function actingAs(user: { oneupUserId: string; appUserId?: string } | undefined): string {
  if (!user) return "as the app (every user's data, x-oneup-user-id: client)";
  return user.appUserId ? `as user ${user.appUserId} (oneup_user_id ${user.oneupUserId})` : `as oneup_user_id ${user.oneupUserId}`;
}

export interface SearchAnswer {
  bundle: Bundle;
  environment: string;
  version: string;
  type: string;
  /** `actingAs(user)` */
  as: string;
  /** Results before this page. */
  offset: number;
  format: 'summary' | 'json';
  /** The cursor of the next page, when the server linked one. */
  next?: string;
  maxChars: number;
}

/**
 * One search page for a model: the total, a numbered line per entry (trimmed JSON under it when
 * asked), what did not fit, and how to get the next page.
 */
export function searchAnswer(a: SearchAnswer): string {
  const entries = (a.bundle.entry ?? []).filter((e) => e?.resource && typeof e.resource.resourceType === 'string');
  const out = new Answer(a.maxChars);
  const first = a.offset + 1;
  const last = a.offset + entries.length;
  const total = typeof a.bundle.total === 'number' ? a.bundle.total : undefined;
  out.tail(`FHIR search for ${a.type} in “${a.environment}” (${a.version.toUpperCase()}) ${a.as}.`);
  if (!entries.length) {
    out.tail(total ? `Matches: ${total}, but this page has no entries.` : 'No matches.');
    if (!a.offset) out.tail('Try fewer or broader parameters (e.g. without _content), another resource type, or another user (oneup_listUsers).');
  } else {
    out.tail(`Matches: ${total ?? 'not stated by the server'}; this page has results ${first}–${last}.`);
  }
  // room for about ten entries when the budget allows, each at least readable (and at most 3,000 characters)
  const perEntry = Math.min(3000, Math.max(500, Math.floor((a.maxChars - 600) / Math.min(10, Math.max(1, entries.length))) - 160));
  const trimmed = new Set<string>();
  entries.forEach((e, i) => {
    const r = e.resource as Resource;
    const mode = e.search?.mode && e.search.mode !== 'match' ? ` (${e.search.mode})` : '';
    const line = `${first + i}. ${resourceLine(r)}${mode}`;
    if (a.format === 'summary') { out.add(line); return; }
    const fit = fitResource(r, Math.min(perEntry, Math.max(200, out.room - line.length - 4)));
    if (out.add(`${line}\n   ${fit.json}`)) for (const n of fit.notes) trimmed.add(n.replace(/^\d+ /, '').replace(/ \(\d+ characters.*\)$/, '').replace(/^(long text|list|attachment)s?'?/, '$1'));
  });
  if (trimmed.size) out.tail(`The JSON above is trimmed to keep this answer short (${[...trimmed].join('; ')}): ${ToolNames.read} answers one resource with more of it.`);
  if (out.leftOut) {
    out.tail(`Not shown: the last ${out.leftOut} entr${out.leftOut > 1 ? 'ies' : 'y'} of this page, to keep this answer short. Ask again with a smaller "count"${a.format === 'json' ? ' or format "summary"' : ''}, or read single resources with ${ToolNames.read}.`);
  }
  if (a.next) {
    const rest = total !== undefined ? total - last : undefined;
    out.tail(`More available${rest !== undefined && rest > 0 ? `: ${rest} more result${rest > 1 ? 's' : ''}` : ''}. For the next page call ${ToolNames.search} with {"page":"${a.next}"}.`);
  } else if (entries.length && (total === undefined || last >= total)) {
    out.tail('This is the last page.');
  }
  if (entries.length && a.format === 'summary') out.tail(`For one resource in full call ${ToolNames.read} with its type and id; for every field of this page use "format":"json".`);
  return out.toString();
}

export interface ReadAnswer {
  resource: Resource;
  environment: string;
  version: string;
  as: string;
  narrative: boolean;
  maxChars: number;
}

/** One resource for a model: its line, then its trimmed JSON and what was trimmed. */
export function readAnswer(a: ReadAnswer): string {
  const head = [
    `${a.resource.resourceType}/${a.resource.id ?? ''} in “${a.environment}” (${a.version.toUpperCase()}), read ${a.as}.`,
    resourceLine(a.resource),
  ];
  const fit = fitResource(a.resource, Math.max(500, a.maxChars - head.join('\n').length - 400), a.narrative);
  const lines = [...head];
  if (fit.notes.length) lines.push(`Trimmed: ${fit.notes.join('; ')}.${fit.cut ? ' Open it in VS Code with “1upHealth: Read Resource by id…” to see all of it.' : ''}`);
  lines.push(fit.json);
  if (!a.narrative && fit.notes.some((n) => n.startsWith('narrative'))) lines.push(`(Call again with "includeNarrative": true for the narrative as plain text.)`);
  return lines.join('\n');
}
