import * as vscode from 'vscode';
import { Commands, Walkthrough } from '../constants';
import { CancelledError, InputError } from '../core/errors';
import type { FhirVersion } from '../core/environments';
import { issueTexts } from '../core/fhir/types';
import type { Command } from '../host/commands';
import { withCancellableProgress } from '../host/commands';
import type { Services } from '../host/services';
import { completeWalkthroughStep } from '../host/walkthrough';
import { fhirAs, patientIdOf } from '../host/acting';
import { formatSearchQuery, parseSearchQuery, type SearchQuery } from '../core/fhir/searchQuery';
import { ask, resolveType, resolveUser, resolveVersion, UserArgs } from './args';
import { askSearchQuery, SearchHistory } from './searchInput';
import { createResourceCommand } from './createResource';
import { openResourceDocument } from './resourceDocuments';
import type { Viewers } from './viewers';

export interface SearchArgs extends UserArgs {
  version?: FhirVersion;
  /** The whole search in one line, as the search input takes it: `Observation?code=8867-4&_count=50`. */
  query?: string;
  type?: string;
  content?: string;
  count?: number;
  /** More search parameters, e.g. `{ "birthdate": "ge1970" }` or `"gender=female&_sort=birthdate"`. */
  params?: Record<string, string> | string;
  /** Ask for type, _content, _count and more parameters one prompt at a time (what is not in args). */
  steps?: boolean;
  /** Open the result in the bundle viewer (default true). */
  open?: boolean;
}

/** FHIR search, read, create, $everything and delete-everything. */
export function fhirCommands(s: Services, viewers: Viewers): Command[] {
  const history = new SearchHistory(s.context.globalState);

  /** Runs one search and shows it; `fromInput` searches go to the recent searches. */
  const runSearch = async (version: FhirVersion, query: SearchQuery, user: { oneupUserId: string; appUserId?: string } | undefined, open: boolean, fromInput: boolean) => {
    const bundle = await withCancellableProgress(vscode.l10n.t('Searching {0}…', query.type), (signal) => fhirAs(s, version, user).search(query.type, query.params, signal));
    if (fromInput) await history.add(version, formatSearchQuery(query));
    completeWalkthroughStep(Walkthrough.steps.browse);
    if (open) await viewers.showBundle(bundle, { title: formatSearchQuery(query), version, user, search: query });
    return { total: bundle.total, entries: bundle.entry?.length ?? 0, ids: (bundle.entry ?? []).map((e) => e.resource?.id) };
  };

  const search: Command<SearchArgs> = {
    id: Commands.searchResources,
    async run(args = {}) {
      const version = await resolveVersion(s, args.version);
      const user = args.oneupUserId || args.appUserId ? await resolveUser(s, args, vscode.l10n.t('Search as which user?')) : undefined;
      if (args.query !== undefined) {
        const parsed = parseSearchQuery(String(args.query), version);
        if ('error' in parsed) throw new InputError(`${parsed.error}.`);
        return runSearch(version, parsed, user, args.open !== false, false);
      }
      if (args.type === undefined && !args.steps) {
        const query = await askSearchQuery({ version, history, who: user?.appUserId ?? user?.oneupUserId });
        return runSearch(version, query, user, args.open !== false, true);
      }
      return runSearch(version, await stepwise(version, args), user, args.open !== false, false);
    },
  };

  const searchThisType: Command<{ kind?: string; version?: FhirVersion; type?: string; user?: { oneupUserId: string; appUserId?: string } }> = {
    id: Commands.searchThisType,
    async run(node = {}) {
      // a type node of the FHIR Resources view (app-wide) or of a user's FHIR data (as that user)
      const version = await resolveVersion(s, node.version);
      const type = await resolveType(version, node.type, vscode.l10n.t('Search which type?'));
      const user = node.user?.oneupUserId ? { oneupUserId: node.user.oneupUserId, appUserId: node.user.appUserId } : undefined;
      const query = await askSearchQuery({ version, history, value: `${type}?`, who: user?.appUserId ?? user?.oneupUserId });
      return runSearch(version, query, user, true, true);
    },
  };

  const read: Command<UserArgs & { version?: FhirVersion; type?: string; id?: string }> = {
    id: Commands.readResource,
    async run(args = {}) {
      const version = await resolveVersion(s, args.version);
      const type = await resolveType(version, args.type, vscode.l10n.t('Read Resource by id'));
      const id = args.id ?? await ask({ title: vscode.l10n.t('Read {0}', type), prompt: vscode.l10n.t('Resource id'), validateInput: (v) => (/^[A-Za-z0-9\-.]{1,64}$/.test(v.trim()) ? undefined : vscode.l10n.t('A FHIR id: letters, digits, - and . (at most 64)')) });
      if (!/^[A-Za-z0-9\-.]{1,64}$/.test(id)) throw new InputError(vscode.l10n.t('"{0}" is not a valid FHIR id.', id));
      const env = s.clients.environment();
      // a resource from a user's data is read (and later re-read) as that user, not as the app
      const oneupUserId = args.oneupUserId ? String(args.oneupUserId) : undefined;
      // read once here so errors (404, 410) surface as a message, not as an editor full of text
      const resource = await withCancellableProgress(vscode.l10n.t('Reading {0}/{1}…', type, id), (signal) => fhirAs(s, version, oneupUserId ? { oneupUserId, appUserId: args.appUserId } : undefined).read(type, id, signal), vscode.ProgressLocation.Window);
      await openResourceDocument({ environment: env.name, version, type, id, oneupUserId });
      return { resourceType: resource.resourceType, id: resource.id };
    },
  };

  const everything: Command<UserArgs & { version?: FhirVersion; patientId?: string; open?: boolean }> = {
    id: Commands.everything,
    async run(args = {}) {
      const version = await resolveVersion(s, args.version);
      const user = args.patientId && !args.oneupUserId && !args.appUserId ? undefined : await resolveUser(s, args, vscode.l10n.t('$everything of which user?'));
      const first = await withCancellableProgress(vscode.l10n.t('Fetching all patient data ($everything)…'), async (signal) => {
        const patientId = args.patientId ?? await patientIdOf(s, version, user!, signal);
        return { patientId, bundle: await fhirAs(s, version, user).everything(patientId, undefined, signal) };
      });
      if (args.open !== false) await viewers.showPatientRecord({ version, user, patientId: first.patientId });
      return { patientId: first.patientId, total: first.bundle.total, entries: first.bundle.entry?.length ?? 0 };
    },
  };

  const deleteEverything: Command<UserArgs & { version?: FhirVersion; patientId?: string; confirm?: string }> = {
    id: Commands.deleteEverything,
    async run(args = {}) {
      const version = await resolveVersion(s, args.version);
      const user = await resolveUser(s, args, vscode.l10n.t('Delete all data of which user?'));
      const patientId = args.patientId ?? await withCancellableProgress(vscode.l10n.t('Finding the patient…'), (signal) => patientIdOf(s, version, user, signal), vscode.ProgressLocation.Window);
      const confirm = args.confirm ?? await confirmDelete(user.appUserId ?? user.oneupUserId, patientId);
      if (confirm !== patientId) throw new InputError(vscode.l10n.t('Not deleted: the confirmation "{0}" is not the patient id {1}.', confirm, patientId));
      const outcome = await withCancellableProgress(vscode.l10n.t('Deleting all data of Patient/{0}…', patientId), (signal) => fhirAs(s, version, user).deleteEverything(patientId, undefined, signal));
      const text = issueTexts(outcome).join(' ');
      s.logger.info(`[fhir] $everything deleted for Patient/${patientId}: ${text}`);
      s.refresh.fire(undefined);
      if (!args.confirm) void vscode.window.showInformationMessage(text || vscode.l10n.t('All data of Patient/{0} was deleted.', patientId));
      return { patientId, message: text };
    },
  };

  return [search, searchThisType, read, createResourceCommand(s), everything, deleteEverything];
}

/** The search as the four prompts (type, _content, _count, more) ask it, for what args do not say. */
async function stepwise(version: FhirVersion, args: SearchArgs): Promise<SearchQuery> {
  const type = await resolveType(version, args.type, vscode.l10n.t('Search FHIR Resources'));
  const ask1 = args.steps === true;
  const content = args.content ?? (ask1 ? await ask({ title: vscode.l10n.t('Search {0}', type), prompt: vscode.l10n.t('_content: text to search for anywhere in the resource (empty: all)') }) : '');
  const count = args.count ?? (ask1 ? Number(await ask({ title: vscode.l10n.t('Search {0}', type), prompt: vscode.l10n.t('_count: results per page (1–100)'), value: '10', validateInput: (v) => (/^\d+$/.test(v) && +v >= 1 && +v <= 100 ? undefined : vscode.l10n.t('A number from 1 to 100')) })) : 10);
  if (!Number.isInteger(count) || count < 1 || count > 100) throw new InputError(vscode.l10n.t('_count must be a whole number from 1 to 100.'));
  const more = args.params ?? (ask1 ? await ask({ title: vscode.l10n.t('Search {0}', type), prompt: vscode.l10n.t('More parameters (optional), e.g. gender=female&birthdate=ge1970') }) : undefined);
  const params: [string, string][] = [];
  if (content) params.push(['_content', content]);
  params.push(['_count', String(count)]);
  params.push(...parseParams(more));
  return { type, params };
}

async function confirmDelete(who: string, patientId: string): Promise<string> {
  const go = await vscode.window.showWarningMessage(
    vscode.l10n.t('Delete ALL FHIR data of {0} (Patient/{1})?', who, patientId),
    { modal: true, detail: vscode.l10n.t('Every resource of this patient is deleted on the server. This cannot be undone.') },
    vscode.l10n.t('Delete…'),
  );
  if (!go) throw new CancelledError();
  const typed = await vscode.window.showInputBox({
    title: vscode.l10n.t('Confirm: delete all patient data'),
    prompt: vscode.l10n.t('Type the patient id {0} to confirm', patientId),
    ignoreFocusOut: true,
    validateInput: (v) => (v.trim() === patientId ? undefined : vscode.l10n.t('Type {0}', patientId)),
  });
  if (typed === undefined) throw new CancelledError();
  return typed.trim();
}

/** `a=1&b=2` or an object → pairs; a value may hold `|` (sent as %7C by the client). */
export function parseParams(input: Record<string, string> | string | undefined): [string, string][] {
  if (!input) return [];
  if (typeof input !== 'string') return Object.entries(input).map(([k, v]) => [k, String(v)]);
  const out: [string, string][] = [];
  for (const part of input.split('&')) {
    if (!part.trim()) continue;
    const eq = part.indexOf('=');
    if (eq <= 0) throw new InputError(vscode.l10n.t('"{0}" is not a name=value search parameter.', part));
    out.push([part.slice(0, eq).trim(), part.slice(eq + 1).trim()]);
  }
  return out;
}
