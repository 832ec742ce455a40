import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { Commands, Settings, Views, ViewTypes } from '../../src/constants';
import { TelemetryEvents } from '../../src/core/telemetry';
import { TOOL_TRAITS, ToolNames } from '../../src/core/tools/catalog';
import { readPackage, root } from './manifestText';

// as VS Code shows it in English: the texts from package.nls.json
const pkg = readPackage().resolved;

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

  it('every webview panel type activates the extension when VS Code restores one (onWebviewPanel is not implicit), and nothing else is declared', () => {
    const declared: string[] = pkg.activationEvents;
    assert.deepEqual(sorted(declared), sorted(Object.values(ViewTypes).map((t) => `onWebviewPanel:${t}`)));
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

describe('menus stay in our own places', () => {
  const menus = pkg.contributes.menus as Record<string, { command: string; when?: string }[]>;
  // a `view == oneup.x` or `view =~ /^oneup\./` clause that every alternative of the `when` carries
  const ownView = /(^|&&)\s*view\s*(==\s*oneup\.\w+|=~\s*\/\^oneup\\\.\/)\s*(&&|$)/;
  const alternatives = (when: string) => when.split('||').map((s) => s.trim().replace(/^\(|\)$/g, ''));

  for (const place of ['view/title', 'view/item/context']) {
    it(`every ${place} entry names one of our views (never the Explorer's or another extension's tree)`, () => {
      for (const m of menus[place] ?? []) {
        assert.ok(m.when, `${m.command} in ${place} has no when clause`);
        for (const alt of alternatives(m.when)) assert.match(alt, ownView, `${m.command} in ${place}: "${m.when}"`);
      }
    });
  }

  it('"Open in 1upHealth Viewer" and "Create FHIR Resource" show only for NDJSON or FHIR JSON, not every JSON file', () => {
    const fhirOnly = [/resourceExtname =~ \/\^\\\.\(ndjson\|jsonl\)\$\/i/, /\boneup\.activeEditorIsFhir\b/, /\bresource in oneup\.fhirJsonFiles\b/];
    for (const place of ['editor/title', 'editor/title/context', 'explorer/context']) {
      for (const m of menus[place] ?? []) {
        assert.ok(m.when, `${m.command} in ${place} has no when clause`);
        for (const alt of alternatives(m.when)) assert.ok(fhirOnly.some((re) => re.test(alt)), `${m.command} in ${place} can match any JSON file: "${alt}"`);
      }
    }
  });
});

describe('telemetry.json documents every event', () => {
  const doc = JSON.parse(fs.readFileSync(path.join(root, 'telemetry.json'), 'utf8'));
  const prefix = `${pkg.publisher}.${pkg.name}/`;

  it('lists exactly the events and fields sendEvent accepts (TelemetryEvents), each with a classification and a comment', () => {
    const listed = Object.keys(doc.events);
    assert.deepEqual(sorted(listed), sorted(Object.keys(TelemetryEvents).map((e) => prefix + e)));
    for (const [name, spec] of Object.entries(TelemetryEvents)) {
      const entry = doc.events[prefix + name];
      const fields = Object.keys(entry).filter((k) => k !== 'owner' && k !== 'comment');
      assert.deepEqual(sorted(fields), sorted([...spec.properties, ...spec.measurements]), name);
      for (const f of fields) {
        assert.ok(entry[f].classification && entry[f].purpose && entry[f].comment, `${name}.${f} needs classification, purpose and comment`);
        assert.equal(entry[f].isMeasurement === true, (spec.measurements as readonly string[]).includes(f), `${name}.${f} isMeasurement`);
      }
    }
  });

  it('ships in the VSIX', () => {
    const ignore = fs.readFileSync(path.join(root, '.vscodeignore'), 'utf8');
    assert.match(ignore, /^!telemetry\.json$/m);
  });
});
