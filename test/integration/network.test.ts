import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { Commands, SecretKeys, Settings } from '../../src/constants';
import type { ExtensionApi } from '../../src/extension';
import { type RunningSandbox, startSandbox } from '../../src/core/sandbox';
import { type ForwardingProxy, startForwardingProxy } from '../unit/api/forwardingProxy';
import { activateExtension, eventually, stubWindow } from './helpers';
import { childrenOf, treeItem } from './trees';
import { environmentAt, loadNetSetup, type NetSetup, startTlsFront, withSettings } from './netFixtures';

const LOGIN = `Basic ${Buffer.from('corp-user:pr0xy-pa55word').toString('base64')}`;

/** Makes `name` (URLs at `base`, the sandbox's keys) the active environment with `http` settings; answers the undo. */
async function useEnvironment(api: ExtensionApi, name: string, base: string, sb: RunningSandbox, http: Record<string, unknown>): Promise<() => Promise<void>> {
  await api.credentials.set(name, sb.credentials);
  const restore = await withSettings({ ...http, [Settings.environments]: { [name]: environmentAt(base) }, [Settings.activeEnvironment]: name });
  await eventually(() => api.clients.environment().name === name, `${name} is active`);
  return async () => {
    await restore();
    await api.credentials.delete(name);
  };
}

/** Waits until views reloading in the background stop calling the sandbox (so a count taken now is exact). */
async function quiet(sb: RunningSandbox): Promise<void> {
  let last = -1;
  while (sb.state.calls().length !== last) {
    last = sb.state.calls().length;
    await new Promise((r) => setTimeout(r, 400));
  }
}

/** The message a command shows for its failure, as the user sees it. */
async function errorShownBy(command: string, args: unknown): Promise<string> {
  const shown: string[] = [];
  await stubWindow('showErrorMessage', (async (m: string) => void shown.push(m)), async () => vscode.commands.executeCommand(command, args));
  assert.equal(shown.length, 1, `one error message, got: ${shown.join(' | ')}`);
  return shown[0];
}

describe("network: VS Code's proxy settings and the OS certificates", function () {
  this.timeout(120000);
  let setup: NetSetup;
  let api: ExtensionApi;
  let sb: RunningSandbox;
  before(async () => {
    setup = await loadNetSetup();
    api = await activateExtension();
    sb = await startSandbox({ patients: 2, hostname: setup.proxiedHost });
  });
  after(() => sb?.close());

  describe('through a proxy that wants a login (http.proxy, http.proxyAuthorization, http.noProxy)', () => {
    let proxy: ForwardingProxy;
    let restore: () => Promise<void>;
    // a sandbox of its own: its logo URLs were never asked for by another test (logos are cached)
    let sb: RunningSandbox;
    before(async () => {
      sb = await startSandbox({ patients: 2, hostname: setup.proxiedHost });
      proxy = await startForwardingProxy({}, { requireAuth: LOGIN });
      restore = await useEnvironment(api, 'Network test (proxied)', sb.url, sb, { 'http.proxy': proxy.url, 'http.proxyAuthorization': LOGIN, 'http.noProxy': [] });
    });
    after(async () => {
      await restore?.();
      await proxy?.close();
      await sb?.close();
    });

    it('sends every call, a logo and a bulk export through the proxy, with the login from http.proxyAuthorization', async () => {
      await quiet(sb);
      const served = sb.state.calls().length;
      const passed = proxy.seen.length;
      const client = api.clients.get();
      const users = await client.users.listUsers();
      assert.ok(users.length > 0);
      assert.ok((await client.connect.listHealthSystems()).length > 0);
      const tokens = await client.tokenManager({ oneupUserId: users[0].oneupUserId }).accessToken();
      assert.ok(tokens);
      // a health system's logo, fetched for its tree icon through the same client
      api.trees.healthSystems.setFilter({});
      const systems = await childrenOf(api.trees.healthSystems, undefined, 'system');
      assert.ok(systems.length > 0, 'the Health Systems view lists systems');
      const icon = (await treeItem(api.trees.healthSystems, systems[0])).iconPath;
      assert.ok(icon instanceof vscode.Uri && icon.fsPath.startsWith(api.context.globalStorageUri.fsPath), `the logo was saved: ${JSON.stringify(icon)}`);
      const folder = await vscode.commands.executeCommand<string>(Commands.bulkExport, { scope: 'app', version: 'r4', types: ['Patient'], since: '' });
      assert.ok(folder && fs.existsSync(path.join(folder, 'summary.json')), 'the export finished');
      assert.ok(fs.readdirSync(folder).some((f) => f.startsWith('Patient') && f.endsWith('.ndjson')));

      const atSandbox = sb.state.calls().slice(served).map((c) => `${c.method} ${c.path.split('?')[0]}`).sort();
      const atProxy = proxy.seen.slice(passed).map((s) => `${s.method} ${new URL(s.target).pathname}`).sort();
      assert.deepEqual(atProxy, atSandbox, 'every request the sandbox served came through the proxy');
      for (const needed of ['POST /fhir/oauth2/token', 'GET /user-management/v1/user', 'GET /connect/system/clinical', 'GET /bulk-data/r4/$export']) {
        assert.ok(atProxy.includes(needed), `${needed} went through the proxy: ${atProxy.join(', ')}`);
      }
      // production-shaped file URLs: {bulk}/r4/$export/{Type}/{signed token}.ndjson
      assert.ok(atProxy.some((t) => t.startsWith('GET /bulk-data/r4/$export/Patient/')), 'the export files were downloaded through the proxy');
      // the logo may have been fetched as soon as the view showed the systems: look since the proxy started
      assert.ok(proxy.seen.some((s) => s.method === 'GET' && new URL(s.target).pathname.startsWith('/connect/logos/')), 'the logo came through the proxy');
      assert.ok(proxy.seen.slice(passed).every((s) => s.headers['proxy-authorization'] === LOGIN), 'each request carried the login');
      const log = api.logger.recent().join('\n');
      assert.match(log, new RegExp(`requests to ${sb.url.replace(/\./g, '\\.')} go through the proxy ${proxy.url.replace(/\./g, '\\.')} \\(from VS Code's proxy settings\\)`));
      assert.ok(!log.includes(LOGIN.slice(6)), 'the login is not logged');
    });

    it('goes straight to a host listed in http.noProxy', async () => {
      const undo = await withSettings({ 'http.noProxy': [setup.proxiedHost] });
      try {
        const served = sb.state.calls().length;
        const passed = proxy.seen.length;
        assert.ok((await api.clients.get().users.listUsers()).length > 0);
        assert.ok(sb.state.calls().length > served, 'the sandbox answered');
        assert.deepEqual(proxy.seen.slice(passed), [], 'nothing went through the proxy');
      } finally {
        await undo();
      }
    });
  });

  it('asks once for the login of a proxy that answers 407, keeps it in SecretStorage, and honours http.proxySupport: off', async () => {
    const proxy = await startForwardingProxy({}, { requireAuth: LOGIN });
    // an https origin on the alias (its certificate from the OS-trusted CA): reached with a CONNECT tunnel
    const front = await startTlsFront(`http://127.0.0.1:${new URL(sb.url).port}`, setup.serverCert, setup.serverKey, setup.proxiedHost);
    const key = SecretKeys.proxyLogin(new URL(proxy.url).host);
    const prompts: { password?: boolean; title?: string }[] = [];
    const answers = ['corp-user', 'pr0xy-pa55word'];
    let restore: () => Promise<void> = async () => undefined;
    try {
      // answered from the environment switch on: views reloading in the background may ask first
      await stubWindow('showInputBox', (async (o: { password?: boolean; title?: string }) => (prompts.push(o), answers.shift())), async () => {
        restore = await useEnvironment(api, 'Network test (proxy login)', front.url, sb, { 'http.proxy': proxy.url, 'http.proxyAuthorization': null, 'http.noProxy': [] });
        assert.ok((await api.clients.get().users.listUsers()).length > 0);
      });
      assert.equal(prompts.length, 2, 'user name and password were asked once');
      assert.equal(prompts[1].password, true, 'the password box hides what is typed');
      assert.match(String(prompts[0].title), new RegExp(`Proxy login for ${new URL(proxy.url).host.replace(/\./g, '\\.')} \\(corp\\)`));
      assert.deepEqual(JSON.parse(String(await api.context.secrets.get(key))), { user: 'corp-user', password: 'pr0xy-pa55word' });
      // refused without a login, let through with it (views and their logos may load in the background too)
      const sent = proxy.seen.map((s) => `${s.kind} ${s.headers['proxy-authorization'] ?? 'none'}`);
      assert.equal(sent[0], 'connect none');
      assert.ok(sent.includes(`connect ${LOGIN}`) && sent.every((t) => t.endsWith(' none') || t.endsWith(LOGIN)), sent.join('\n'));
      assert.ok(!api.logger.recent().join('\n').includes('pr0xy-pa55word'), 'the password is not logged');

      // a new client (settings changed) finds the kept login without asking
      const undo = await withSettings({ [Settings.requestTimeoutSeconds]: 29 });
      try {
        const shown: string[] = [];
        await stubWindow('showInputBox', (async () => void shown.push('prompt')), async () => {
          assert.ok((await api.clients.get().connect.listHealthSystems()).length > 0);
        });
        assert.deepEqual(shown, []);
      } finally {
        await undo();
      }

      proxy.seen.length = 0;
      const off = await withSettings({ 'http.proxySupport': 'off' });
      try {
        const client = api.clients.get();
        assert.ok((await client.users.listUsers()).length > 0);
        // a logo asked for now, marked so it cannot be mistaken for one a view started before the switch
        const logo = `${sb.url}/connect/logos/4706.svg?after-switch=1`;
        await client.transport.getPublic(logo, { accept: 'image/svg+xml', maxBytes: 256 * 1024 });
        const after = proxy.seen.filter((s) => !(s.kind === 'forward' && /\/connect\/logos\/\d+\.svg$/.test(String(s.target))));
        assert.deepEqual(after, [], 'http.proxySupport: off sends nothing through the proxy');
      } finally {
        await off();
      }
    } finally {
      await api.context.secrets.delete(key);
      await restore();
      await front.close();
      await proxy.close();
    }
  });

  describe('certificates', () => {
    it('trusts a server whose CA is only in the OS trust store, with no extension setting (and not with http.systemCertificates off)', async () => {
      const front = await startTlsFront(`http://127.0.0.1:${new URL(sb.url).port}`, setup.serverCert, setup.serverKey);
      const restore = await useEnvironment(api, 'Network test (OS CA)', front.url, sb, { 'http.proxy': '' });
      try {
        const client = api.clients.get();
        assert.ok((await client.users.listUsers()).length > 0);
        assert.ok((await client.connect.listHealthSystems()).length > 0);
        assert.ok(front.hits >= 2, 'the calls went to the HTTPS server');
        const undo = await withSettings({ 'http.systemCertificates': false });
        try {
          const message = await errorShownBy(Commands.listUsers, { reveal: false });
          assert.match(message, new RegExp(`The TLS certificate of ${new URL(front.url).host} was not accepted`));
        } finally {
          await undo();
        }
      } finally {
        await restore();
        await front.close();
      }
    });

    it('accepts an untrusted certificate with http.proxyStrictSSL: false, and names the host and the setting with true', async () => {
      const front = await startTlsFront(`http://127.0.0.1:${new URL(sb.url).port}`, setup.untrustedCert, setup.untrustedKey);
      const restore = await useEnvironment(api, 'Network test (untrusted)', front.url, sb, { 'http.proxy': '', 'http.proxyStrictSSL': false });
      try {
        assert.ok((await api.clients.get().users.listUsers()).length > 0, 'accepted without strict SSL');
        const undo = await withSettings({ 'http.proxyStrictSSL': true });
        try {
          const message = await errorShownBy(Commands.listUsers, { reveal: false });
          assert.match(message, new RegExp(`The TLS certificate of ${new URL(front.url).host} was not accepted`));
          assert.match(message, /[`“]http\.proxyStrictSSL[`”]/);
        } finally {
          await undo();
        }
      } finally {
        await restore();
        await front.close();
      }
    });
  });
});
