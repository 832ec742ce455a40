import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { Commands, Settings, Views } from '../../src/constants';
import { TOOL_TRAITS, ToolNames } from '../../src/core/tools/catalog';

const root = path.resolve(__dirname, '..', '..', '..');
const pkg = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8'));

const sorted = (xs: Iterable<string>) => [...xs].sort();

describe('constants.ts and package.json agree', () => {
  it('on command ids, both ways', () => {
    const declared = pkg.contributes.commands.map((c: { command: string }) => c.command);
    assert.deepEqual(sorted(declared), sorted(Object.values(Commands)));
  });

  it('on view ids and the container, both ways', () => {
    const views = Object.values(pkg.contributes.views).flat().map((v) => (v as { id: string }).id);
    const { container, ...ids } = Views;
    assert.deepEqual(sorted(views), sorted(Object.values(ids)));
    assert.deepEqual(pkg.contributes.viewsContainers.activitybar.map((c: { id: string }) => c.id), [container]);
  });

  it('on setting ids, both ways', () => {
    const { section, ...ids } = Settings;
    const declared = Object.keys(pkg.contributes.configuration.properties);
    assert.deepEqual(sorted(declared), sorted(Object.values(ids)));
    assert.ok(declared.every((k) => k.startsWith(`${section}.`)));
  });

  it('on language-model tools, both ways, each complete enough for VS Code to register it and a model to choose it', () => {
    const tools: Record<string, unknown>[] = pkg.contributes.languageModelTools;
    assert.deepEqual(sorted(tools.map((t) => String(t.name))), sorted(Object.values(ToolNames)));
    const refs = new Set<string>();
    for (const t of tools) {
      const name = String(t.name);
      // what VS Code 1.139's languageModelTools handler refuses
      assert.match(name, /^(?!copilot_|vscode_)[\w-]+$/);
      assert.ok(t.displayName && t.userDescription, name);
      assert.ok(String(t.modelDescription).length > 200, `${name}: the model description says when to use it`);
      assert.equal(t.canBeReferencedInPrompt, true, name);
      assert.match(String(t.toolReferenceName), /^[\w-]+$/, name);
      assert.ok(!refs.has(String(t.toolReferenceName)), `${name}: toolReferenceName is unique`);
      refs.add(String(t.toolReferenceName));
      assert.equal((t.inputSchema as { type?: string }).type, 'object', name);
      assert.match(String(t.icon), /^\$\([a-z-]+\)$/, name);
      const traits = TOOL_TRAITS[name as keyof typeof TOOL_TRAITS];
      if (traits.patientData) assert.match(String(t.modelDescription), /Outside the Local Sandbox .* refused unless the user allowed real patient data/, name);
      if (traits.sandboxOnly) assert.match(String(t.modelDescription), /Local Sandbox only/, name);
    }
    // VS Code 1.138/1.139 accept contributes.languageModelToolSets only from extensions with the
    // contribLanguageModelToolSets API proposal; VS Code groups an extension's tools without it
    assert.equal(pkg.contributes.languageModelToolSets, undefined);
    assert.equal(pkg.enabledApiProposals, undefined, 'finalized APIs only');
  });

  it('the setting that lets tools send real patient data is off, machine-wide and says why it is dangerous', () => {
    const setting = pkg.contributes.configuration.properties[Settings.toolsAllowRealPatientData];
    assert.equal(setting.default, false);
    assert.equal(setting.scope, 'machine', 'a workspace must not be able to turn it on');
    assert.match(setting.markdownDescription, /real patient data/);
    assert.match(setting.markdownDescription, /asks you first/);
  });

  it('every command has the 1upHealth category and a codicon', () => {
    for (const c of pkg.contributes.commands) {
      assert.equal(c.category, '1upHealth', c.command);
      assert.match(String(c.icon), /^\$\([a-z-]+\)$/, c.command);
    }
  });

  it('menus and welcome links only name declared commands', () => {
    const declared = new Set(Object.values(Commands) as string[]);
    const inMenus = Object.values(pkg.contributes.menus).flat().map((m) => (m as { command?: string }).command).filter(Boolean) as string[];
    const inWelcome = pkg.contributes.viewsWelcome.flatMap((w: { contents: string }) => [...w.contents.matchAll(/\(command:([\w.]+)/g)].map((m) => m[1]));
    for (const id of [...inMenus, ...inWelcome]) assert.ok(declared.has(id), `${id} is not a declared command`);
  });

  it('activates only on its own views and commands (no "*")', () => {
    assert.ok(!(pkg.activationEvents ?? []).includes('*'));
    assert.ok(!(pkg.activationEvents ?? []).includes('onStartupFinished'));
  });

  it('keeps engines, @types/vscode and the toolchain Node in step', () => {
    const engine = pkg.engines.vscode.replace(/^\^/, '');
    const types = pkg.devDependencies['@types/vscode'].replace(/^~/, '');
    assert.equal(types, engine, '@types/vscode must not be newer than engines.vscode (vsce refuses it)');
    assert.match(pkg.engines.node, /^>=22\./, 'undici 8 needs Node >= 22.19');
  });
});
