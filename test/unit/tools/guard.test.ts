import * as assert from 'node:assert/strict';
import { TOOL_TRAITS, ToolNames, type ToolName } from '../../../src/core/tools/catalog';
import { actionOf } from '../../../src/core/tools/actions';
import { decide, type GuardContext } from '../../../src/core/tools/guard';

const sandbox: GuardContext = { environment: 'Local Sandbox', origin: 'http://127.0.0.1:4010', sandbox: true, allowRealPatientData: false };
const real: GuardContext = { environment: '1upHealth', origin: 'https://api.1up.health', sandbox: false, allowRealPatientData: false };
const allowed: GuardContext = { ...real, allowRealPatientData: true };
const all = Object.values(ToolNames) as ToolName[];
const withPatientData = all.filter((t) => TOOL_TRAITS[t].patientData);

describe('the PHI guard', () => {
  it('lets every tool run in the Local Sandbox, confirming only the write actions', () => {
    for (const t of all) {
      const d = decide(t, sandbox, 'do it');
      assert.equal(d.kind, 'allow', t);
      assert.equal(!!(d.kind === 'allow' && d.confirm), TOOL_TRAITS[t].write, `${t} confirmation`);
    }
    assert.deepEqual(all.filter((t) => TOOL_TRAITS[t].write).sort(), [ToolNames.createUser, ToolNames.startExport].sort());
  });

  it('refuses the tools that answer patient data outside the sandbox while the setting is off, naming the setting', () => {
    assert.deepEqual(withPatientData.sort(), [ToolNames.search, ToolNames.read, ToolNames.patientSummary, ToolNames.listUsers, ToolNames.curl].sort());
    for (const t of withPatientData) {
      const d = decide(t, real, 'search Patient');
      assert.equal(d.kind, 'refuse', t);
      assert.match(d.kind === 'refuse' ? d.reason : '', /^Refused: the active 1upHealth environment “1upHealth” \(https:\/\/api\.1up\.health\) is not the Local Sandbox.*oneup\.tools\.allowRealPatientData is off/);
    }
  });

  it('with the setting on, confirms each patient-data call, naming the environment and what the model receives', () => {
    const d = decide(ToolNames.patientSummary, allowed, 'summarize the record of Patient/p1');
    assert.equal(d.kind, 'allow');
    const c = d.kind === 'allow' ? d.confirm : undefined;
    assert.ok(c);
    assert.equal(c.title, 'Send patient data from 1upHealth to the language model?');
    assert.match(c.message, /^Summarize the record of Patient\\\/p1 in the 1upHealth environment \*\*1upHealth\*\*/, "the action as escaped Markdown text (renders as Patient/p1)");
    assert.match(c.message, /real patient data/);
    assert.match(c.message, new RegExp(`The language model will receive: ${TOOL_TRAITS[ToolNames.patientSummary].sends.slice(0, 40)}`));
  });

  it('refuses the sandbox-only tools anywhere else, whatever the setting', () => {
    for (const t of [ToolNames.createUser, ToolNames.getAccessToken]) {
      for (const ctx of [real, allowed]) {
        const d = decide(t, ctx, 'x');
        assert.equal(d.kind, 'refuse', t);
        assert.match(d.kind === 'refuse' ? d.reason : '', new RegExp(`^Refused: ${t} only works in the Local Sandbox`));
      }
    }
  });

  it('always confirms a bulk export, and lets the tools without patient data run unconfirmed elsewhere', () => {
    const d = decide(ToolNames.startExport, real, 'start a bulk export of all users\' data into the workspace');
    assert.ok(d.kind === 'allow' && d.confirm);
    assert.match(d.confirm.message, /exported data stays on disk/);
    for (const t of [ToolNames.healthSystems, ToolNames.exportStatus]) assert.deepEqual(decide(t, real, 'x'), { kind: 'allow' });
  });

  it('escapes an environment name in the confirmation (names come from settings a workspace may write)', () => {
    const d = decide(ToolNames.search, { ...allowed, environment: 'Prod](https://evil.example/x.png)' }, 'search Patient');
    assert.ok(d.kind === 'allow' && d.confirm);
    assert.doesNotMatch(d.confirm.message, /\]\(https:/);
  });

  it('shows what the model asked for as text: its values cannot put a link or an image into the confirmation', async () => {
    const { marked } = await import('marked');
    const hostile = { appUserId: 'x ![p](https://evil.example/p.png) [click](https://evil.example/) <img src=x> **bold**', getToken: true };
    for (const [tool, ctx] of [[ToolNames.createUser, sandbox], [ToolNames.search, allowed]] as const) {
      const d = decide(tool, ctx, actionOf(tool, { ...hostile, type: 'Patient' }));
      assert.ok(d.kind === 'allow' && d.confirm, `${tool} asks first`);
      const html = await marked.parse(d.confirm.message);
      assert.doesNotMatch(html, /<img|<a |<strong>bold/, `${tool}: ${html}`);
      assert.match(html, /evil\.example\/p\.png/, 'the value is still shown, as text');
    }
  });
});

describe('what a call will do, in words (progress and confirmation)', () => {
  it('names the type, parameters, user and scope from the input, and never throws on a bad one', () => {
    assert.equal(actionOf(ToolNames.search, { type: 'Observation', content: 'glucose', params: { date: 'ge2020' }, appUserId: 'demo-user-1' }),
      'search Observation (_content=glucose&date=ge2020) as user demo-user-1');
    assert.equal(actionOf(ToolNames.search, { type: 'Patient' }), 'search Patient as the app (all users)');
    assert.equal(actionOf(ToolNames.search, { page: 'page-4' }), 'fetch the next page of a search (page-4)');
    assert.equal(actionOf(ToolNames.createUser, { appUserId: 'qa-1', getToken: true }), 'create the app user “qa-1” and get its access token');
    assert.equal(actionOf(ToolNames.startExport, { oneupUserId: '42', types: ['Patient'] }), 'start a bulk export of the data of oneup_user_id 42 (Patient) into the workspace');
    assert.equal(actionOf(ToolNames.startExport, {}), "start a bulk export of all users' data into the workspace");
    assert.equal(actionOf(ToolNames.read, 'not an object'), 'read a FHIR resource');
    assert.equal(actionOf(ToolNames.read, { type: 'Patient', id: 'p1', oneupUserId: '7' }), 'read Patient/p1 as oneup_user_id 7');
  });
});
