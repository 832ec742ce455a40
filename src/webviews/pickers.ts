import * as vscode from 'vscode';
import type { FhirVersion } from '../core/environments';
import { FHIR_VERSIONS, isFhirVersion } from '../core/environments';
import { CancelledError, InputError } from '../core/errors';
import { resourceTypes } from '../core/fhir/resourceTypes';
import { withCancellableProgress } from '../host/commands';
import type { AppUser, WebviewDeps } from './deps';

/** An app user from a command argument: a users-tree item, `{user}`, or `{oneupUserId, appUserId}`. */
export function userFromArgs(args: unknown): AppUser | undefined {
  if (typeof args !== 'object' || args === null) return undefined;
  const a = args as Record<string, unknown>;
  const candidate = typeof a.user === 'object' && a.user !== null ? (a.user as Record<string, unknown>) : a;
  if (typeof candidate.oneupUserId === 'string' && candidate.oneupUserId) {
    return {
      oneupUserId: candidate.oneupUserId,
      appUserId: typeof candidate.appUserId === 'string' ? candidate.appUserId : candidate.oneupUserId,
      active: typeof candidate.active === 'boolean' ? candidate.active : undefined,
    };
  }
  return undefined;
}

/** Asks which app user (the list comes from the server); throws CancelledError when dismissed. */
export async function pickUser(deps: WebviewDeps, title: string): Promise<AppUser> {
  const users = await withCancellableProgress(vscode.l10n.t('Reading app users…'), (signal) => deps.listUsers(signal));
  if (!users.length) throw new InputError(vscode.l10n.t('This app has no users yet: create one first.'));
  const pick = await vscode.window.showQuickPick(
    users.map((u) => ({ label: u.appUserId, description: u.oneupUserId, detail: u.active === false ? vscode.l10n.t('inactive') : undefined, user: u })),
    { title, placeHolder: vscode.l10n.t('Which app user?'), matchOnDescription: true },
  );
  if (!pick) throw new CancelledError();
  return pick.user;
}

export function versionFromArgs(args: unknown, fallback: FhirVersion): FhirVersion {
  const v = typeof args === 'object' && args !== null ? (args as Record<string, unknown>).version : undefined;
  return isFhirVersion(v) ? v : fallback;
}

/** `{version?, type?, id?}` completed with prompts for what is missing. */
export async function resourceRefFromArgs(args: unknown, defaultVersion: FhirVersion): Promise<{ version: FhirVersion; type: string; id: string }> {
  const a = typeof args === 'object' && args !== null ? (args as Record<string, unknown>) : {};
  let version = isFhirVersion(a.version) ? a.version : undefined;
  if (!version) {
    const pick = await vscode.window.showQuickPick([defaultVersion, ...FHIR_VERSIONS.filter((v) => v !== defaultVersion)], { title: vscode.l10n.t('View Resource'), placeHolder: vscode.l10n.t('FHIR version') });
    if (!pick) throw new CancelledError();
    version = pick as FhirVersion;
  }
  let type = typeof a.type === 'string' ? a.type : undefined;
  if (!type) {
    type = await vscode.window.showQuickPick(resourceTypes(version), { title: vscode.l10n.t('View Resource'), placeHolder: vscode.l10n.t('Resource type') });
    if (!type) throw new CancelledError();
  }
  if (!resourceTypes(version).includes(type)) throw new InputError(vscode.l10n.t('{0} is not a {1} resource type.', type, version.toUpperCase()));
  let id = typeof a.id === 'string' ? a.id : undefined;
  if (!id) {
    id = await vscode.window.showInputBox({
      title: vscode.l10n.t('View {0}', type),
      prompt: vscode.l10n.t('Resource id'),
      validateInput: (v) => (/^[A-Za-z0-9\-.]{1,64}$/.test(v.trim()) ? undefined : vscode.l10n.t('An id is 1–64 letters, digits, "-" or "."')),
    });
    if (!id) throw new CancelledError();
  }
  id = id.trim();
  if (!/^[A-Za-z0-9\-.]{1,64}$/.test(id)) throw new InputError(vscode.l10n.t('"{0}" is not a FHIR resource id.', id));
  return { version, type, id };
}
