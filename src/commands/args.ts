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
    if (!user) throw new InputError(`There is no user with app_user_id "${args.appUserId}".`);
    return user;
  }
  const users = await withCancellableProgress('Loading users…', (signal) => client.users.listUsers({}, signal), vscode.ProgressLocation.Window);
  s.memory.rememberNames(environment, users);
  if (!users.length) throw new InputError('This app has no users yet: create one with "1upHealth: Create User".');
  return pickUser(users, title);
}

export async function pickUser(users: readonly AppUser[], title: string): Promise<AppUser> {
  const pick = await vscode.window.showQuickPick(users.map((u) => ({
    label: u.appUserId,
    description: u.oneupUserId,
    detail: u.active ? undefined : 'inactive',
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
    if (!isFhirVersion(version)) throw new InputError(`Unknown FHIR version "${String(version)}": use ${FHIR_VERSIONS.join(', ')}.`);
    return version;
  }
  return s.clients.environment().fhirVersion;
}

export async function resolveType(version: FhirVersion, type: unknown, title: string): Promise<string> {
  if (typeof type === 'string' && type) {
    if (!isResourceType(version, type)) throw new InputError(`"${type}" is not a FHIR ${version} resource type.`);
    return type;
  }
  const pick = await vscode.window.showQuickPick(typePickItems(version), { title, placeHolder: `FHIR ${version} resource type` });
  if (!pick) throw new CancelledError();
  return pick.label;
}

/** Quick-pick items of a version's resource types: the common ones first, then all others. */
export function typePickItems(version: FhirVersion): vscode.QuickPickItem[] {
  const clinical = new Set(CLINICAL_TYPES[version]);
  return [
    { label: 'Common', kind: vscode.QuickPickItemKind.Separator },
    ...CLINICAL_TYPES[version].map((t) => ({ label: t })),
    { label: 'All types', kind: vscode.QuickPickItemKind.Separator },
    ...resourceTypes(version).filter((t) => !clinical.has(t)).map((t) => ({ label: t })),
  ];
}

export async function ask(options: vscode.InputBoxOptions): Promise<string> {
  const value = await vscode.window.showInputBox({ ignoreFocusOut: true, ...options });
  if (value === undefined) throw new CancelledError();
  return value.trim();
}

/** Puts a value on the clipboard and says so without showing it. */
export async function copySecret(value: string, what: string): Promise<void> {
  await vscode.env.clipboard.writeText(value);
  void vscode.window.setStatusBarMessage(`$(check) ${what} copied to the clipboard`, 4000);
}
