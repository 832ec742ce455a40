import * as vscode from 'vscode';
import { isApiError, isAuthError, isCancellation, isInputError, isNetworkError } from '../core/errors';
import { type Logger, SecretMasker } from '../core/log';
import type { CallRecorder } from './callRecorder';
import type { Telemetry } from '../core/telemetry';
import { Commands } from '../constants';
import { plainText } from '../core/util/plainText';

/** One command: an id and what it does with an optional argument object. */
export interface Command<A = unknown> {
  readonly id: string;
  run(args?: A): unknown;
}

export interface CommandDeps {
  logger: Logger;
  telemetry: Telemetry;
  showLog(): void;
  /** Each run is a scope of its own: the requests it sends are attributed to it. */
  calls?: CallRecorder;
  /** The log's masker: error messages are shown masked as the log masks them. */
  masker?: SecretMasker;
}

/**
 * Registers every command through one wrapper: a telemetry event per run (id, duration,
 * outcome, error class — nothing else), errors turned into one message with actions, and
 * silence when the user cancelled.
 */
export function registerCommands(context: vscode.ExtensionContext, commands: readonly Command[], deps: CommandDeps): void {
  for (const command of commands) {
    context.subscriptions.push(vscode.commands.registerCommand(command.id, (args?: unknown) => runCommand(command, args, deps)));
  }
}

export async function runCommand(command: Command, args: unknown, deps: CommandDeps): Promise<unknown> {
  const started = performance.now();
  let outcome = 'success';
  let errorClass = '';
  try {
    // tree items pass themselves as the first argument; commands read what they need from it
    const run = async () => command.run(args);
    return await (deps.calls ? deps.calls.command(run) : run());
  } catch (e) {
    if (isCancellation(e)) {
      outcome = 'cancelled';
      return undefined;
    }
    outcome = 'error';
    errorClass = errorClassOf(e);
    deps.logger.error(e instanceof Error ? e : new Error(String(e)));
    void showError(command, args, e, deps);
    return undefined;
  } finally {
    deps.telemetry.sendEvent('command', { id: command.id, outcome, ...(errorClass ? { errorClass } : {}) }, { durationMs: Math.round(performance.now() - started) });
  }
}

function errorClassOf(e: unknown): string {
  if (isApiError(e)) return `ApiError${e.status}`;
  if (isAuthError(e)) return `AuthError:${e.problem}`;
  if (isNetworkError(e)) return `NetworkError:${e.code}`;
  if (isInputError(e)) return 'InputError';
  return e instanceof Error ? e.name : 'unknown';
}

// the log channel's masker, once the extension is active; until then, names that look secret
let errorMasker = new SecretMasker();

/**
 * Makes every message `describeError` builds go through the log's masker: a server's error text
 * may echo a token or the client secret, and it is shown in notifications, tree error nodes and
 * webview banners. Set once at activation.
 */
export function maskErrorsWith(masker: SecretMasker): void {
  errorMasker = masker;
}

/**
 * The message a user sees for an error (no stack, no secrets: the log has the details), as plain
 * text: notifications, tree rows and banners show `code` marks literally, so they become quotes.
 */
export function describeError(e: unknown, masker: SecretMasker = errorMasker): string {
  return plainText(masker.mask(errorText(e)));
}

function errorText(e: unknown): string {
  if (isNetworkError(e)) return `${e.message} ${e.hint}`.trim();
  if (isApiError(e)) return vscode.l10n.t({ message: '{0} ({1} {2} → {3})', args: [e.message, e.method, e.path, e.status], comment: ['{0}: the error message; {1} {2}: the HTTP method and path; {3}: the HTTP status'] });
  if (e instanceof Error) return e.message;
  return String(e);
}

async function showError(command: Command, args: unknown, e: unknown, deps: CommandDeps): Promise<void> {
  const setCredentials = vscode.l10n.t('Set Credentials');
  const retry = vscode.l10n.t('Retry');
  const showLog = vscode.l10n.t('Show Log');
  const actions: string[] = [];
  // the app keys are missing or were refused (a refused user token is not fixed by new app keys)
  const needsCredentials = (isAuthError(e) && (e.problem === 'missing-credentials' || e.problem === 'invalid-credentials')) || (isApiError(e) && e.status === 401);
  if (needsCredentials) actions.push(setCredentials);
  if (isNetworkError(e) || (isApiError(e) && [429, 502, 503, 504].includes(e.status))) actions.push(retry);
  actions.push(showLog);
  const pick = await vscode.window.showErrorMessage(describeError(e, deps.masker), ...actions);
  if (pick === setCredentials) await vscode.commands.executeCommand(Commands.setCredentials);
  else if (pick === retry) await runCommand(command, args, deps);
  else if (pick === showLog) deps.showLog();
}

/**
 * Runs long work under a cancellable progress notification; cancelling aborts the signal the
 * core receives, and so the HTTP request in flight.
 */
export function withCancellableProgress<T>(title: string, work: (signal: AbortSignal, progress: vscode.Progress<{ message?: string; increment?: number }>) => Promise<T>, location = vscode.ProgressLocation.Notification): Promise<T> {
  return Promise.resolve(vscode.window.withProgress({ location, title, cancellable: true }, (progress, token) => {
    const controller = new AbortController();
    const sub = token.onCancellationRequested(() => controller.abort());
    return work(controller.signal, progress).finally(() => sub.dispose());
  }));
}
