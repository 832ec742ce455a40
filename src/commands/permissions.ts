import * as vscode from 'vscode';
import { Commands, Views } from '../constants';
import { InputError } from '../core/errors';
import type { Command } from '../host/commands';
import { withCancellableProgress } from '../host/commands';
import type { Services } from '../host/services';
import { fhirAs } from '../host/acting';
import { pickUser, resolveUser, UserArgs } from './args';

export interface PermissionArgs extends UserArgs {
  /** The user who gains (or loses) access to the first user's resources. */
  granteeOneupUserId?: string;
}

/** What the App Users view passes from its context menus (see tree/usersTree.ts `UserNode`). */
type PermissionNode =
  | { kind: 'permissions'; user: UserArgs }
  | { kind: 'grant'; user: UserArgs; grantee: string };

/**
 * The owner and grantee the arguments name: an args object, a user node (it has the user's ids
 * itself), the user's "Permissions" folder, or one of its grants (owner and grantee).
 */
function permissionArgs(args: PermissionArgs | PermissionNode | undefined): PermissionArgs {
  if (!args) return {};
  if ('kind' in args && (args.kind === 'permissions' || args.kind === 'grant')) {
    return {
      oneupUserId: args.user.oneupUserId,
      appUserId: args.user.appUserId,
      granteeOneupUserId: args.kind === 'grant' ? args.grantee : undefined,
    };
  }
  return args as PermissionArgs;
}

/** Grant / revoke: let another app user read this user's FHIR resources. */
export function permissionCommands(s: Services): Command[] {
  const make = (id: string, grant: boolean): Command<PermissionArgs | PermissionNode> => ({
    id,
    async run(raw) {
      const args = permissionArgs(raw);
      const owner = await resolveUser(s, args, grant ? vscode.l10n.t('Whose data is shared?') : vscode.l10n.t('Whose data was shared?'));
      const env = s.clients.environment();
      let grantee = args.granteeOneupUserId;
      if (!grantee) {
        if (grant) {
          const others = (await s.clients.get().users.listUsers()).filter((u) => u.oneupUserId !== owner.oneupUserId);
          if (!others.length) throw new InputError(vscode.l10n.t('There is no other user to grant access to.'));
          grantee = (await pickUser(others, vscode.l10n.t('Who may see the data of {0}?', owner.appUserId ?? owner.oneupUserId))).oneupUserId;
        } else {
          const known = s.memory.get(env.name, owner.oneupUserId).grants;
          const picked = known.length
            ? await vscode.window.showQuickPick(known, { title: vscode.l10n.t('Revoke access of which user?'), placeHolder: 'oneup_user_id' })
            : await vscode.window.showInputBox({ title: vscode.l10n.t('Revoke access'), prompt: vscode.l10n.t('oneup_user_id of the user who loses access') });
          if (!picked) return undefined;
          grantee = picked.trim();
        }
      }
      if (grantee === owner.oneupUserId) throw new InputError(vscode.l10n.t('A user always sees their own data.'));
      const fhir = fhirAs(s, 'dstu2', owner);
      const result = await withCancellableProgress(grant ? vscode.l10n.t('Granting access…') : vscode.l10n.t('Revoking access…'), (signal) =>
        grant ? fhir.grantPermission(grantee!, signal) : fhir.revokePermission(grantee!, signal));
      if (grant) await s.memory.addGrant(env.name, owner.oneupUserId, grantee);
      else await s.memory.removeGrant(env.name, owner.oneupUserId, grantee);
      s.logger.info(`[permissions] ${grant ? 'granted' : 'revoked'} ${grantee} → data of ${owner.oneupUserId}`);
      s.refresh.fire(Views.users);
      return { owner: owner.oneupUserId, grantee, success: result.success };
    },
  });
  return [make(Commands.grantPermission, true), make(Commands.revokePermission, false)];
}
