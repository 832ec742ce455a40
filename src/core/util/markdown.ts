/**
 * Escapes text for a Markdown hover or tooltip (`MarkdownString.appendMarkdown`): every character
 * Markdown or its inline HTML could read as syntax is backslash-escaped, so a user or system
 * name shows as typed and cannot add links, emphasis or markup.
 */
export function escapeMarkdown(text: string): string {
  return String(text).replace(/[\\`*_{}[\]()#+\-.!|<>~&$]/g, '\\$&');
}
