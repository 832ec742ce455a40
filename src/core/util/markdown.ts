// Markdown for hover tooltips (`vscode.MarkdownString`): every server or user value goes through
// one of these, so a name, id or URL shows as typed and can never add a link, an image (fetched
// on hover), a heading, HTML or a theme icon, nor end the paragraph or code span it sits in.

/** Line breaks (a blank line ends a paragraph or a code span) and other control characters. */
const BREAKS = /[\r\n\u0085\u2028\u2029\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]+/g;

/** Text for Markdown: one line, every ASCII punctuation character backslash-escaped (CommonMark allows all of them). */
export function escapeMarkdown(text: unknown): string {
  return String(text ?? '').replace(BREAKS, ' ').replace(/[!-/:-@[-`{-~]/g, '\\$&');
}

/**
 * Text as a code span. Backslashes do not escape inside a code span, so the fence is one
 * backtick longer than the longest run of backticks in the text (CommonMark), padded with a
 * space when the text starts or ends with a backtick; line breaks become spaces.
 */
export function markdownCode(text: unknown): string {
  const s = String(text ?? '').replace(BREAKS, ' ');
  const longest = Math.max(0, ...(s.match(/`+/g) ?? []).map((run) => run.length));
  const fence = '`'.repeat(longest + 1);
  const pad = s.startsWith('`') || s.endsWith('`') ? ' ' : '';
  return `${fence}${pad}${s}${pad}${fence}`;
}

/** A value `md` puts in as a code span. */
export class MarkdownCode {
  constructor(readonly value: unknown) {}
}

export function code(value: unknown): MarkdownCode {
  return new MarkdownCode(value);
}

/**
 * A Markdown tooltip with every interpolated value escaped: `md\`**${name}** · id ${code(id)}\``.
 * Only the template's own text is Markdown.
 */
export function md(strings: TemplateStringsArray, ...values: unknown[]): string {
  return strings.reduce((out, part, i) => {
    if (i === 0) return part;
    const v = values[i - 1];
    return out + (v instanceof MarkdownCode ? markdownCode(v.value) : escapeMarkdown(v)) + part;
  }, '');
}
