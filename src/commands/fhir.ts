import * as vscode from 'vscode';
import { Commands } from '../constants';
import { CancelledError, InputError } from '../core/errors';
import type { FhirVersion } from '../core/environments';
import { issueTexts } from '../core/fhir/types';
import type { Command } from '../host/commands';
import { withCancellableProgress } from '../host/commands';
import type { Services } from '../host/services';
import { fhirAs, patientIdOf } from '../host/acting';
import { ask, resolveType, resolveUser, resolveVersion, UserArgs } from './args';
import { createResourceCommand } from './createResource';
import { openResourceDocument } from './resourceDocuments';
import type { Viewers } from './viewers';

export interface SearchArgs extends UserArgs {
  version?: FhirVersion;
  type?: string;
  content?: string;
  count?: number;
  /** More search parameters, e.g. `{ "birthdate": "ge1970" }` or `"gender=female&_sort=birthdate"`. */
  params?: Record<string, string> | string;
  /** Open the result in the bundle viewer (default true). */
  open?: boolean;
}

/** FHIR search, read, create, $everything and delete-everything. */
export function fhirCommands(s: Services, viewers: Viewers): Command[] {
  const search: Command<SearchArgs> = {
    id: Commands.searchResources,
    async run(args = {}) {
      const version = await resolveVersion(s, args.version);
      const type = await resolveType(version, args.type, 'Search FHIR Resources');
      const complete = args.type !== undefined;
      const content = args.content ?? (complete ? '' : await ask({ title: `Search ${type}`, prompt: '_content: text to search for anywhere in the resource (empty: all)' }));
      const count = args.count ?? (complete ? 10 : Number(await ask({ title: `Search ${type}`, prompt: '_count: results per page (1–100)', value: '10', validateInput: (v) => (/^\d+$/.test(v) && +v >= 1 && +v <= 100 ? undefined : 'A number from 1 to 100') })));
      if (!Number.isInteger(count) || count < 1 || count > 100) throw new InputError('_count must be a whole number from 1 to 100.');
      const more = args.params ?? (complete ? undefined : await ask({ title: `Search ${type}`, prompt: 'More parameters (optional), e.g. gender=female&birthdate=ge1970' }));
      const params: [string, string][] = [];
      if (content) params.push(['_content', content]);
      params.push(['_count', String(count)]);
      params.push(...parseParams(more));
      const user = args.oneupUserId || args.appUserId ? await resolveUser(s, args, 'Search as which user?') : undefined;
      const bundle = await withCancellableProgress(`Searching ${type}…`, (signal) => fhirAs(s, version, user).search(type, params, signal));
      if (args.open !== false) await viewers.showBundle(bundle, { title: `${type}${content ? ` “${content}”` : ''}`, version, user });
      return { total: bundle.total, entries: bundle.entry?.length ?? 0, ids: (bundle.entry ?? []).map((e) => e.resource?.id) };
    },
  };

  const read: Command<UserArgs & { version?: FhirVersion; type?: string; id?: string }> = {
    id: Commands.readResource,
    async run(args = {}) {
      const version = await resolveVersion(s, args.version);
      const type = await resolveType(version, args.type, 'Read Resource by id');
      const id = args.id ?? await ask({ title: `Read ${type}`, prompt: 'Resource id', validateInput: (v) => (/^[A-Za-z0-9\-.]{1,64}$/.test(v.trim()) ? undefined : 'A FHIR id: letters, digits, - and . (at most 64)') });
      if (!/^[A-Za-z0-9\-.]{1,64}$/.test(id)) throw new InputError(`"${id}" is not a valid FHIR id.`);
      const env = s.clients.environment();
      // a resource from a user's data is read (and later re-read) as that user, not as the app
      const oneupUserId = args.oneupUserId ? String(args.oneupUserId) : undefined;
      // read once here so errors (404, 410) surface as a message, not as an editor full of text
      const resource = await withCancellableProgress(`Reading ${type}/${id}…`, (signal) => fhirAs(s, version, oneupUserId ? { oneupUserId, appUserId: args.appUserId } : undefined).read(type, id, signal), vscode.ProgressLocation.Window);
      await openResourceDocument({ environment: env.name, version, type, id, oneupUserId });
      return { resourceType: resource.resourceType, id: resource.id };
    },
  };

  const everything: Command<UserArgs & { version?: FhirVersion; patientId?: string; open?: boolean }> = {
    id: Commands.everything,
    async run(args = {}) {
      const version = await resolveVersion(s, args.version);
      const user = args.patientId && !args.oneupUserId && !args.appUserId ? undefined : await resolveUser(s, args, '$everything of which user?');
      const first = await withCancellableProgress('Fetching all patient data ($everything)…', async (signal) => {
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
      const user = await resolveUser(s, args, 'Delete all data of which user?');
      const patientId = args.patientId ?? await withCancellableProgress('Finding the patient…', (signal) => patientIdOf(s, version, user, signal), vscode.ProgressLocation.Window);
      const confirm = args.confirm ?? await confirmDelete(user.appUserId ?? user.oneupUserId, patientId);
      if (confirm !== patientId) throw new InputError(`Not deleted: the confirmation "${confirm}" is not the patient id ${patientId}.`);
      const outcome = await withCancellableProgress(`Deleting all data of Patient/${patientId}…`, (signal) => fhirAs(s, version, user).deleteEverything(patientId, undefined, signal));
      const text = issueTexts(outcome).join(' ');
      s.logger.info(`[fhir] $everything deleted for Patient/${patientId}: ${text}`);
      s.refresh.fire(undefined);
      if (!args.confirm) void vscode.window.showInformationMessage(text || `All data of Patient/${patientId} was deleted.`);
      return { patientId, message: text };
    },
  };

  return [search, read, createResourceCommand(s), everything, deleteEverything];
}

async function confirmDelete(who: string, patientId: string): Promise<string> {
  const go = await vscode.window.showWarningMessage(
    `Delete ALL FHIR data of ${who} (Patient/${patientId})?`,
    { modal: true, detail: 'Every resource of this patient is deleted on the server. This cannot be undone.' },
    'Delete…',
  );
  if (!go) throw new CancelledError();
  const typed = await vscode.window.showInputBox({
    title: 'Confirm: delete all patient data',
    prompt: `Type the patient id ${patientId} to confirm`,
    ignoreFocusOut: true,
    validateInput: (v) => (v.trim() === patientId ? undefined : `Type ${patientId}`),
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
    if (eq <= 0) throw new InputError(`"${part}" is not a name=value search parameter.`);
    out.push([part.slice(0, eq).trim(), part.slice(eq + 1).trim()]);
  }
  return out;
}
