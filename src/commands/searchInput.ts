import * as vscode from 'vscode';
import type { FhirVersion } from '../core/environments';
import { CancelledError } from '../core/errors';
import { CLINICAL_TYPES } from '../core/fhir/resourceTypes';
import { formatSearchQuery, parseSearchQuery, searchRows, type SearchQuery } from '../core/fhir/searchQuery';

const HISTORY_KEY = 'oneup.searchHistory';
const HISTORY_MAX = 20;

/** Recent searches per FHIR version, newest first (global state: they are the user's own queries). */
export class SearchHistory {
  constructor(private readonly state: vscode.Memento) {}

  list(version: FhirVersion): string[] {
    return this.state.get<Record<string, string[]>>(HISTORY_KEY)?.[version] ?? [];
  }

  async add(version: FhirVersion, query: string): Promise<void> {
    const all = { ...this.state.get<Record<string, string[]>>(HISTORY_KEY) };
    all[version] = [query, ...(all[version] ?? []).filter((q) => q !== query)].slice(0, HISTORY_MAX);
    await this.state.update(HISTORY_KEY, all);
  }

  async remove(version: FhirVersion, query: string): Promise<void> {
    const all = { ...this.state.get<Record<string, string[]>>(HISTORY_KEY) };
    all[version] = (all[version] ?? []).filter((q) => q !== query);
    await this.state.update(HISTORY_KEY, all);
  }
}

type Item = vscode.QuickPickItem & { run?: string; fill?: string };


/**
 * One input for a whole search: `Type?name=value&…`. While typing it completes resource types
 * (then `?`) and parameter names (then `=`), and lists recent searches; Enter on a completion
 * fills it in, Enter on the search line (or a recent search) runs it.
 */
export function askSearchQuery(o: { version: FhirVersion; history: SearchHistory; value?: string; who?: string }): Promise<SearchQuery> {
  const pick = vscode.window.createQuickPick<Item>();
  const remove: vscode.QuickInputButton = { iconPath: new vscode.ThemeIcon('close'), tooltip: vscode.l10n.t('Remove from recent searches') };
  pick.title = o.who
    ? vscode.l10n.t('Search FHIR {0} resources as {1}', o.version.toUpperCase(), o.who)
    : vscode.l10n.t('Search FHIR {0} resources', o.version.toUpperCase());
  pick.placeholder = vscode.l10n.t('Type?query, e.g. Observation?code=8867-4&_count=50 (Enter on a suggestion fills it in)');
  pick.matchOnDescription = false;
  pick.matchOnDetail = false;
  pick.ignoreFocusOut = true;

  const update = () => {
    const text = pick.value;
    const items: Item[] = [];
    let section: 'recent' | 'completions' | undefined;
    for (const row of searchRows(text, o.version, o.history.list(o.version), CLINICAL_TYPES[o.version])) {
      if (row.kind === 'recent' && section !== 'recent') {
        section = 'recent';
        items.push({ label: vscode.l10n.t('Recent searches'), kind: vscode.QuickPickItemKind.Separator });
      }
      if (row.kind === 'completion' && section !== 'completions') {
        section = 'completions';
        items.push({ label: text.includes('?') ? vscode.l10n.t('Search parameters') : vscode.l10n.t('Resource types'), kind: vscode.QuickPickItemKind.Separator });
      }
      if (row.kind === 'run') {
        const q = row.query;
        items.push({ label: `$(search) ${vscode.l10n.t('Search {0}', formatSearchQuery(q))}`, description: q.params.length ? undefined : vscode.l10n.t('every resource of the type, page by page'), run: text, alwaysShow: true });
      } else if (row.kind === 'problem') {
        items.push({ label: `$(error) ${row.message}`, alwaysShow: true });
      } else if (row.kind === 'recent') {
        items.push({ label: `$(history) ${row.text}`, run: row.text, alwaysShow: true, buttons: [remove] });
      } else {
        const c = row.completion;
        if (c.kind === 'type') items.push({ label: `$(symbol-class) ${c.type}`, fill: `${c.type}?`, alwaysShow: true });
        else if (c.insert === text) items.push({ label: `$(info) ${c.name}=`, description: c.example, alwaysShow: true });
        else items.push({ label: `$(symbol-parameter) ${c.name}`, description: c.example, fill: c.insert, alwaysShow: true });
      }
    }
    pick.items = items;
  };

  return new Promise<SearchQuery>((resolve, reject) => {
    let done = false;
    const subs = [
      pick.onDidChangeValue(update),
      pick.onDidTriggerItemButton(async (e) => {
        if (e.item.run) await o.history.remove(o.version, e.item.run);
        update();
      }),
      pick.onDidAccept(() => {
        const item = pick.selectedItems[0] ?? pick.activeItems[0];
        if (item?.fill !== undefined) {
          pick.value = item.fill;
          update();
          return;
        }
        const text = item?.run ?? pick.value;
        const parsed = parseSearchQuery(text, o.version);
        if ('error' in parsed) {
          pick.value = text;
          update();
          return;
        }
        done = true;
        resolve(parsed);
        pick.hide();
      }),
      pick.onDidHide(() => {
        for (const d of subs) d.dispose();
        pick.dispose();
        if (!done) reject(new CancelledError());
      }),
    ];
    pick.show();
    // set once shown: a value given before is shown selected, and the first key typed would replace it
    if (o.value) pick.value = o.value;
    update();
  });
}
