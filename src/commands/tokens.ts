import * as vscode from 'vscode';
import { Commands, ContextKeys, Views, Walkthrough } from '../constants';
import { InputError } from '../core/errors';
import type { Command } from '../host/commands';
import { userTokens } from '../host/acting';
import { withCancellableProgress } from '../host/commands';
import { completeWalkthroughStep } from '../host/walkthrough';
import type { Services } from '../host/services';
import { copiedMessages, copySecret, resolveUser, UserArgs, userRef } from './args';

const time = (ms: number) => new Date(ms).toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' });

/** Auth codes and tokens. Codes and tokens are copied on request and never shown in messages. */
export function tokenCommands(s: Services): Command[] {
  const authCode: Command<UserArgs & { copy?: boolean }> = {
    id: Commands.getAuthCode,
    async run(args = {}) {
      const user = await resolveUser(s, args, vscode.l10n.t('Auth code for which user?'));
      const client = s.clients.get();
      const code = await withCancellableProgress(vscode.l10n.t('Requesting an authorization code…'), (signal) => client.users.createAuthCode(userRef(user), signal));
      if (args.copy) await copySecret(code.code, copiedMessages.authCode());
      else if (args.oneupUserId === undefined || args.copy === undefined) {
        const copyCode = vscode.l10n.t('Copy Code');
        const exchange = vscode.l10n.t('Exchange for Token');
        const pick = await vscode.window.showInformationMessage(vscode.l10n.t('New authorization code for {0} (valid for 2 hours, single use).', code.appUserId), copyCode, exchange);
        if (pick === copyCode) await copySecret(code.code, copiedMessages.authCode());
        if (pick === exchange) await vscode.commands.executeCommand(Commands.getAccessToken, { oneupUserId: code.oneupUserId, appUserId: code.appUserId, code: code.code });
      }
      return { oneupUserId: code.oneupUserId, appUserId: code.appUserId };
    },
  };

  const accessToken: Command<UserArgs & { code?: string; copy?: boolean }> = {
    id: Commands.getAccessToken,
    async run(args = {}) {
      const user = await resolveUser(s, args, vscode.l10n.t('Access token for which user?'));
      const client = s.clients.get();
      const tokens = await withCancellableProgress(vscode.l10n.t('Exchanging an authorization code for tokens…'), async (signal) => {
        const code = args.code ?? (await client.users.createAuthCode(userRef(user), signal)).code;
        const set = await client.tokens.exchangeCode(code, signal);
        await client.tokenManager(userRef(user)).setTokens(set);
        return set;
      });
      s.refresh.fire(Views.users);
      void vscode.commands.executeCommand('setContext', ContextKeys.hasToken, true);
      completeWalkthroughStep(Walkthrough.steps.token);
      await announce(args.copy, vscode.l10n.t('Access token for {0} valid until {1}.', user.appUserId ?? user.oneupUserId, time(tokens.expiresAt)), tokens.accessToken, args.oneupUserId !== undefined && args.copy === false);
      return { oneupUserId: user.oneupUserId, expiresAt: tokens.expiresAt, hasIdToken: !!tokens.idToken };
    },
  };

  const refresh: Command<UserArgs & { copy?: boolean }> = {
    id: Commands.refreshToken,
    async run(args = {}) {
      const user = await resolveUser(s, args, vscode.l10n.t('Refresh the token of which user?'));
      const client = s.clients.get();
      const manager = client.tokenManager(userRef(user));
      const state = await manager.state();
      if (state.kind === 'none') throw new InputError(vscode.l10n.t('{0} has no token to refresh yet: use “Get Access Token” first.', user.appUserId ?? user.oneupUserId));
      // a refused refresh (and sign-in) drops the kept tokens, so the view stops saying "valid until"
      const tokens = await withCancellableProgress(vscode.l10n.t('Refreshing the access token…'), (signal) => userTokens(s, user).refreshNow(signal));
      s.refresh.fire(Views.users);
      await announce(args.copy, vscode.l10n.t('Token of {0} refreshed: valid until {1}.', user.appUserId ?? user.oneupUserId, time(tokens.expiresAt)), tokens.accessToken, args.oneupUserId !== undefined && args.copy === false);
      return { oneupUserId: user.oneupUserId, expiresAt: tokens.expiresAt };
    },
  };

  const copyToken: Command<UserArgs> = {
    id: Commands.copyAccessToken,
    async run(args = {}) {
      const user = await resolveUser(s, args, vscode.l10n.t('Copy the access token of which user?'));
      const token = await withCancellableProgress(vscode.l10n.t('Getting a valid access token…'), (signal) => userTokens(s, user).accessToken(signal), vscode.ProgressLocation.Window);
      await copySecret(token, copiedMessages.accessToken());
      s.refresh.fire(Views.users);
    },
  };

  return [authCode, accessToken, refresh, copyToken];
}

async function announce(copy: boolean | undefined, message: string, token: string, silent: boolean): Promise<void> {
  if (copy) { await copySecret(token, copiedMessages.accessToken()); return; }
  if (silent) return;
  const pick = await vscode.window.showInformationMessage(message, vscode.l10n.t('Copy Access Token'));
  if (pick) await copySecret(token, copiedMessages.accessToken());
}
