import * as assert from 'node:assert/strict';
import type { HealthSystem } from '../../../src/core/api/connect';
import { environmentTooltip, healthSystemTooltip, userTooltip } from '../../../src/core/render/tooltips';
import { code, escapeMarkdown, markdownCode, md } from '../../../src/core/util/markdown';

// The tooltips are rendered here with marked, the Markdown renderer VS Code's hovers use, and the
// HTML it makes is checked: no link, image, heading, list or raw HTML may come from a value, and
// each value must read back as typed.

const HOSTILE = [
  'a`b',
  'x\n\n![t](https://evil.example/pixel.png)',
  '[x](command:workbench.action.terminal.new)',
  '<img src=https://evil.example/p.png>',
  '<a href="https://evil.example">hi</a>',
  '```\ncode\n```',
  'https://evil.example/auto',
  'www.evil.example',
  'evil@example.com',
  '<https://evil.example>',
  '$(zap) theme icon',
  'x\r\n\r\n# Heading',
  'x\n===',
  'ends with a backslash \\',
  '`` ` ``',
  '`',
  '&lt;script&gt;alert(1)&lt;/script&gt;',
  '[ref]: https://evil.example/ref',
  '|a|b|\n|-|-|\n|1|2|',
  '- item\n- item',
  '1. one',
  '> quote',
  '*em* __strong__ ~~del~~',
  '\u2028![u](https://evil.example/u.png)',
];

type Marked = typeof import('marked', { with: { 'resolution-mode': 'import' } });
let marked: Marked;

before(async () => {
  // marked ships as an ES module only
  marked = await (Function('return import("marked")')() as Promise<Marked>);
});

function render(markdown: string): string {
  return marked.marked.parse(markdown, { async: false, gfm: true, breaks: false });
}

function decode(html: string): string {
  return html.replace(/<[^>]*>/g, '').replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&#39;/g, "'").replace(/&amp;/g, '&');
}

const oneLine = (s: string) => s.replace(/[\r\n\u2028\u2029]+/g, ' ');

/** Only the tags the templates write themselves. */
function assertOnlyTags(html: string, allowed: readonly string[], value: string): void {
  const tags = [...html.matchAll(/<\/?([a-z0-9]+)/gi)].map((m) => m[1].toLowerCase());
  const extra = tags.filter((t) => !allowed.includes(t));
  assert.deepEqual(extra, [], `value ${JSON.stringify(value)} made ${extra.join(', ')}: ${html}`);
}

describe('Markdown tooltips over hostile values', () => {
  it('escapeMarkdown: each value is one paragraph of plain text that reads back as typed', () => {
    for (const v of HOSTILE) {
      const html = render(escapeMarkdown(v));
      assertOnlyTags(html, ['p'], v);
      assert.equal(decode(html).trim(), oneLine(v).trim(), v);
    }
  });

  it('markdownCode: each value is exactly one code span holding it, whatever backticks it has', () => {
    for (const v of HOSTILE) {
      const html = render(`FHIR: ${markdownCode(v)}`);
      assertOnlyTags(html, ['p', 'code'], v);
      assert.equal((html.match(/<code>/g) ?? []).length, 1, html);
      const inside = decode(/<code>([\s\S]*)<\/code>/.exec(html)![1]);
      assert.equal(inside.trim(), oneLine(v).trim(), v);
    }
  });

  it('md`…` escapes every value and keeps only the template\'s own Markdown', () => {
    for (const v of HOSTILE) {
      const html = render(md`**${v}** · id ${code(v)}`);
      assertOnlyTags(html, ['p', 'strong', 'code'], v);
      // a value that starts with a space leaves the template's ** as text: never more emphasis than it wrote
      assert.ok((html.match(/<strong>/g) ?? []).length <= 1, html);
      assert.equal((html.match(/<code>/g) ?? []).length, 1, html);
    }
  });

  it('the users tree tooltip: app user id and oneup_user_id cannot inject (the old code span broke on a backtick)', () => {
    for (const v of HOSTILE) {
      const html = render(userTooltip({ appUserId: v, oneupUserId: v, active: true }, 'token valid until 10:00'));
      assertOnlyTags(html, ['p', 'strong', 'code'], v);
      assert.ok(decode(html).includes(oneLine(v).trim()), v);
    }
  });

  it('the health systems tree tooltip: name, id, EHR, resource_url and locations cannot inject', () => {
    for (const v of HOSTILE) {
      const sys: HealthSystem = { id: v, name: v, ehr: v, resourceUrl: v, locations: [{ name: v, address: { line: [v], city: v } }] };
      const html = render(healthSystemTooltip(sys));
      assertOnlyTags(html, ['p', 'strong', 'code', 'br', 'ul', 'li'], v);
      assert.equal((html.match(/<li>/g) ?? []).length, 1, 'one location, one item');
      assert.equal((html.match(/<code>/g) ?? []).length, 1, 'the FHIR address is one code span');
    }
  });

  it('the status bar tooltip: environment name and addresses cannot inject', () => {
    for (const v of HOSTILE) {
      const html = render(environmentTooltip(v, { apiUrl: v, fhirUrl: v, fhirVersion: 'r4' }, true));
      assertOnlyTags(html, ['p', 'strong', 'code', 'br'], v);
      assert.equal((html.match(/<code>/g) ?? []).length, 2);
    }
  });

  it('an ordinary tooltip still reads well', () => {
    const html = render(healthSystemTooltip({ id: '4706', name: 'Epic Sandbox', ehr: 'Epic', resourceUrl: 'https://fhir.epic.com/api/FHIR/DSTU2/', locations: [{ name: 'Main Campus', address: { city: 'Verona', state: 'WI' } }] }));
    assert.match(html, /<strong>Epic Sandbox<\/strong> · id 4706/);
    assert.match(html, /FHIR: <code>https:\/\/fhir\.epic\.com\/api\/FHIR\/DSTU2\/<\/code>/);
    assert.match(html, /<li>Main Campus, Verona, WI<\/li>/);
  });
});
