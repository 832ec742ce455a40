import * as vscode from 'vscode';
import { Commands } from '../constants';
import { CancelledError, InputError } from '../core/errors';
import type { FhirVersion } from '../core/environments';
import { checkResource, parseJson, resourceTemplate } from '../core/fhir/jsonInput';
import type { Resource } from '../core/fhir/types';
import type { Command } from '../host/commands';
import { withCancellableProgress } from '../host/commands';
import type { Services } from '../host/services';
import { fhirAs } from '../host/acting';
import { resolveType, resolveUser, resolveVersion, UserArgs } from './args';
import { openResourceDocument } from './resourceDocuments';

export interface CreateArgs extends UserArgs {
  version?: FhirVersion;
  /** The resource, or its JSON text; without either the active JSON editor is used. */
  resource?: Resource;
  json?: string;
  /** Create as the app (`x-oneup-user-id: client`) instead of as a user. */
  asApp?: boolean;
  /** Open a template of this type in a new editor instead of creating. */
  template?: string;
  open?: boolean;
  /**
   * A resource with an `id` is a copy of one the server has: `true` creates it without the id
   * (a new resource, new id); without this the command asks, and refuses when it may not ask.
   */
  withoutId?: boolean;
}

/**
 * Create FHIR Resource: from args, or from the active JSON editor (JSON errors put the cursor on
 * the line and column), or — with no JSON editor open — a template per type to edit first. The
 * editor keeps its content whatever happens.
 */
export function createResourceCommand(s: Services): Command<CreateArgs> {
  return {
    id: Commands.createResource,
    async run(args = {}) {
      const version = await resolveVersion(s, args.version);
      const editor = vscode.window.activeTextEditor;
      let text = args.json;
      if (args.template || (!args.resource && text === undefined && (!editor || !isJsonEditor(editor)))) {
        const type = await resolveType(version, args.template, vscode.l10n.t('New FHIR resource from a template'));
        const doc = await vscode.workspace.openTextDocument({ language: 'json', content: JSON.stringify(resourceTemplate(type, version), null, 2) + '\n' });
        await vscode.window.showTextDocument(doc);
        if (!args.template) void vscode.window.showInformationMessage(vscode.l10n.t('Edit the {0}, then run “1upHealth: Create FHIR Resource” again, or click its cloud-upload button in the editor\'s title bar.', type));
        return { template: type };
      }
      let value: unknown = args.resource;
      if (value === undefined) {
        text ??= editor!.document.getText();
        const parsed = parseJson(text);
        if ('problem' in parsed) {
          const { line, column, message } = parsed.problem;
          if (editor && args.json === undefined) {
            const pos = new vscode.Position(line - 1, Math.max(0, column - 1));
            editor.selection = new vscode.Selection(pos, pos);
            editor.revealRange(new vscode.Range(pos, pos), vscode.TextEditorRevealType.InCenterIfOutsideViewport);
          }
          throw new InputError(vscode.l10n.t('The JSON is not valid at line {0}, column {1}: {2}.', line, column, message));
        }
        value = parsed.value;
      }
      let resource = checkResource(value, version);
      const user = args.asApp ? undefined : await resolveUser(s, args, vscode.l10n.t('Create the {0} as which user?', resource.resourceType));
      if (typeof resource.id === 'string' && resource.id) {
        resource = await withoutIdOrStop(resource, args, user ? user.appUserId ?? user.oneupUserId : undefined);
      }
      const stored = await withCancellableProgress(vscode.l10n.t('Creating {0}…', resource.resourceType), (signal) => fhirAs(s, version, user).create(resource, signal));
      s.logger.info(`[fhir] created ${stored.resourceType}/${stored.id}`);
      s.refresh.fire(undefined);
      if (args.open !== false && stored.id) {
        await openResourceDocument({ environment: s.clients.environment().name, version, type: stored.resourceType, id: stored.id, oneupUserId: user?.oneupUserId }, { preview: false });
      }
      if (!stored.id) throw new InputError(vscode.l10n.t('The server stored the {0} but answered no id.', stored.resourceType));
      return { resourceType: stored.resourceType, id: stored.id };
    },
  };
}

function isJsonEditor(editor: vscode.TextEditor): boolean {
  return ['json', 'jsonc'].includes(editor.document.languageId);
}

/**
 * A create sends a new resource: the server gives it a new id, so a resource that already has one
 * (opened from the server, or copied from an export) becomes a duplicate. Say so, and create it
 * without the id only when the user (or `withoutId`) agrees.
 */
async function withoutIdOrStop(resource: Resource, args: CreateArgs, owner: string | undefined): Promise<Resource> {
  const { id, meta: _meta, ...rest } = resource as Resource & { meta?: unknown };
  const what = `${resource.resourceType}/${id}`;
  if (args.withoutId === true) return rest as Resource;
  if (args.withoutId === false || args.resource !== undefined || args.json !== undefined) {
    throw new InputError(vscode.l10n.t('Not created: {0} has an id, so creating it makes a second {1} (the server gives it a new id). Remove the id, or pass withoutId: true to create a copy.', what, resource.resourceType));
  }
  const create = vscode.l10n.t('Create Without id');
  const detail = owner
    ? vscode.l10n.t('Creating it makes a new {0} for {1} with a new id, a duplicate of {2} if that is on the server. Its meta (version, last updated) is dropped too.', resource.resourceType, owner, what)
    : vscode.l10n.t('Creating it makes a new {0} for the app with a new id, a duplicate of {1} if that is on the server. Its meta (version, last updated) is dropped too.', resource.resourceType, what);
  const pick = await vscode.window.showWarningMessage(vscode.l10n.t('This {0} has an id ({1}).', resource.resourceType, String(id)), { modal: true, detail }, create);
  if (pick !== create) throw new CancelledError();
  return rest as Resource;
}
