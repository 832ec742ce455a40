import * as vscode from 'vscode';
import type { AppUser, UserRef } from '../core/api';
import { CancelledError, InputError } from '../core/errors';
import { FHIR_VERSIONS, FhirVersion, isFhirVersion } from '../core/environments';
import { CLINICAL_TYPES, isResourceType, resourceTypes } from '../core/fhir/resourceTypes';
import { withCancellableProgress } from '../host/commands';
import type { Services } from '../host/services';

/** A user given to a command: a tree node, or an args object naming the user. */
export interface UserArgs {
  oneupUserId?: string;
  appUserId?: string;
}

/** The user a command acts on; asks with a quick pick of the app's users when args do not say. */
export async function resolveUser(s: Services, args: UserArgs | undefined, title: string): Promise<{ oneupUserId: string; appUserId?: string }> {
  const environment = s.environments.activeName();
  if (args?.oneupUserId) {
    const oneupUserId = String(args.oneupUserId);
    // named as the user lists of this session named them, so messages say who, not an id
    return { oneupUserId, appUserId: args.appUserId ?? s.memory.nameOf(environment, oneupUserId) };
  }
  const client = s.clients.get();
  if (args?.appUserId) {
    const [user] = await client.users.listUsers({ appUserId: String(args.appUserId) });
    if (!user) throw new InputError(vscode.l10n.t('There is no user with app_user_id "{0}".', String(args.appUserId)));
    return user;
  }
  const users = await withCancellableProgress(vscode.l10n.t('Loading users…'), (signal) => client.users.listUsers({}, signal), vscode.ProgressLocation.Window);
  s.memory.rememberNames(environment, users);
  if (!users.length) throw new InputError(vscode.l10n.t('This app has no users yet: create one with "1upHealth: Create User".'));
  return pickUser(users, title);
}

export async function pickUser(users: readonly AppUser[], title: string): Promise<AppUser> {
  const pick = await vscode.window.showQuickPick(users.map((u) => ({
    label: u.appUserId,
    description: u.oneupUserId,
    detail: u.active ? undefined : vscode.l10n.t('inactive'),
    user: u,
  })), { title, placeHolder: 'app_user_id (oneup_user_id)', matchOnDescription: true });
  if (!pick) throw new CancelledError();
  return pick.user;
}

/** The user for the API client: both ids when known (auth codes send app_user_id, tokens are kept by oneup_user_id). */
export function userRef(user: { oneupUserId: string; appUserId?: string }): UserRef {
  return user.appUserId ? { oneupUserId: user.oneupUserId, appUserId: user.appUserId } : { oneupUserId: user.oneupUserId };
}

export async function resolveVersion(s: Services, version: unknown): Promise<FhirVersion> {
  if (version !== undefined) {
    if (!isFhirVersion(version)) throw new InputError(vscode.l10n.t('Unknown FHIR version "{0}": use {1}.', String(version), FHIR_VERSIONS.join(', ')));
    return version;
  }
  return s.clients.environment().fhirVersion;
}

export async function resolveType(version: FhirVersion, type: unknown, title: string): Promise<string> {
  if (typeof type === 'string' && type) {
    if (!isResourceType(version, type)) throw new InputError(vscode.l10n.t('"{0}" is not a FHIR {1} resource type.', type, version));
    return type;
  }
  const pick = await vscode.window.showQuickPick(typePickItems(version), { title, placeHolder: vscode.l10n.t('FHIR {0} resource type', version) });
  if (!pick) throw new CancelledError();
  return pick.label;
}

/** Quick-pick items of a version's resource types: the common ones first, then all others. */
export function typePickItems(version: FhirVersion): vscode.QuickPickItem[] {
  const clinical = new Set(CLINICAL_TYPES[version]);
  return [
    { label: vscode.l10n.t({ message: 'Common', comment: ['a heading over the commonly used FHIR resource types in a list of types'] }), kind: vscode.QuickPickItemKind.Separator },
    ...CLINICAL_TYPES[version].map((t) => ({ label: t })),
    { label: vscode.l10n.t('All types'), kind: vscode.QuickPickItemKind.Separator },
    ...resourceTypes(version).filter((t) => !clinical.has(t)).map((t) => ({ label: t })),
  ];
}

export async function ask(options: vscode.InputBoxOptions): Promise<string> {
  const value = await vscode.window.showInputBox({ ignoreFocusOut: true, ...options });
  if (value === undefined) throw new CancelledError();
  return value.trim();
}

/** What `copySecret` copied, as the status bar says it. */
export const copiedMessages = {
  authCode: () => vscode.l10n.t('Authorization code copied to the clipboard'),
  accessToken: () => vscode.l10n.t('Access token copied to the clipboard'),
};

/** Puts a value on the clipboard and says so (`message`) without showing it. */
export async function copySecret(value: string, message: string): Promise<void> {
  await vscode.env.clipboard.writeText(value);
  void vscode.window.setStatusBarMessage(`$(check) ${message}`, 4000);
}
