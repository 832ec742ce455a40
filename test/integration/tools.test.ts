import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { Commands, Settings } from '../../src/constants';
import { SANDBOX_ENVIRONMENT_NAME } from '../../src/core/environments';
import type { Resource } from '../../src/core/fhir/types';
import { ToolNames } from '../../src/core/tools/catalog';
import type { ExtensionApi } from '../../src/extension';
import { eventually, startSandbox, stopSandbox } from './helpers';

/** Every answer any test got, checked for secrets at the end. */
const answers: string[] = [];

/** Calls a tool the way chat and agent mode do (VS Code runs prepareInvocation, the confirmation, then invoke). */
async function invoke(name: string, input: object): Promise<string> {
  const result = await vscode.lm.invokeTool(name, { input, toolInvocationToken: undefined });
  const text = result.content.map((p) => (p instanceof vscode.LanguageModelTextPart ? p.value : '')).join('');
  answers.push(text);
  return text;
}

/** The line of a numbered search result: `3. Observation/abc · …` → `Observation/abc`. */
const resultIds = (text: string) => [...text.matchAll(/^\d+\. (\w+\/[\w\-.]+)/gm)].map((m) => m[1]);

describe('language model tools (vscode.lm.invokeTool, Local Sandbox)', function () {
  this.timeout(180000);
  let api: ExtensionApi;
  let sandboxUrl: string;

  before(async () => {
    ({ api, url: sandboxUrl } = await startSandbox({ patients: 3 }));
  });
  after(async () => {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    await stopSandbox();
  });

  it('registers every tool of package.json with VS Code, with its input schema', async () => {
    const pkg = JSON.parse(fs.readFileSync(path.join(api.context.extensionPath, 'package.json'), 'utf8'));
    const declared: string[] = pkg.contributes.languageModelTools.map((t: { name: string }) => t.name);
    assert.deepEqual([...declared].sort(), Object.values(ToolNames).sort());
    for (const name of declared) {
      const info = vscode.lm.tools.find((t) => t.name === name);
      assert.ok(info, `${name} is registered`);
      assert.ok(info.description.length > 80, `${name} tells the model when to use it`);
      assert.equal((info.inputSchema as { type?: string } | undefined)?.type, 'object', `${name} has an input schema`);
    }
  });

  it('oneup_listUsers lists the app users a page at a time and says how to get the rest', async () => {
    const first = await invoke(ToolNames.listUsers, { limit: 4 });
    const total = api.sandbox.state!.users().length;
    assert.match(first, new RegExp(`App users in “Local Sandbox”: ${total}; showing 1–4`));
    assert.match(first, /demo-user-1 · oneup_user_id \S+ · active/);
    assert.match(first, new RegExp(`More available: ${total - 4} more\\. Call oneup_listUsers with \\{"offset":4\\}`));
    const second = await invoke(ToolNames.listUsers, { limit: 4, offset: 4 });
    assert.match(second, /showing 5–8/);
    const names = (t: string) => [...t.matchAll(/^- (\S+) ·/gm)].map((m) => m[1]);
    assert.equal(names(second).length, 4);
    assert.deepEqual(names(first).filter((n) => names(second).includes(n)), [], 'the second page has other users');
  });

  it('oneup_searchFhir answers a page with the total, and the next page when asked with its page id', async () => {
    const first = await invoke(ToolNames.search, { type: 'Observation', count: 3 });
    const total = Number(/Matches: (\d+);/.exec(first)?.[1]);
    assert.ok(total > 6, first);
    assert.match(first, /this page has results 1–3\./);
    const ids1 = resultIds(first);
    assert.equal(ids1.length, 3);
    assert.ok(ids1.every((id) => id.startsWith('Observation/')));
    const page = /\{"page":"(page-\d+)"\}/.exec(first)?.[1];
    assert.ok(page, `the answer names the next page: ${first}`);
    assert.match(first, new RegExp(`More available: ${total - 3} more results`));
    const second = await invoke(ToolNames.search, { page });
    assert.match(second, /this page has results 4–6\./);
    const ids2 = resultIds(second);
    assert.equal(ids2.length, 3);
    assert.deepEqual(ids1.filter((id) => ids2.includes(id)), [], 'the next page has other resources');
    assert.match(second, /Call #\d+: GET \/fhir\/r4\/Observation → 200/, 'the call is numbered for the curl tool');
  });

  it('oneup_searchFhir acts as a user, takes search parameters, and trims JSON for the model', async () => {
    const text = await invoke(ToolNames.search, { type: 'Patient', appUserId: 'demo-user-1', format: 'json' });
    assert.match(text, /as user demo-user-1 \(oneup_user_id /);
    assert.match(text, /Matches: 1;/);
    assert.match(text, /"resourceType":"Patient"/);
    assert.match(text, /The JSON above is trimmed to keep this answer short \(narrative left out/);
    assert.doesNotMatch(text, /<div/, 'no XHTML reaches the model');
    const female = await invoke(ToolNames.search, { type: 'Patient', params: { gender: 'female' }, count: 50 });
    const lines = female.split('\n').filter((l) => /^\d+\. Patient\//.test(l));
    assert.ok(lines.length > 0 && lines.every((l) => / · female · /.test(l)), female);
  });

  it('oneup_searchFhir never answers a whole large bundle: it stays within its size and says what was left out', async () => {
    const text = await invoke(ToolNames.search, { type: 'Observation', count: 50, format: 'json' });
    assert.ok(text.length < 14000, `answer of ${text.length} characters`);
    assert.match(text, /Not shown: the last \d+ entries of this page/);
    assert.match(text, /More available/);
  });

  it('oneup_readResource answers one resource as trimmed JSON', async () => {
    const id = api.sandbox.state!.users()[0].patientIds[0];
    const text = await invoke(ToolNames.read, { type: 'Patient', id });
    assert.match(text, new RegExp(`^Patient/${id} in “Local Sandbox” \\(R4\\), read as the app`));
    const json = text.split('\n').find((l) => l.startsWith('{'));
    assert.equal(JSON.parse(json!).id, id);
    assert.match(text, /"includeNarrative": true/);
    const withNarrative = await invoke(ToolNames.read, { type: 'Patient', id, includeNarrative: true });
    assert.ok(JSON.parse(withNarrative.split('\n').find((l) => l.startsWith('{'))!).text.div.length > 0);
  });

  it('oneup_patientSummary condenses $everything: demographics, counts per type, recent items', async () => {
    const user = api.sandbox.state!.users()[0];
    const text = await invoke(ToolNames.patientSummary, { oneupUserId: user.oneupUserId, recent: 5 });
    assert.match(text, new RegExp(`^Patient summary of Patient/${user.patientIds[0]} in “Local Sandbox”`));
    assert.match(text, /Demographics: .+ · (male|female|other|unknown) · born \d{4}-\d{2}-\d{2}/);
    const counts = /Resources: (\d+) in the record — (.+)\./.exec(text);
    assert.ok(counts, text);
    assert.match(counts[2], /Observation \d+/);
    assert.match(text, /Most recent 5 of \d+ dated items:/);
    assert.equal(text.split('\n').filter((l) => /^- \d{4}-\d{2}-\d{2}/.test(l)).length, 5);
    assert.ok(text.length < 12000);
    assert.ok(!text.includes('"resourceType"'), 'a summary, not the raw bundle');
  });

  it('oneup_patientSummary reads only up to maxResources and says the counts are partial', async () => {
    const user = api.sandbox.state!.users()[0];
    const text = await invoke(ToolNames.patientSummary, { oneupUserId: user.oneupUserId, maxResources: 10 });
    assert.match(text, /of which the first \d+ were read/);
    assert.match(text, /larger "maxResources"/);
  });

  it('oneup_createUser asks for confirmation, creates the user and gets its token without answering it', async () => {
    const tool = api.tools.tools.get(ToolNames.createUser)!;
    const prepared = tool.prepareInvocation({ input: { appUserId: 'tool-user-1', getToken: true } });
    assert.ok(prepared.confirmationMessages, 'a write action is always confirmed');
    assert.match(prepared.confirmationMessages.title, /Create the app user “tool-user-1”/);
    assert.match(String((prepared.confirmationMessages.message as vscode.MarkdownString).value), /Local Sandbox/);
    const text = await invoke(ToolNames.createUser, { appUserId: 'tool-user-1', getToken: true });
    const created = api.sandbox.state!.users().find((u) => u.appUserId === 'tool-user-1');
    assert.ok(created, 'the sandbox has the user');
    assert.match(text, new RegExp(`Created the app user “tool-user-1” in “Local Sandbox”: oneup_user_id ${created.oneupUserId}`));
    assert.match(text, /valid until \d{4}-\d{2}-\d{2} \d{2}:\d{2} UTC/);
    assert.match(text, /generated patient: Patient\//);
    const state = await api.clients.get().tokenManager({ oneupUserId: created.oneupUserId }).state();
    assert.equal(state.kind, 'valid', 'the token is kept for the user');
    const again = await invoke(ToolNames.createUser, { appUserId: 'tool-user-1' });
    assert.match(again, /^Not created: the app user “tool-user-1” already exists/);
  });

  it('oneup_getAccessToken keeps a fresh token and answers only until when it is valid', async () => {
    const before = api.sandbox.state!.calls().length;
    const text = await invoke(ToolNames.getAccessToken, { appUserId: 'demo-user-2' });
    assert.match(text, /^Got an access token for “demo-user-2” \(oneup_user_id \S+\) in “Local Sandbox”: valid until/);
    const calls = api.sandbox.state!.calls().slice(before).map((c) => `${c.method} ${c.path}`);
    assert.ok(calls.some((c) => c.includes('/auth-code')) && calls.some((c) => c.includes('/oauth2/token')), calls.join(', '));
  });

  it('oneup_listHealthSystems filters and pages the systems', async () => {
    const all = await invoke(ToolNames.healthSystems, { limit: 2 });
    assert.match(all, /Health systems in “Local Sandbox”: \d+; showing 1–2\./);
    assert.match(all, /^- id \S+ · .+ · FHIR /m);
    assert.match(all, /\{"offset":2\}/);
    const next = await invoke(ToolNames.healthSystems, { limit: 2, offset: 2 });
    assert.match(next, /showing 3–4\./);
    const epic = await invoke(ToolNames.healthSystems, { name: 'epic' });
    const lines = epic.split('\n').filter((l) => l.startsWith('- id '));
    assert.ok(lines.length > 0 && lines.every((l) => /epic/i.test(l)), epic);
  });

  it('oneup_startBulkExport confirms, exports into the workspace and reports counts; oneup_bulkExportStatus follows it', async () => {
    const tool = api.tools.tools.get(ToolNames.startExport)!;
    const prepared = tool.prepareInvocation({ input: { scope: 'app', types: ['Patient'] } });
    assert.match(String(prepared.confirmationMessages?.title), /Start a bulk export of all users' data \(Patient\) into the workspace/);
    const text = await invoke(ToolNames.startExport, { scope: 'app', types: ['Patient', 'Condition'], waitSeconds: 60 });
    assert.match(text, /^Started and finished\.\nBulk export (\S+) from “Local Sandbox”: complete\./);
    const id = /Bulk export (\S+) from/.exec(text)![1];
    assert.match(text, new RegExp(`Per type: .*Patient ${api.sandbox.state!.patientCount()}`));
    const folder = /Folder: (.+)/.exec(text)![1];
    assert.ok(fs.existsSync(path.join(folder, 'summary.json')), 'the export is on disk');
    assert.ok(!text.includes('"resourceType"'), 'the exported data is not sent to the model');
    const list = await invoke(ToolNames.exportStatus, {});
    assert.match(list, new RegExp(`^- ${id} · Local Sandbox · complete · \\d+ resources in \\d+ files`, 'm'));
    const detail = await invoke(ToolNames.exportStatus, { exportId: id });
    assert.match(detail, /Scope: all users of the app, FHIR R4, types Patient,Condition/);
    assert.match(detail, /Files: Patient\./);
  });

  it('oneup_startBulkExport answers a refused kick-off as an error the model can act on', async () => {
    const text = await invoke(ToolNames.startExport, { scope: 'app', types: ['NotAType'] });
    assert.match(text, /^Error: .*Not FHIR R4 resource types: NotAType\. Fix the arguments/);
  });

  it('oneup_curlForCall turns a numbered call into curl with secrets as variables, and copies it when asked', async () => {
    const search = await invoke(ToolNames.search, { type: 'Condition', appUserId: 'demo-user-1', count: 2 });
    const n = Number(/Call #(\d+):/.exec(search)?.[1]);
    assert.ok(n > 0, search);
    const text = await invoke(ToolNames.curl, { call: n, copyToClipboard: true });
    const curl = /```sh\n([\s\S]+?)\n```/.exec(text)?.[1];
    assert.ok(curl, text);
    assert.match(curl, /^curl /);
    assert.match(curl, /\/fhir\/r4\/Condition\?/);
    assert.match(curl, /"\$ONEUP_ACCESS_TOKEN"/);
    assert.equal(await vscode.env.clipboard.readText(), curl);
    const missing = await invoke(ToolNames.curl, { call: 999999 });
    assert.match(missing, /^Error: .*There is no call #999999/);
  });

  it('answers errors as text that says what failed and what to try, without a stack', async () => {
    const unknownType = await invoke(ToolNames.search, { type: 'Observatoin' });
    assert.match(unknownType, /^Error: searching FHIR resources was not possible with these arguments: "Observatoin" is not a FHIR R4 resource type\. Fix the arguments/);
    const missing = await invoke(ToolNames.read, { type: 'Patient', id: 'no-such-patient' });
    assert.match(missing, /^Error: reading a FHIR resource failed: GET \/fhir\/r4\/Patient\/no-such-patient answered HTTP 404.*search for it first/);
    const expired = await invoke(ToolNames.search, { page: 'page-99999' });
    assert.match(expired, /The page "page-99999" is unknown or expired/);
    for (const t of [unknownType, missing, expired]) assert.doesNotMatch(t, /\n\s+at /, 'no stack');
  });

  it('masks a secret the server echoes back, as the log does (here a resource holding a token and the client secret)', async () => {
    const client = api.clients.get();
    const user = api.sandbox.state!.users()[2];
    const token = await client.tokenManager({ oneupUserId: user.oneupUserId }).accessToken();
    const { clientSecret } = (await api.credentials.get(SANDBOX_ENVIRONMENT_NAME))!;
    const created = await client.fhir('r4').create<Resource>({
      resourceType: 'Observation', status: 'final', code: { text: 'Echo' }, subject: { reference: `Patient/${user.patientIds[0]}` },
      note: [{ text: `pasted by mistake: ${token} and ${clientSecret}` }],
    });
    const text = await invoke(ToolNames.read, { type: 'Observation', id: created.id! });
    assert.match(text, /pasted by mistake: •••• and ••••/);
    assert.ok(!text.includes(token) && !text.includes(clientSecret));
    const found = await invoke(ToolNames.search, { type: 'Observation', content: 'pasted mistake', format: 'json' });
    assert.match(found, /pasted by mistake: •••• and ••••/);
  });

  it('no client secret, token or auth code appears in any answer', async () => {
    // calls of its own that issue tokens and answer data (the test also runs alone), then every
    // answer the suite collected so far is checked
    const before = answers.length;
    await invoke(ToolNames.getAccessToken, { appUserId: 'demo-user-3' });
    await invoke(ToolNames.createUser, { appUserId: 'tool-user-secrets', getToken: true });
    const search = await invoke(ToolNames.search, { type: 'Condition', appUserId: 'demo-user-3', count: 2, format: 'json' });
    await invoke(ToolNames.search, { type: 'Patient', count: 3 });
    await invoke(ToolNames.listUsers, {});
    const user = api.sandbox.state!.user('demo-user-3')!;
    await invoke(ToolNames.patientSummary, { oneupUserId: user.oneupUserId, recent: 3 });
    await invoke(ToolNames.read, { type: 'Patient', id: user.patientIds[0] });
    await invoke(ToolNames.curl, { call: Number(/Call #(\d+):/.exec(search)?.[1]) });
    assert.ok(answers.length - before >= 8, 'this test\'s own answers were collected');
    const env = SANDBOX_ENVIRONMENT_NAME;
    const secrets: string[] = [];
    const creds = await api.credentials.get(env);
    assert.ok(creds?.clientSecret);
    secrets.push(creds.clientSecret);
    const store = api.credentials.tokenStore(env);
    for (const u of api.sandbox.state!.users()) {
      const raw = await store.get(`oneup_user_id:${u.oneupUserId}`);
      if (!raw) continue;
      const set = JSON.parse(raw) as { accessToken?: string; refreshToken?: string; idToken?: string };
      secrets.push(...[set.accessToken, set.refreshToken, set.idToken].filter((x): x is string => !!x));
    }
    assert.ok(secrets.length >= 3, `tokens were issued during these tests (${secrets.length} secrets)`);
    for (const text of answers) for (const s of secrets) assert.ok(!text.includes(s), `an answer carries a secret: ${text.slice(0, 200)}`);
  });

  describe('the PHI guard outside the Local Sandbox', () => {
    const STAGING = 'Staging (tools test)';

    before(async () => {
      // an environment that is not the Local Sandbox (here served by the same sandbox, so calls can succeed)
      await vscode.workspace.getConfiguration().update(Settings.environments, {
        [STAGING]: { apiUrl: sandboxUrl, fhirUrl: `${sandboxUrl}/fhir`, tokenUrl: `${sandboxUrl}/fhir/oauth2/token`, bulkDataUrl: `${sandboxUrl}/bulk-data`, fhirVersion: 'r4' },
      }, vscode.ConfigurationTarget.Global);
      await eventually(() => api.environments.all().has(STAGING), 'the staging environment');
      const creds = await api.credentials.get(SANDBOX_ENVIRONMENT_NAME);
      await vscode.commands.executeCommand(Commands.setCredentials, { environment: STAGING, clientId: creds!.clientId, clientSecret: creds!.clientSecret });
      await vscode.commands.executeCommand(Commands.selectEnvironment, { name: STAGING });
    });
    after(async () => {
      await vscode.workspace.getConfiguration().update(Settings.toolsAllowRealPatientData, undefined, vscode.ConfigurationTarget.Global);
      await vscode.commands.executeCommand(Commands.selectEnvironment, { name: SANDBOX_ENVIRONMENT_NAME });
      await vscode.commands.executeCommand(Commands.signOut, { environment: STAGING });
      await vscode.workspace.getConfiguration().update(Settings.environments, undefined, vscode.ConfigurationTarget.Global);
    });

    it('refuses every tool that answers patient data, without sending a request, while the setting is off', async () => {
      assert.equal(vscode.workspace.getConfiguration().get(Settings.toolsAllowRealPatientData), false, 'off by default');
      // the views reload for the new environment meanwhile: what counts is what the tools sent
      const before = api.sandbox.state!.calls().length;
      const lastToolCall = api.tools.state.calls.last()?.n;
      const id = api.sandbox.state!.users()[0].patientIds[0];
      for (const [name, input] of [
        [ToolNames.search, { type: 'Patient' }], [ToolNames.read, { type: 'Patient', id }],
        [ToolNames.patientSummary, { patientId: id }], [ToolNames.listUsers, {}], [ToolNames.curl, {}],
      ] as const) {
        const text = await invoke(name, input);
        assert.match(text, /^Refused: the active 1upHealth environment “Staging \(tools test\)” .* is not the Local Sandbox/, `${name}: ${text}`);
        assert.match(text, /setting oneup\.tools\.allowRealPatientData is off\)\. Nothing was requested\./);
      }
      assert.equal(api.tools.state.calls.last()?.n, lastToolCall, 'the refused calls sent no request');
      const reached = api.sandbox.state!.calls().slice(before).map((c) => c.path).filter((p) => p.includes(`/Patient/${id}`));
      assert.deepEqual(reached, [], 'neither the read nor the summary reached the server');
      const systems = await invoke(ToolNames.healthSystems, { limit: 1 });
      assert.match(systems, /^Health systems in “Staging \(tools test\)”/, 'tools without patient data still work');
    });

    it('refuses the sandbox-only tools whatever the setting says', async () => {
      await vscode.workspace.getConfiguration().update(Settings.toolsAllowRealPatientData, true, vscode.ConfigurationTarget.Global);
      const text = await invoke(ToolNames.createUser, { appUserId: 'not-in-staging' });
      assert.match(text, /^Refused: oneup_createUser only works in the Local Sandbox/);
      assert.ok(!api.sandbox.state!.users().some((u) => u.appUserId === 'not-in-staging'));
      assert.match(await invoke(ToolNames.getAccessToken, { appUserId: 'demo-user-1' }), /^Refused: oneup_getAccessToken only works in the Local Sandbox/);
    });

    it('with the setting on, asks for each call naming the environment and what the model receives, then answers', async () => {
      await vscode.workspace.getConfiguration().update(Settings.toolsAllowRealPatientData, true, vscode.ConfigurationTarget.Global);
      const tool = api.tools.tools.get(ToolNames.search)!;
      const prepared = tool.prepareInvocation({ input: { type: 'Patient', count: 2 } });
      const message = String((prepared.confirmationMessages?.message as vscode.MarkdownString | undefined)?.value);
      assert.match(String(prepared.confirmationMessages?.title), /Send patient data from Staging \(tools test\) to the language model\?/);
      assert.match(message, /Staging \\\(tools test\\\)/, 'names the environment');
      assert.match(message, /real patient data/);
      assert.match(message, /The language model will receive: one page of matching FHIR resources/);
      const text = await invoke(ToolNames.search, { type: 'Patient', count: 2 });
      assert.match(text, /^FHIR search for Patient in “Staging \(tools test\)”/);
      assert.equal(resultIds(text).length, 2);
    });

    it('does not run a confirmed call against an environment the user did not see named', async () => {
      await vscode.workspace.getConfiguration().update(Settings.toolsAllowRealPatientData, true, vscode.ConfigurationTarget.Global);
      const tool = api.tools.tools.get(ToolNames.listUsers)!;
      const input = { limit: 1 };
      const source = new vscode.CancellationTokenSource();
      // invoke without the confirmation VS Code shows after prepareInvocation (e.g. the environment changed in between)
      const result = await tool.invoke({ input, toolInvocationToken: undefined }, source.token);
      const text = (result.content[0] as vscode.LanguageModelTextPart).value;
      answers.push(text);
      assert.match(text, /^Refused: this call needs the user's confirmation for “Staging \(tools test\)”/);
    });
  });
});
