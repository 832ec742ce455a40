import * as vscode from 'vscode';
import { Commands } from '../constants';
import type { LastCall } from '../core/api';
import { InputError } from '../core/errors';
import type { FhirVersion } from '../core/environments';
import type { Command } from '../host/commands';
import { withCancellableProgress } from '../host/commands';
import type { Services } from '../host/services';
import { fhirAs } from '../host/acting';

const NOTE = 'Secrets are read from $ONEUP_CLIENT_ID, $ONEUP_CLIENT_SECRET and $ONEUP_ACCESS_TOKEN.';

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
  const copy = async (call: LastCall | undefined): Promise<string> => {
    if (!call) throw new InputError('No 1upHealth call has been made yet in this environment.');
    await vscode.env.clipboard.writeText(call.curl);
    void vscode.window.setStatusBarMessage(`$(check) curl for ${call.method} ${call.target} copied. ${NOTE}`, 6000);
    return call.curl;
  };

  const last: Command = { id: Commands.copyLastCallAsCurl, run: () => copy(s.clients.calls.lastCommandCall ?? s.clients.lastCall) };

  const forNode: Command<NodeArgs> = {
    id: Commands.copyCallAsCurl,
    async run(node) {
      if (!node) throw new InputError('Use "Copy Call as curl" from a user or resource in the 1upHealth views.');
      const version = s.clients.environment().fhirVersion;
      // the node's own request is made again (they are all reads), so the copy is exactly what was
      // sent; only this request counts, whatever else is in flight (a token renewal comes before it)
      const { calls } = await withCancellableProgress('Preparing the curl command…', (signal) => s.clients.calls.recording(async () => {
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
  return [last, forNode];
}
