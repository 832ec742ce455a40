import * as vscode from 'vscode';
import { InputError } from '../../core/errors';
import { ToolNames } from '../../core/tools/catalog';
import type { RecordedRequest } from '../../core/tools/state';
import type { ToolRun } from '../context';

/**
 * A call already made, as a curl command: a tool call by its number (its last request, or
 * `request` n of it), else the last tool call, else the last call the user made in the views.
 * Secrets stay `$ONEUP_*` variables (the client renders them so); optionally copied.
 */
export async function curlForCall(r: ToolRun): Promise<string> {
  const n = r.input.integer('call', { min: 0, max: Number.MAX_SAFE_INTEGER, default: 0 });
  const copy = r.input.boolean('copyToClipboard', false);
  let source: string;
  let requests: readonly RecordedRequest[];
  const call = n ? r.state.calls.get(n) : r.state.calls.last();
  if (n && !call) throw new InputError(`There is no call #${n} (the last 50 tool calls of this window are kept, and only calls that sent a request have a number).`);
  if (call) {
    source = `call #${call.n} (${call.tool}${call.environment !== r.environment.name ? `, made in “${call.environment}”` : ''})`;
    requests = call.requests;
  } else {
    const last = r.s.clients.calls.lastCommandCall ?? r.s.clients.lastCall;
    if (!last) throw new InputError(`No 1upHealth call has been made yet in “${r.environment.name}”: run one of the 1upHealth tools first.`);
    source = 'the last call made in the 1upHealth views or commands';
    requests = [last];
  }
  const which = r.input.integer('request', { min: 1, max: requests.length, default: requests.length });
  const req = requests[which - 1];
  const lines = [
    `curl for ${source}${requests.length > 1 ? `, request ${which} of ${requests.length}` : ''}: ${req.method} ${req.target.split('?')[0]} → ${req.status ?? req.error ?? 'no answer'}`,
    '```sh',
    req.curl,
    '```',
    'Secrets are not in it: set ONEUP_CLIENT_ID, ONEUP_CLIENT_SECRET and ONEUP_ACCESS_TOKEN (as used) in the shell first; “1upHealth: Copy Access Token” copies a token.',
  ];
  if (requests.length > 1) lines.push(`The other requests of this call: ${requests.map((q, i) => `${i + 1}. ${q.method} ${q.target.split('?')[0]}`).join('; ')} (pass "request" to ${ToolNames.curl}).`);
  if (copy) {
    await vscode.env.clipboard.writeText(req.curl);
    lines.push('Copied to the clipboard.');
  }
  return lines.join('\n');
}
