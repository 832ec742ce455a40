import * as assert from 'node:assert/strict';
import { asUser } from '../../../src/core/api';
import { type SandboxRig, startRig } from './sandbox';

describe('connect against the sandbox', () => {
  let rig: SandboxRig;
  before(async () => {
    rig = await startRig();
  });
  after(() => rig.close());

  it('listHealthSystems lists systems and filters them by name', async () => {
    const all = await rig.client.connect.listHealthSystems();
    assert.ok(all.length > 1);
    for (const s of all) assert.ok(s.id && s.name, JSON.stringify(s));
    const word = all[0].name.split(/\s+/)[0];
    const named = await rig.client.connect.listHealthSystems({ name: word });
    assert.ok(named.length >= 1 && named.length <= all.length);
    for (const s of named) assert.match(s.name.toLowerCase(), new RegExp(word.toLowerCase().replace(/[^a-z0-9]/g, '.')));
    const only = await rig.client.connect.listHealthSystems({ healthSystemsOnly: true });
    assert.ok(only.length >= 1 && only.length <= all.length);
  });

  it('searchProviders answers Organizations with the 1up system id and logo pulled out', async () => {
    const tm = rig.client.tokenManager('demo-user-1');
    const systems = await rig.client.connect.listHealthSystems();
    const { bundle, providers } = await rig.client.connect.searchProviders(systems[0].name, asUser(tm));
    assert.equal(bundle.resourceType, 'Bundle');
    assert.ok(providers.length >= 1);
    const hit = providers.find((p) => p.systemId === systems[0].id);
    assert.ok(hit, JSON.stringify(providers.map((p) => [p.systemId, p.name])));
    assert.ok(hit.logo, 'logo');
  });

  it('the Connect page and a system\'s sign-in page load from the URLs the client builds', async () => {
    const tm = rig.client.tokenManager('demo-user-1');
    const token = await tm.accessToken();
    const html = await rig.client.connect.fetchConnectPage({ clientId: rig.sb.credentials.clientId, accessToken: token });
    assert.match(html, /<html/i);
    const market = await rig.client.connect.fetchConnectPage({ clientId: rig.sb.credentials.clientId, accessToken: token, marketplace: true });
    assert.match(market, /<html/i);
    const [system] = await rig.client.connect.listHealthSystems();
    const url = await rig.client.connect.systemConnectUrl(system.id, token);
    assert.equal(new URL(url).searchParams.get('client_id'), rig.sb.credentials.clientId);
    const page = await rig.client.transport.requestText({ method: 'GET', url, accept: 'text/html' });
    assert.match(page.text, /Authori[sz]e/);
  });
});
