/**
 * Text for surfaces that show no Markdown (notifications, tree rows, webview banners): a
 * `code span` written for Markdown becomes “quoted”, so no backtick pairs reach the user.
 */
export function plainText(text: string): string {
  return text.replace(/`([^`\n]+)`/g, '“$1”');
}
