import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { Commands, EXTENSION_ID } from '../../../src/constants';

const SECRET = 'vsix-check-client-secret-7f3a9c';
const FORBIDDEN_KEYS = /^(context|credentials|secrets?|clients?|transport|tokenStore|tokens?|sandbox|memory|logger)$/i;

/** Every key path and string value reachable from `root` (own properties and getters, a few levels deep). */
function reachable(root: unknown, depth = 4): { keys: string[]; strings: string[] } {
  const keys: string[] = [];
  const strings: string[] = [];
  const seen = new Set<unknown>();
  const walk = (v: unknown, path: string, d: number): void => {
    if (typeof v === 'string') { strings.push(v); return; }
    if (!v || (typeof v !== 'object' && typeof v !== 'function') || seen.has(v) || d > depth) return;
    seen.add(v);
    for (const k of Reflect.ownKeys(v as object)) {
      if (typeof k !== 'string') continue;
      keys.push(`${path}.${k}`);
      let child: unknown;
      try { child = (v as Record<string, unknown>)[k]; } catch { continue; }
      walk(child, `${path}.${k}`, d + 1);
    }
  };
  walk(root, 'exports', 0);
  return { keys, strings };
}

describe('what other extensions can read from the packaged VSIX', () => {
  it('runs in Production mode and exports no services, credentials, secrets or API client', async () => {
    const ext = vscode.extensions.getExtension(EXTENSION_ID);
    assert.ok(ext, 'the extension from the VSIX is installed');
    await ext.activate();
    // a secret in SecretStorage, as a user would have set it
    await vscode.commands.executeCommand(Commands.setCredentials, { environment: '1upHealth', clientId: 'vsix-check-client', clientSecret: SECRET });
    try {
      const { keys, strings } = reachable(ext.exports);
      const forbidden = keys.filter((k) => FORBIDDEN_KEYS.test(k.split('.').pop() ?? ''));
      assert.deepEqual(forbidden, [], `exports lead to ${forbidden.join(', ')}`);
      assert.ok(!strings.some((s) => s.includes(SECRET)), 'the client secret is reachable from the exports');
      const exported = ext.exports as { credentials?: { get?: (env: string) => Promise<unknown> } } | undefined;
      assert.equal(typeof exported?.credentials?.get, 'undefined', 'the credential store is reachable');
    } finally {
      await vscode.commands.executeCommand(Commands.signOut, { environment: '1upHealth' });
    }
  });
});
