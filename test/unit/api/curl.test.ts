import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { MockAgent } from 'undici';
import { shellQuote, toCurl } from '../../../src/core/api';
import { json, JSON_HEADERS, MOCK_CREDS, mockClient } from './helpers';

/** Runs a rendered command in a real POSIX shell with `curl` replaced by a function that prints its arguments. */
function argvOf(command: string, env: Record<string, string> = {}): string[] {
  const script = `curl() { for a in "$@"; do printf '%s\\0' "$a"; done; }\n${command}`;
  const out = execFileSync('sh', ['-c', script], { env: { PATH: process.env.PATH ?? '', ...env } }).toString();
  return out.split('\0').slice(0, -1);
}

describe('copy as curl', () => {
  it('quotes every awkward character so the shell passes it through unchanged', () => {
    const nasty = `it's "quoted" $HOME \`id\` \\ ; | & *`;
    assert.deepEqual(argvOf(`curl ${shellQuote(nasty)} ${shellQuote('')}`), [nasty, '']);
  });

  it('replaces secrets with $ONEUP_* variables the shell fills in, in URLs, headers and form fields', () => {
    const cmd = toCurl({
      method: 'POST',
      url: 'https://api.example/x?access_token=tok-123456&q=it%27s',
      headers: { authorization: 'Bearer tok-123456', 'x-note': "don't" },
      form: [['client_id', 'cid-000001'], ['client_secret', 's3cret-value'], ['app_user_id', "o'brien"]],
      secrets: [
        { value: 'tok-123456', kind: 'accessToken' },
        { value: 'cid-000001', kind: 'clientId' },
        { value: 's3cret-value', kind: 'clientSecret' },
      ],
    });
    for (const s of ['tok-123456', 'cid-000001', 's3cret-value']) assert.ok(!cmd.includes(s), cmd);
    const argv = argvOf(cmd, { ONEUP_ACCESS_TOKEN: 'T', ONEUP_CLIENT_ID: 'I', ONEUP_CLIENT_SECRET: 'S' });
    assert.deepEqual(argv, [
      '-X', 'POST', 'https://api.example/x?access_token=T&q=it%27s',
      '-H', 'authorization: Bearer T',
      '-H', "x-note: don't",
      '--data-urlencode', 'client_id=I',
      '--data-urlencode', 'client_secret=S',
      '--data-urlencode', "app_user_id=o'brien",
    ]);
  });

  it('keeps the last call of the client as curl, with secrets as placeholders', async () => {
    const agent = new MockAgent();
    agent.disableNetConnect();
    agent.get('https://api.mock.test').intercept({ path: () => true, method: 'POST' })
      .reply(200, json({ success: true, code: 'code-abcdef-1', oneup_user_id: '17', app_user_id: 'alice', active: true }), { headers: JSON_HEADERS });
    const { client } = mockClient(agent);
    await client.users.createAuthCode({ appUserId: 'alice' });
    const last = client.lastCall;
    assert.ok(last);
    assert.equal(last.status, 200);
    assert.equal(last.target, '/user-management/v1/user/auth-code');
    assert.ok(!last.curl.includes(MOCK_CREDS.clientSecret) && !last.curl.includes(MOCK_CREDS.clientId), last.curl);
    const argv = argvOf(last.curl, { ONEUP_CLIENT_ID: 'I', ONEUP_CLIENT_SECRET: 'S' });
    assert.deepEqual(argv.slice(0, 3), ['-X', 'POST', 'https://api.mock.test/user-management/v1/user/auth-code']);
    assert.ok(argv.includes('client_secret=S') && argv.includes('client_id=I') && argv.includes('app_user_id=alice'), argv.join(' '));
    assert.ok(argv.includes('user-agent: vscode-oneup-health/0.1.0-test'));
    await agent.close();
  });
});
