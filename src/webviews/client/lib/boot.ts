// The first module every webview script imports (before anything that renders or builds text):
// reads the page's data block and gives @vscode/l10n the translations the host passed in, so
// every l10n.t — here and in the shared renderers bundled with the page — answers in the
// user's language from the first line drawn.
import * as l10n from '@vscode/l10n';
import { PAGE_DATA_ID } from '../../../core/render/shell';

export interface PageData {
  /** VS Code's l10n bundle for the display language (absent in English) */
  l10n?: Record<string, string>;
  /** what the host needs to bring the panel back after a reload (kept in the webview's state) */
  restore?: unknown;
}

function read(): PageData {
  const block = document.getElementById(PAGE_DATA_ID);
  if (!block || block.getAttribute('type') !== 'application/json') return {};
  try {
    const data: unknown = JSON.parse(block.textContent ?? '');
    return typeof data === 'object' && data !== null && !Array.isArray(data) ? data as PageData : {};
  } catch {
    console.warn('1upHealth: the page data block is not JSON');
    return {};
  }
}

/** Only a flat map of strings is a bundle (anything else would make l10n.t answer non-strings). */
function bundleOf(value: unknown): Record<string, string> | undefined {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return undefined;
  const entries = Object.entries(value).filter((e): e is [string, string] => typeof e[1] === 'string');
  return entries.length ? Object.fromEntries(entries) : undefined;
}

export const pageData = read();
const contents = bundleOf(pageData.l10n);
if (contents) l10n.config({ contents });
