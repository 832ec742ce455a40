import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';

const root = path.resolve(__dirname, '..', '..', '..');
const read = (f: string) => fs.readFileSync(path.join(root, f), 'utf8');

type Token = { type: string; href?: string; text?: string; depth?: number; tokens?: Token[] };
async function tokens(markdown: string): Promise<Token[]> {
  const { marked } = await import('marked');
  const all: Token[] = [];
  marked.walkTokens(marked.lexer(markdown), (t) => void all.push(t as Token));
  return all;
}

/** The section under a `## title` heading, up to the next heading of that level. */
function section(markdown: string, title: string): string {
  const start = markdown.indexOf(`\n## ${title}\n`);
  assert.ok(start >= 0, `README has a "## ${title}" section`);
  const end = markdown.indexOf('\n## ', start + 1);
  return markdown.slice(start, end < 0 ? undefined : end);
}

describe('README for users, CONTRIBUTING for us', () => {
  const readme = read('README.md');

  it('both state the two fresh-machine commands: npm ci && npm start, and npm test', () => {
    for (const file of ['README.md', 'CONTRIBUTING.md']) {
      const text = read(file);
      assert.ok(text.includes('`npm ci && npm start`'), `${file} names npm ci && npm start`);
      assert.ok(text.includes('`npm test`'), `${file} names npm test`);
    }
  });

  it('shows a screenshot first, and every image is a small PNG of the repository, rewritten to https when packaged', async () => {
    const images = (await tokens(readme)).filter((t) => t.type === 'image');
    assert.ok(images.length >= 3);
    assert.ok(readme.indexOf('![') < readme.indexOf('\n## '), 'a screenshot before the first section');
    // vsce rewrites relative images to the repository's https URLs; the details page shows no other
    assert.doesNotMatch(read('scripts/package.mjs'), /--no-rewrite-relative-links/);
    for (const img of images) {
      const href = img.href!;
      assert.match(href, /^media\/screenshots\/[\w-]+\.png$/, `${href}: a path in the repository (vsce makes it an https URL)`);
      assert.ok(img.text && img.text.length > 5, `${href} has alt text`);
      const size = fs.statSync(path.join(root, href)).size;
      assert.ok(size < 150 * 1024, `${href} is ${Math.round(size / 1024)} KB: shrink it (pngquant), every visitor of the page loads it`);
    }
  });

  it('links only to sections that exist', async () => {
    const all = await tokens(readme);
    const slug = (s: string) => s.toLowerCase().replace(/[^\p{L}\p{N}\s-]/gu, '').trim().replace(/\s/g, '-');
    const anchors = new Set(all.filter((t) => t.type === 'heading').map((t) => slug(t.text!)));
    for (const link of all.filter((t) => t.type === 'link' && t.href!.startsWith('#'))) {
      assert.ok(anchors.has(link.href!.slice(1)), `${link.href} names no heading`);
    }
  });

  it('says in its privacy section exactly what telemetry.json lists: every event and every field', () => {
    const privacy = section(readme, 'Security and privacy');
    const doc = JSON.parse(read('telemetry.json')) as { events: Record<string, Record<string, unknown>> };
    for (const [name, fields] of Object.entries(doc.events)) {
      const event = name.split('/').pop()!;
      const row = privacy.split('\n').find((l) => l.startsWith(`| \`${event}\` |`));
      assert.ok(row, `README's telemetry table has the event ${event}`);
      for (const field of Object.keys(fields).filter((k) => k !== 'owner' && k !== 'comment')) {
        assert.ok(row.includes(`\`${field}\``), `README names ${event}.${field}`);
      }
    }
    assert.match(privacy, /telemetry\.telemetryLevel/, 'it says which setting turns it off');
  });
});
