import * as vscode from 'vscode';
import { Commands } from '../constants';
import { CancelledError, isAuthError, isCancellation } from '../core/errors';
import type { Command } from '../host/commands';
import { describeError, withCancellableProgress } from '../host/commands';
import type { Services } from '../host/services';
import { settings } from '../host/settings';
import { interactiveLoad } from '../core/api/interactive';

export interface SetCredentialsArgs {
  environment?: string;
  clientId?: string;
  clientSecret?: string;
  /** Check the keys with one call (only for the active environment); default: when the keys were typed in. */
  check?: boolean;
}

/** What "Set Credentials…" found out about the keys it saved. */
export interface CredentialsCheck {
  environment: string;
  /** false: not checked (another environment, or `check: false`) */
  checked: boolean;
  /** the server accepted them (checked), refused them (false), or could not be asked (undefined) */
  works?: boolean;
  message: string;
}

export function credentialCommands(s: Services): Command[] {
  const setCredentials: Command<SetCredentialsArgs> = {
    id: Commands.setCredentials,
    async run(args = {}) {
      // a tree's error row passes itself: it names no environment or keys
      const environment = typeof args.environment === 'string' ? args.environment : s.environments.activeName();
      if (!s.environments.all().has(environment)) throw new Error(vscode.l10n.t('There is no environment named "{0}".', environment));
      const interactive = !args.clientSecret;
      const clientId = (typeof args.clientId === 'string' && args.clientId.trim()) || await askSecret(vscode.l10n.t('Client ID for {0}', environment), vscode.l10n.t('The client_id of your 1upHealth app (developer console → Apps)'));
      const clientSecret = (typeof args.clientSecret === 'string' && args.clientSecret.trim()) || await askSecret(vscode.l10n.t('Client Secret for {0}', environment), vscode.l10n.t('The client_secret of your 1upHealth app; kept in VS Code\'s secret storage only'));
      await s.credentials.set(environment, { clientId, clientSecret });
      s.logger.info(`[credentials] stored for ${environment}`);
      // the views reload on the store's change event (once, and only for the active environment)
      const result = !(args.check ?? interactive) || environment !== s.environments.activeName() || !s.environments.active()
        ? { environment, checked: false, message: vscode.l10n.t('1upHealth credentials saved for {0}; they are checked when you use that environment.', environment) }
        : await check(s, environment);
      if (interactive) await report(result);
      return result;
    },
  };
  const signOut: Command<{ environment?: string }> = {
    id: Commands.signOut,
    async run(args = {}) {
      const environment = args.environment ?? s.environments.activeName();
      await s.credentials.delete(environment);
      s.logger.info(`[credentials] removed for ${environment}`);
      if (!args.environment) void vscode.window.showInformationMessage(vscode.l10n.t('Signed out of {0}: its credentials and tokens were removed.', environment));
    },
  };
  return [setCredentials, signOut];
}

/**
 * Asks the server once with the new keys: listing the app's users is the cheapest call that
 * needs exactly these keys (one of the app's 300 user-management calls this hour).
 */
async function check(s: Services, environment: string): Promise<CredentialsCheck> {
  // someone waits on the answer: one try and a short deadline, like a view's load
  const load = interactiveLoad(Math.min(settings.requestTimeoutSeconds(), 15), new URL(s.clients.environment().apiUrl).host);
  try {
    const users = await withCancellableProgress(vscode.l10n.t('Checking the credentials for {0}…', environment), (signal) => {
      signal.addEventListener('abort', () => load.abort(), { once: true });
      return s.clients.get().users.listUsers({}, load.signal).catch((e: unknown) => { throw load.timedOut() ?? e; });
    }, vscode.ProgressLocation.Notification);
    s.memory.rememberNames(environment, users);
    const message = users.length === 1
      ? vscode.l10n.t('1upHealth accepted the credentials for {0}: the app has 1 user.', environment)
      : vscode.l10n.t('1upHealth accepted the credentials for {0}: the app has {1} users.', environment, users.length);
    return { environment, checked: true, works: true, message };
  } catch (e) {
    if (isCancellation(e)) return { environment, checked: false, message: vscode.l10n.t('1upHealth credentials saved for {0} (not checked).', environment) };
    s.logger.warn(`[credentials] check for ${environment}: ${describeError(e)}`);
    if (isAuthError(e) && e.problem === 'invalid-credentials') {
      return { environment, checked: true, works: false, message: vscode.l10n.t('1upHealth refused the client_id and client_secret for {0}. They are saved; set them again to fix them.', environment) };
    }
    return { environment, checked: true, message: vscode.l10n.t('The credentials for {0} are saved, but could not be checked: {1}', environment, describeError(e)) };
  } finally {
    load.done();
  }
}

async function report(r: CredentialsCheck): Promise<void> {
  if (r.works === false) {
    const setAgain = vscode.l10n.t('Set Credentials');
    const signOut = vscode.l10n.t('Sign Out');
    const pick = await vscode.window.showErrorMessage(r.message, setAgain, signOut);
    if (pick === setAgain) await vscode.commands.executeCommand(Commands.setCredentials, { environment: r.environment });
    if (pick === signOut) await vscode.commands.executeCommand(Commands.signOut, { environment: r.environment });
  } else if (r.checked && r.works === undefined) {
    void vscode.window.showWarningMessage(r.message);
  } else {
    void vscode.window.showInformationMessage(r.message);
  }
}

async function askSecret(title: string, prompt: string): Promise<string> {
  const value = await vscode.window.showInputBox({
    title,
    prompt,
    password: true,
    ignoreFocusOut: true,
    validateInput: (v) => (v.trim() ? undefined : vscode.l10n.t('Required')),
  });
  if (value === undefined) throw new CancelledError();
  return value.trim();
}
