import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { ContextKeys, Walkthrough } from '../../../src/constants';
import { readPackage, root } from '../manifestText';

// as VS Code shows it in English: the texts from package.nls.json
const pkg = readPackage().resolved;

describe('package.json: the first hour', () => {
  it('says "no users yet" only once the server said so, and "loading" while it has not answered', () => {
    const welcome = pkg.contributes.viewsWelcome.filter((w: { view: string }) => w.view === 'oneup.users') as { contents: string; when: string }[];
    const empty = welcome.find((w) => /no users yet/.test(w.contents));
    assert.ok(empty, 'a welcome for an app without users');
    assert.match(empty.when, new RegExp(`${ContextKeys.usersState.replace('.', '\\.')} == empty`));
    const loading = welcome.find((w) => /Loading/i.test(w.contents));
    assert.ok(loading && loading.when.includes(`${ContextKeys.usersState} == loading`));
  });

  it('ticks the walkthrough\'s token step for a token got any way, not only by the command', () => {
    const token = pkg.contributes.walkthroughs[0].steps.find((s: { id: string }) => s.id === 'token');
    assert.ok(token.completionEvents.includes(`onContext:${ContextKeys.hasToken}`));
  });

  it('names the walkthrough and its steps as constants.ts does (the extension ticks them itself)', () => {
    const walkthrough = pkg.contributes.walkthroughs.find((w: { id: string }) => w.id === Walkthrough.id);
    assert.ok(walkthrough);
    assert.deepEqual(walkthrough.steps.map((s: { id: string }) => s.id).sort(), Object.values(Walkthrough.steps).sort());
  });

  it('offers Search This Type on type items and Open Patient Record in a user\'s menu', () => {
    const items = pkg.contributes.menus['view/item/context'] as { command: string; when: string; group?: string }[];
    assert.ok(items.some((m) => m.command === 'oneup.searchThisType' && /resourceType/.test(m.when) && /userType/.test(m.when)));
    assert.ok(items.some((m) => m.command === 'oneup.openPatientRecord' && /viewItem =~ \/\^user\//.test(m.when) && !m.group?.startsWith('inline')));
  });

  it('README\'s command table names every command a user can run', () => {
    const readme = fs.readFileSync(path.join(root, 'README.md'), 'utf8');
    const table = readme.slice(readme.indexOf('## Commands'), readme.indexOf('## Settings'));
    for (const c of pkg.contributes.commands as { command: string; title: string }[]) {
      if (c.command === 'oneup.tree.retry') continue;
      assert.ok(table.includes(c.title.replace(/…$/, '')), `README's command table lacks "${c.title}"`);
    }
  });
});
