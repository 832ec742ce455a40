import * as assert from 'node:assert/strict';
import { NLS_PLACEHOLDER, readPackage } from './manifestText';

/* eslint-disable @typescript-eslint/no-explicit-any -- package.json is read as the untyped JSON it is */

/**
 * Where package.json holds text a user reads, by JSON path (`*` one key or index, `**` any number
 * of them). Each must be a `%key%` with its English text in package.nls.json, so a language pack
 * (package.nls.<locale>.json) can translate it.
 */
const USER_FACING = [
  'displayName',
  'description',
  'capabilities.*.description',
  'contributes.viewsContainers.*.*.title',
  'contributes.views.*.*.name',
  'contributes.views.*.*.contextualTitle',
  'contributes.viewsWelcome.*.contents',
  'contributes.commands.*.title',
  'contributes.commands.*.shortTitle',
  'contributes.submenus.*.label',
  'contributes.configuration.title',
  'contributes.configuration.properties.**.description',
  'contributes.configuration.properties.**.markdownDescription',
  'contributes.configuration.properties.**.enumDescriptions.*',
  'contributes.configuration.properties.**.markdownEnumDescriptions.*',
  'contributes.configuration.properties.**.deprecationMessage',
  'contributes.configuration.properties.**.markdownDeprecationMessage',
  'contributes.walkthroughs.*.title',
  'contributes.walkthroughs.*.description',
  'contributes.walkthroughs.*.steps.*.title',
  'contributes.walkthroughs.*.steps.*.description',
  'contributes.walkthroughs.*.steps.*.media.altText',
  'contributes.customEditors.*.displayName',
  'contributes.languageModelTools.*.displayName',
  'contributes.languageModelTools.*.userDescription',
];

/** Text-like properties that stay as they are, and why. */
const NOT_USER_FACING: Record<string, string> = {
  'contributes.commands.*.category': 'the brand "1upHealth", as VS Code\'s own extensions keep theirs ("Git", "TypeScript")',
  'contributes.languageModelTools.*.name': 'the tool\'s id',
  'contributes.languageModelTools.*.modelDescription': 'read by the language model, not the user: stays English like the tools\' answers',
  'contributes.languageModelTools.*.inputSchema.**': 'the input schema the language model reads: stays English',
};

/** Property names whose string values read like text (plus the items of `*EnumDescriptions`). */
const TEXT_KEYS = new Set([
  'title', 'shortTitle', 'name', 'displayName', 'description', 'markdownDescription', 'contents', 'contextualTitle',
  'label', 'userDescription', 'modelDescription', 'altText', 'category', 'deprecationMessage', 'markdownDeprecationMessage', 'fullName',
]);

function matches(pattern: string, path: readonly string[]): boolean {
  const p = pattern.split('.');
  const go = (i: number, j: number): boolean => {
    if (i === p.length) return j === path.length;
    if (p[i] === '**') return go(i + 1, j) || (j < path.length && go(i, j + 1));
    return j < path.length && (p[i] === '*' || p[i] === path[j]) && go(i + 1, j + 1);
  };
  return go(0, 0);
}

/** Every string in the manifest with its path (setting ids like `oneup.maxTries` stay one segment). */
function strings(value: unknown, path: string[] = []): { path: string[]; value: string }[] {
  if (typeof value === 'string') return [{ path, value }];
  if (Array.isArray(value)) return value.flatMap((v, i) => strings(v, [...path, String(i)]));
  if (value && typeof value === 'object') return Object.entries(value).flatMap(([k, v]) => strings(v, [...path, k]));
  return [];
}

const isUserFacing = (path: readonly string[]) => USER_FACING.some((p) => matches(p, path));
const isExempt = (path: readonly string[]) => Object.keys(NOT_USER_FACING).some((p) => matches(p, path));
const looksLikeText = (path: readonly string[]) => TEXT_KEYS.has(path[path.length - 1]) || /EnumDescriptions$/.test(path[path.length - 2] ?? '');
/** The parts of package.json a user sees (not the npm parts: scripts, dependencies, keywords…). */
const shown = (raw: any) => ({ displayName: raw.displayName, description: raw.description, capabilities: raw.capabilities, contributes: raw.contributes });

describe('package.json: localizable through package.nls.json', () => {
  const { raw, nls } = readPackage();
  const all = strings(shown(raw));

  it('every user-facing string is a %key% whose English text is in package.nls.json', () => {
    const facing = all.filter((s) => isUserFacing(s.path));
    assert.ok(facing.length > 100, `found only ${facing.length} user-facing strings: are the paths right?`);
    const literal = facing.filter((s) => !NLS_PLACEHOLDER.test(s.value)).map((s) => `${s.path.join('.')}: ${s.value.slice(0, 60)}`);
    assert.deepEqual(literal, [], 'user-facing strings written into package.json instead of package.nls.json');
    for (const s of facing) {
      const key = NLS_PLACEHOLDER.exec(s.value)![1];
      assert.ok(typeof nls[key] === 'string' && nls[key].trim(), `package.nls.json has no text for ${key} (${s.path.join('.')})`);
    }
  });

  it('package.nls.json holds only texts package.json uses', () => {
    const used = new Set(all.map((s) => NLS_PLACEHOLDER.exec(s.value)?.[1]).filter(Boolean));
    assert.deepEqual(Object.keys(nls).filter((k) => !used.has(k)), []);
  });

  it('every text-like property is either in the user-facing list or named as not user-facing', () => {
    const unlisted = all.filter((s) => looksLikeText(s.path) && !isUserFacing(s.path) && !isExempt(s.path));
    assert.deepEqual(unlisted.map((s) => `${s.path.join('.')}: ${s.value.slice(0, 60)}`), []);
  });

  it('what the language model reads (tool descriptions, input schemas) stays English text, not a %key%', () => {
    const forModel = all.filter((s) => matches('contributes.languageModelTools.*.modelDescription', s.path) || matches('contributes.languageModelTools.*.inputSchema.**', s.path));
    assert.ok(forModel.length > 10);
    assert.deepEqual(forModel.filter((s) => NLS_PLACEHOLDER.test(s.value)).map((s) => s.path.join('.')), []);
  });
});
