import * as vscode from 'vscode';
import { Commands, Views, Walkthrough } from '../constants';
import type { UserFilter } from '../core/api';
import { CancelledError, InputError } from '../core/errors';
import type { Command } from '../host/commands';
import { withCancellableProgress } from '../host/commands';
import type { Services } from '../host/services';
import { completeWalkthroughStep } from '../host/walkthrough';
import { ask, copiedMessages, copySecret, resolveUser, UserArgs } from './args';

const APP_USER_ID = /^[\w.@+\-:]{1,128}$/;
const validAppUserId = (v: string) => (APP_USER_ID.test(v.trim()) ? undefined : vscode.l10n.t('Letters, digits and . _ @ + - : only (at most 128)'));

/** User management: list (the App Users view), create, update, activate / deactivate, copy ids. */
export function userCommands(s: Services, setFilter: (f: UserFilter | undefined) => void): Command[] {
  const list: Command<UserFilter & { reveal?: boolean }> = {
    id: Commands.listUsers,
    async run(args = {}) {
      const filter: UserFilter = { appUserId: args.appUserId || undefined, oneupUserId: args.oneupUserId || undefined };
      const users = await withCancellableProgress(vscode.l10n.t('Listing users…'), (signal) => s.clients.get().users.listUsers(filter, signal), vscode.ProgressLocation.Window);
      s.memory.rememberNames(s.clients.environment().name, users);
      setFilter(filter.appUserId || filter.oneupUserId ? filter : undefined);
      if (args.reveal !== false) await vscode.commands.executeCommand(`${Views.users}.focus`);
      return users;
    },
  };

  const filter: Command<UserFilter> = {
    id: Commands.filterUsers,
    async run(args) {
      let f = args;
      if (!f || (!f.appUserId && !f.oneupUserId)) {
        const text = await ask({ title: vscode.l10n.t('Filter App Users'), prompt: vscode.l10n.t('An app_user_id, or oneup:<oneup_user_id>; empty clears the filter') });
        f = !text ? {} : text.startsWith('oneup:') ? { oneupUserId: text.slice(6).trim() } : { appUserId: text };
      }
      setFilter(f.appUserId || f.oneupUserId ? f : undefined);
    },
  };

  const clearFilter: Command = { id: Commands.clearUserFilter, run: () => setFilter(undefined) };

  const create: Command<{ appUserId?: string; active?: boolean; copyCode?: boolean }> = {
    id: Commands.createUser,
    async run(args = {}) {
      const appUserId = args.appUserId?.trim() || await ask({ title: vscode.l10n.t('Create 1upHealth User'), prompt: vscode.l10n.t('app_user_id: your own id for this user'), validateInput: validAppUserId });
      if (validAppUserId(appUserId)) throw new InputError(vscode.l10n.t('"{0}" is not a valid app_user_id: {1}.', appUserId, validAppUserId(appUserId)!));
      const client = s.clients.get();
      const result = await withCancellableProgress(vscode.l10n.t('Creating user {0}…', appUserId), (signal) => client.users.createUser(appUserId, { active: args.active }, signal));
      s.refresh.fire(Views.users);
      if (result.kind === 'exists') {
        if (args.appUserId) return { created: false, appUserId, message: result.message };
        const pick = await vscode.window.showWarningMessage(`${result.message}`, vscode.l10n.t('Get Auth Code Instead'));
        if (pick) await vscode.commands.executeCommand(Commands.getAuthCode, { appUserId });
        return { created: false, appUserId, message: result.message };
      }
      s.logger.info(`[users] created ${result.user.appUserId} (${result.user.oneupUserId})`);
      completeWalkthroughStep(Walkthrough.steps.createUser);
      if (args.copyCode) await copySecret(result.code, copiedMessages.authCode());
      if (!args.appUserId) {
        const copyCode = vscode.l10n.t('Copy Auth Code');
        const getToken = vscode.l10n.t('Get Access Token');
        const pick = await vscode.window.showInformationMessage(vscode.l10n.t('Created user {0} (oneup_user_id {1}).', result.user.appUserId, result.user.oneupUserId), copyCode, getToken);
        if (pick === copyCode) await copySecret(result.code, copiedMessages.authCode());
        if (pick === getToken) await vscode.commands.executeCommand(Commands.getAccessToken, { oneupUserId: result.user.oneupUserId, appUserId: result.user.appUserId, code: result.code });
      }
      return { created: true, ...result.user };
    },
  };

  const update: Command<UserArgs & { newAppUserId?: string; active?: boolean; kind?: string }> = {
    id: Commands.updateUser,
    async run(raw = {}) {
      // a user's context menu passes its tree node: the node's `active` is the user's state, not a change to make
      const node = raw.kind === 'user' ? raw : undefined;
      const args = node ? pickUserArgs(node) : raw;
      const user = await resolveUser(s, args, vscode.l10n.t('Update which user?'));
      let { newAppUserId, active } = args as { newAppUserId?: string; active?: boolean };
      if (newAppUserId === undefined && active === undefined) {
        const who = user.appUserId ?? s.memory.nameOf(s.clients.environment().name, user.oneupUserId) ?? user.oneupUserId;
        const what = await vscode.window.showQuickPick([
          { label: `$(edit) ${vscode.l10n.t('Change app_user_id')}`, id: 'rename' },
          ...(node?.active !== true ? [{ label: `$(pass) ${vscode.l10n.t('Activate')}`, id: 'activate' }] : []),
          ...(node?.active !== false ? [{ label: `$(circle-slash) ${vscode.l10n.t('Deactivate')}`, id: 'deactivate', detail: vscode.l10n.t('Ends the user\'s tokens; their data stays') }] : []),
        ], { title: vscode.l10n.t('Update {0}', who) });
        if (!what) throw new CancelledError();
        if (what.id === 'rename') newAppUserId = await ask({ title: vscode.l10n.t('New app_user_id'), value: user.appUserId, validateInput: validAppUserId });
        else active = what.id === 'activate';
      }
      if (newAppUserId !== undefined && validAppUserId(newAppUserId)) throw new InputError(vscode.l10n.t('"{0}" is not a valid app_user_id.', newAppUserId));
      const client = s.clients.get();
      await withCancellableProgress(vscode.l10n.t('Updating user…'), (signal) => client.users.updateUser(user.oneupUserId, { appUserId: newAppUserId, active }, signal));
      s.logger.info(`[users] updated ${user.oneupUserId}${newAppUserId ? ` app_user_id → ${newAppUserId}` : ''}${active !== undefined ? ` active → ${active}` : ''}`);
      // 1upHealth ends a deactivated user's tokens: the kept ones would only say "valid until" falsely
      if (active === false) await client.tokenManager({ oneupUserId: user.oneupUserId }).clear();
      s.refresh.fire(Views.users);
      return { oneupUserId: user.oneupUserId, appUserId: newAppUserId, active };
    },
  };

  const setActive = (id: string, active: boolean): Command<UserArgs> => ({
    id,
    run: (args = {}) => vscode.commands.executeCommand(Commands.updateUser, { ...pickUserArgs(args), active }),
  });

  const copyId = (id: string, field: 'oneupUserId' | 'appUserId', label: string): Command<UserArgs> => ({
    id,
    async run(args = {}) {
      const user = args[field] ? args : await resolveUser(s, args, vscode.l10n.t({ message: 'Copy {0} of which user?', args: [label], comment: ['{0}: app_user_id or oneup_user_id'] }));
      const value = user[field];
      if (!value) throw new InputError(vscode.l10n.t({ message: 'This user has no {0}.', args: [label], comment: ['{0}: app_user_id or oneup_user_id'] }));
      await vscode.env.clipboard.writeText(value);
      void vscode.window.setStatusBarMessage(`$(check) ${vscode.l10n.t({ message: '{0} {1} copied', args: [label, value], comment: ['{0}: app_user_id or oneup_user_id; {1}: its value'] })}`, 4000);
      return value;
    },
  });

  return [
    list, filter, clearFilter, create, update,
    setActive(Commands.activateUser, true), setActive(Commands.deactivateUser, false),
    copyId(Commands.copyOneupUserId, 'oneupUserId', 'oneup_user_id'), copyId(Commands.copyAppUserId, 'appUserId', 'app_user_id'),
  ];
}

/** Only the user-identifying fields of a tree node or args object. */
export function pickUserArgs(args: UserArgs): UserArgs {
  return { oneupUserId: args.oneupUserId, appUserId: args.appUserId };
}
