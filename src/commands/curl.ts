import * as vscode from 'vscode';
import { Commands } from '../constants';
import type { LastCall } from '../core/api';
import { InputError } from '../core/errors';
import type { FhirVersion } from '../core/environments';
import type { Command } from '../host/commands';
import { withCancellableProgress } from '../host/commands';
import type { Services } from '../host/services';
import { fhirAs, userTokens } from '../host/acting';

/** A tree node as the context menu passes it (see src/tree/*). */
type NodeArgs =
  | { kind: 'user'; oneupUserId: string }
  | { kind: 'userType'; user: { oneupUserId: string }; type: string }
  | { kind: 'resource'; user?: { oneupUserId: string }; version: FhirVersion; type: string; id: string }
  | { kind: 'type'; version: FhirVersion; type: string };

/**
 * "Copy Last Call as curl", and "Copy Call as curl" for the call behind a tree node.
 *
 * Which call: a node's command copies the request it made itself (its own scope, see
 * host/callRecorder.ts), never one a view or panel sent meanwhile. "Copy Last Call" copies the
 * last request of the last command that finished having made one — what the user last asked
 * for, not the tree reload that command triggered; before any command has made a request, it
 * copies the last request sent (the views' loads).
 */
export function curlCommands(s: Services): Command[] {
  /** The command copied last, and the environment it belongs to: what "Copy Environment" is for. */
  let copied: { call: LastCall; environment: string } | undefined;
  const copy = async (call: LastCall | undefined): Promise<string | undefined> => {
    if (!call) {
      // nothing went wrong: there is simply nothing to copy yet
      void vscode.window.showInformationMessage(vscode.l10n.t('No 1upHealth call has been made yet in this environment: open a view or run a command first.'));
      return undefined;
    }
    await vscode.env.clipboard.writeText(call.curl);
    copied = { call, environment: s.clients.environment().name };
    void vscode.window.setStatusBarMessage(`$(check) ${vscode.l10n.t('curl for {0} {1} copied. It reads secrets from $ONEUP_* variables: “Copy Environment for curl” copies their export lines.', call.method, call.target)}`, 6000);
    return call.curl;
  };

  const last: Command = { id: Commands.copyLastCallAsCurl, run: () => copy(s.clients.calls.lastCommandCall ?? s.clients.lastCall) };

  const forNode: Command<NodeArgs> = {
    id: Commands.copyCallAsCurl,
    async run(node) {
      if (!node) throw new InputError(vscode.l10n.t('Use "Copy Call as curl" from a user or resource in the 1upHealth views.'));
      const version = s.clients.environment().fhirVersion;
      // the node's own request is made again (they are all reads), so the copy is exactly what was
      // sent; only this request counts, whatever else is in flight (a token renewal comes before it)
      const { calls } = await withCancellableProgress(vscode.l10n.t('Preparing the curl command…'), (signal) => s.clients.calls.recording(async () => {
        switch (node.kind) {
          case 'user': await s.clients.get().users.listUsers({ oneupUserId: node.oneupUserId }, signal); break;
          case 'userType': await fhirAs(s, version, node.user).search(node.type, { _count: 20 }, signal); break;
          case 'resource': await fhirAs(s, node.version, node.user).read(node.type, node.id, signal); break;
          case 'type': await fhirAs(s, node.version).search(node.type, { _count: 20 }, signal); break;
        }
      }), vscode.ProgressLocation.Window);
      return copy(calls[calls.length - 1]);
    },
  };
  const environment: Command = {
    id: Commands.copyCurlEnvironment,
    async run() {
      if (!copied) {
        void vscode.window.showInformationMessage(vscode.l10n.t('Copy a call as curl first (“Copy Last Call as curl”, or “Copy Call as curl” on a view item); this then copies the variables it reads.'));
        return undefined;
      }
      if (copied.environment !== s.clients.environment().name) throw new InputError(vscode.l10n.t('The curl command copied last belongs to the environment "{0}"; select it again, or copy a call of this environment.', copied.environment));
      const text = await withCancellableProgress(vscode.l10n.t('Preparing the environment for curl…'), (signal) => curlEnvironment(s, copied!.call, signal), vscode.ProgressLocation.Window);
      await vscode.env.clipboard.writeText(text.lines);
      void vscode.window.setStatusBarMessage(`$(check) ${text.count === 1
        ? vscode.l10n.t('1 export line for the curl command copied: paste it into your shell first')
        : vscode.l10n.t('{0} export lines for the curl command copied: paste them into your shell first', text.count)}`, 6000);
      return text.variables;
    },
  };
  return [last, forNode, environment];
}

/**
 * The `export ONEUP_…=` lines for the variables a copied curl command reads: the app keys of its
 * environment, and a valid access token of the user it was sent for. A refresh token or an auth
 * code is single-use and was spent by the call itself: those get a comment saying how to get one.
 */
async function curlEnvironment(s: Services, call: LastCall, signal: AbortSignal): Promise<{ lines: string; count: number; variables: string[] }> {
  const quote = s.clients.api.shellQuote;
  const variables = [...new Set([...call.curl.matchAll(/\$\{?(ONEUP_[A-Z_]+)/g)].map((m) => m[1]))];
  const env = s.clients.environment();
  const lines: string[] = [`# ${vscode.l10n.t({ message: 'for: {0} {1} ({2})', args: [call.method, call.target, env.name], comment: ['a shell comment above export lines: the HTTP method, URL and environment of the curl command they are for'] })}`];
  let count = 0;
  const creds = variables.some((v) => v === 'ONEUP_CLIENT_ID' || v === 'ONEUP_CLIENT_SECRET') ? await s.credentials.get(env.name) : undefined;
  for (const v of variables) {
    let value: string | undefined;
    let missing = '';
    if (v === 'ONEUP_CLIENT_ID' || v === 'ONEUP_CLIENT_SECRET') {
      value = v === 'ONEUP_CLIENT_ID' ? creds?.clientId : creds?.clientSecret;
      missing = vscode.l10n.t('no credentials are set for {0}', env.name);
    } else if (v === 'ONEUP_ACCESS_TOKEN') {
      const user = call.user?.oneupUserId;
      if (user) value = await userTokens(s, { oneupUserId: user }).accessToken(signal);
      else missing = vscode.l10n.t('the call did not say whose token it carried: run "Copy Access Token" for that user');
    } else if (v === 'ONEUP_REFRESH_TOKEN') {
      missing = vscode.l10n.t('a refresh token works once and the call used it; "Refresh Token" keeps the new one in secret storage');
    } else if (v === 'ONEUP_AUTH_CODE') {
      missing = vscode.l10n.t('an auth code works once and the call used it: get a new one with "Get Auth Code" (Copy Code)');
    } else {
      missing = vscode.l10n.t('not a variable this extension knows');
    }
    if (value) {
      lines.push(`export ${v}=${quote(value)}`);
      count++;
    } else {
      lines.push(`# ${v}: ${missing}`);
    }
  }
  return { lines: lines.join('\n') + '\n', count, variables };
}
