import * as l10n from '@vscode/l10n';

/** How one type's count changed between two reads of a user's data. */
export interface CountChange {
  type: string;
  before: number;
  after: number;
}

/** The types whose counts changed, most added first; `added` sums only what grew. */
export function countChanges(before: Readonly<Record<string, number>>, after: Readonly<Record<string, number>>): { added: number; changes: CountChange[] } {
  const types = new Set([...Object.keys(before), ...Object.keys(after)]);
  const changes: CountChange[] = [];
  for (const type of types) {
    const b = before[type] ?? 0;
    const a = after[type] ?? 0;
    if (a !== b) changes.push({ type, before: b, after: a });
  }
  changes.sort((x, y) => (y.after - y.before) - (x.after - x.before) || x.type.localeCompare(y.type));
  const added = changes.reduce((n, c) => n + Math.max(0, c.after - c.before), 0);
  return { added, changes };
}

/**
 * What "Check for New Data" found, as one line: the new resources by type (the parts add up to
 * the total), and any type that shrank; or that nothing changed.
 */
export function newDataText(added: number, changes: readonly CountChange[]): string {
  if (!changes.length) return l10n.t('No new resources yet.');
  const grew = changes.filter((c) => c.after > c.before).map((c) => `${c.type} +${(c.after - c.before).toLocaleString()}`).join(' · ');
  const shrank = changes.filter((c) => c.after < c.before).map((c) => `${c.type} −${(c.before - c.after).toLocaleString()}`).join(' · ');
  if (added <= 0) return l10n.t('No new resources yet; fewer than before: {0}.', shrank);
  const n = added.toLocaleString();
  if (!shrank) return added === 1 ? l10n.t('1 new resource: {0}.', grew) : l10n.t('{0} new resources: {1}.', n, grew);
  return added === 1 ? l10n.t('1 new resource: {0}. Fewer than before: {1}.', grew, shrank) : l10n.t('{0} new resources: {1}. Fewer than before: {2}.', n, grew, shrank);
}
