import * as assert from 'node:assert/strict';
import { webviewDeps } from '../../src/commands/webviewDeps';
import { SANDBOX_ENVIRONMENT_NAME, type Environment } from '../../src/core/environments';
import type { ExtensionApi } from '../../src/extension';
import { ConnectPanel } from '../../src/webviews/connectPage';
import type { WebviewDeps } from '../../src/webviews/deps';
import { activateExtension, startSandbox, stopSandbox } from './helpers';

const ORIGIN = 'http://127.0.0.1:9';

/** A Connect page over fake API callbacks: the user's resource counts grow once `connected` is set. */
function connectPage(api: ExtensionApi, environment: string, oneupUserId: string) {
  const state = { connected: false };
  const deps = {
    connectInfo: async () => ({
      connectPageUrl: `${ORIGIN}/connect/marketplace`,
      systemConnectUrl: async (id: string) => `${ORIGIN}/connect/system/clinical/${id}`,
      environmentOrigin: ORIGIN,
      isSandbox: true,
    }),
    listHealthSystems: async () => [{ id: '4706', name: 'Mercy General Hospital' }],
    refreshUserData: async () => (state.connected ? { Observation: 2, Condition: 3 } : { Observation: 2 }),
  } as unknown as WebviewDeps;
  const panel = new ConnectPanel(api, deps, { oneupUserId, appUserId: oneupUserId }, { name: environment } as Environment);
  // what the page's "Check for New Data" button sends
  const checkForData = () => (panel as unknown as { onMessage(m: unknown): Promise<void> }).onMessage({ type: 'checkForData' });
  return { panel, state, checkForData };
}

describe('Connected systems of a user', function () {
  this.timeout(60000);
  let api: ExtensionApi;
  const environment = 'it-connect';

  before(async () => {
    api = await activateExtension();
  });
  after(() => api.memory.forgetEnvironment(environment));

  it('are remembered only once a connect brought data, with the health system\'s name', async () => {
    const user = 'it-connect-user-1';
    const { panel, state, checkForData } = connectPage(api, environment, user);
    try {
      await panel.connectSystem('4706');
      assert.deepEqual(api.memory.get(environment, user).systems, [], 'opening the login is not a connect');
      await checkForData();
      assert.deepEqual(api.memory.get(environment, user).systems, [], 'no new data: not connected (yet)');
      state.connected = true;
      await checkForData();
      assert.deepEqual(api.memory.get(environment, user).systems, [{ id: '4706', name: 'Mercy General Hospital' }]);
    } finally {
      panel.dispose();
    }
  });

  it('a system listed under its id gets its real name after a connect', async () => {
    const user = 'it-connect-user-2';
    await api.memory.addSystem(environment, user, { id: '4706', name: 'System 4706' });
    const { panel, state, checkForData } = connectPage(api, environment, user);
    try {
      await panel.connectSystem('4706', 'Mercy General Hospital');
      await checkForData();
      state.connected = true;
      await checkForData();
      assert.deepEqual(api.memory.get(environment, user).systems, [{ id: '4706', name: 'Mercy General Hospital' }]);
    } finally {
      panel.dispose();
    }
  });

  it('a health system\'s login address is the API client\'s, and building it connects nothing', async () => {
    const { api: running, url } = await startSandbox({ patients: 1 });
    try {
      const user = running.sandbox.state!.users()[0];
      const system = String(running.sandbox.state!.healthSystems()[0].id);
      const before = running.memory.get(SANDBOX_ENVIRONMENT_NAME, user.oneupUserId).systems;
      const info = await webviewDeps(running).connectInfo({ oneupUserId: user.oneupUserId, appUserId: user.appUserId }, new AbortController().signal);
      const address = await info.systemConnectUrl(system);
      const token = await running.clients.get().tokenManager({ oneupUserId: user.oneupUserId }).accessToken();
      assert.equal(address, await running.clients.get().connect.systemConnectUrl(system, token));
      assert.ok(address.startsWith(`${url}/connect/system/clinical/${system}?`), address);
      assert.deepEqual(running.memory.get(SANDBOX_ENVIRONMENT_NAME, user.oneupUserId).systems, before, 'not listed under "Connected systems" before a connect brought data');
    } finally {
      await stopSandbox();
    }
  });
});
