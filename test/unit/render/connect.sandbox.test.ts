import * as assert from 'node:assert/strict';
import type { Browser } from 'playwright-core';
import { toHealthSystems, withShowableLogos } from '../../../src/core/render/healthSystems';
import { countChanges } from '../../../src/core/render/newData';
import type { RunningSandbox } from '../../../src/core/sandbox';
import { startSandbox } from '../../../src/core/sandbox';
import type { HealthSystemSummary } from '../../../src/core/webviewProtocol/common';
import { buildClients, launchChromium, openWebview, Server, startWebviewServer } from './browser/harness';

async function form(url: string, body: Record<string, string>): Promise<Record<string, unknown>> {
  const r = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams(body) });
  assert.equal(r.status, 200, `${url}: ${r.status}`);
  return (await r.json()) as Record<string, unknown>;
}

describe('Connect flow against the local sandbox, inside the webview frame', function () {
  this.timeout(60_000);
  let sandbox: RunningSandbox;
  let server: Server;
  let browser: Browser;
  let token: string;
  let oneupUserId: string;
  let systems: HealthSystemSummary[];

  before(async () => {
    sandbox = await startSandbox({ patients: 0 });
    const { clientId, clientSecret } = sandbox.credentials;
    const code = await form(`${sandbox.url}/user-management/v1/user/auth-code`, { app_user_id: 'demo-user-1', client_id: clientId, client_secret: clientSecret });
    oneupUserId = String(code.oneup_user_id);
    const tokens = await form(`${sandbox.url}/fhir/oauth2/token`, { grant_type: 'authorization_code', code: String(code.code), client_id: clientId, client_secret: clientSecret });
    token = String(tokens.access_token);
    systems = toHealthSystems(await (await fetch(`${sandbox.url}/connect/system/clinical`)).json());
    server = await startWebviewServer(await buildClients());
    browser = await launchChromium();
  });

  after(async () => {
    await browser?.close();
    await server?.close();
    await sandbox?.close();
  });

  it('reads the sandbox\'s system list and provider search into the same health systems', async () => {
    assert.ok(systems.length > 3);
    assert.ok(systems.every((s) => /^\d+$/.test(s.id) && s.name && s.logoUrl?.startsWith(`${sandbox.url}/`)));
    assert.deepEqual(withShowableLogos(systems, sandbox.url), systems, 'logos on the environment\'s origin are kept');
    const word = systems[0].name.split(/\s+/)[0];
    const r = await fetch(`${sandbox.url}/connect/system/provider/search?q=${encodeURIComponent(word)}`, { headers: { authorization: `Bearer ${token}` } });
    const found = toHealthSystems(await r.json());
    assert.ok(found.some((s) => s.id === systems[0].id && s.name === systems[0].name), 'the provider search names the same system id');
    assert.ok(found.every((s) => systems.some((x) => x.id === s.id) && s.status && s.logoUrl));
  });

  it('lists the health systems once, with one search box; a system\'s login opens in the frame and authorizes there', async () => {
    const { clientId } = sandbox.credentials;
    const w = await openWebview(browser, server, 'connect', { query: { frame: sandbox.url, img: sandbox.url } });
    try {
      await w.post({ type: 'connect', view: { user: { oneupUserId, appUserId: 'demo-user-1' }, environment: 'Local Sandbox', frameUrl: `${sandbox.url}/connect/marketplace?client_id=${clientId}&access_token=${token}`, isSandbox: true } });
      await w.post({ type: 'systems', systems });
      // one list and one search box: no second list inside a framed Connect page
      assert.equal(await w.page.locator('input[type=search]').count(), 1);
      assert.ok(await w.page.locator('.frame-pane').isHidden(), 'no frame until a sign-in page is opened');
      assert.equal(await w.page.locator('button.hs-connect').count(), systems.length);
      const word = systems[1].name.split(/\s+/).slice(0, 2).join(' ');
      await w.page.fill('input[type=search]', word);
      await w.page.locator('.search-row .count', { hasText: ` of ${systems.length}` }).waitFor();
      const names = await w.page.locator('.hs-name').allTextContents();
      assert.ok(names.length >= 1 && names.every((n) => n.toLowerCase().includes(word.split(' ')[0].toLowerCase())), `the search narrows the list: ${names.join(', ')}`);
      // "Connect…": the host answers with the system's login address, shown in the frame
      await w.page.locator('button.hs-connect').first().click();
      const asked = (await w.sent()).filter((m) => m.type === 'connectSystem').pop() as unknown as { systemId: string };
      const system = systems.find((x) => x.id === asked.systemId);
      assert.ok(system, 'a listed system was asked for');
      await w.post({ type: 'navigate', url: `${sandbox.url}/connect/system/clinical/${system.id}?client_id=${clientId}&access_token=${token}` });
      const frame = w.page.frameLocator('iframe.connect-frame');
      // the frame asks for the (dark) workbench theme's color scheme: browsers that pass it on
      // (the CSS spec says so; Chromium 156 does not yet) show the sign-in page dark
      await frame.getByRole('button', { name: 'Authorize' }).waitFor();
      const style = await w.page.locator('iframe.connect-frame').evaluate((f) => {
        const css = (globalThis as unknown as { getComputedStyle(e: unknown): { colorScheme: string; filter: string } }).getComputedStyle(f);
        return { colorScheme: css.colorScheme, filter: css.filter };
      });
      assert.equal(style.colorScheme, 'dark');
      // this browser prefers light, so the sandbox's page renders light: it is shown inverted
      assert.match(style.filter, /invert/);
      await frame.getByRole('button', { name: 'Authorize' }).click();
      await frame.getByRole('heading', { name: 'Connected' }).waitFor();
      const connected = sandbox.state.connectedSystems(oneupUserId).map((c) => String(c.id));
      assert.ok(connected.includes(system.id), `connected: ${connected.join(', ')}`);
      const logoWidth = await w.page.locator('img.hs-logo').first().evaluate((img) => (img as unknown as { naturalWidth: number }).naturalWidth);
      assert.ok(logoWidth > 0, 'logos from the environment\'s origin load');
      const blocked = (await w.violations()).filter((v) => v.startsWith('frame-src') || v.startsWith('img-src'));
      assert.deepEqual(blocked, [], 'the CSP let the sandbox\'s pages and logos through');
    } finally {
      await w.close();
    }
  });

  it('says what "Check for New Data" found per type: the parts add up to the new total', async () => {
    const w = await openWebview(browser, server, 'connect', { query: { frame: sandbox.url } });
    try {
      const before = { Observation: 52, Organization: 52, Practitioner: 52, Condition: 3 };
      const after = { Observation: 92, Organization: 52, Practitioner: 52, Condition: 6, Encounter: 23 };
      const { added, changes } = countChanges(before, after);
      await w.post({ type: 'counts', counts: after, added, changes });
      // a posted message is handled on the page's own turn
      await w.page.locator('.counts-line', { hasText: 'new resources' }).waitFor();
      const text = await w.page.locator('.counts-line').textContent() ?? '';
      assert.equal(text, '66 new resources: Observation +40 · Encounter +23 · Condition +3.');
      assert.doesNotMatch(text, /Organization|Practitioner/, 'unchanged totals are not listed as new');
      await w.post({ type: 'counts', counts: after, added: 0, changes: [] });
      await w.page.locator('.counts-line', { hasText: 'No new resources yet.' }).waitFor();
      assert.equal(await w.page.locator('.counts-line').textContent(), 'No new resources yet.');
    } finally {
      await w.close();
    }
  });
});
