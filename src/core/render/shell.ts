import { esc } from './escape';
import { originOf } from './urls';

export interface ShellOptions {
  title: string;
  /** the webview's own source (`webview.cspSource`): styles, fonts and images from the extension */
  cspSource: string;
  /** a fresh random value per page load (node:crypto) */
  nonce: string;
  scriptUri: string;
  styleUris: readonly string[];
  /** origins images may also come from (the environment's, for health system logos) */
  imageOrigins?: readonly string[];
  /** origins frames may show (the environment's, for the Connect page); none by default */
  frameOrigins?: readonly string[];
  bodyClass?: string;
  /** the page's language (VS Code's display language, e.g. `de`); `en` by default */
  lang?: string;
  /**
   * Data the webview reads before it renders (its translations, what it saves to be restored
   * after a reload): a JSON data block, not a script — the CSP does not apply to it and it never runs.
   */
  data?: Record<string, unknown>;
}

/** The id of the page's JSON data block (see `ShellOptions.data`). */
export const PAGE_DATA_ID = 'oneup-page-data';

/**
 * JSON that is safe inside a `<script type="application/json">`: `<`, `>` and `&` become JSON
 * escapes, so no value (`</script><script>…`, `<!--`) can end the block or start markup, and
 * U+2028/2029 are escaped as well. `JSON.parse` of the block's text gives the value back.
 */
export function jsonForScriptBlock(value: unknown): string {
  return JSON.stringify(value).replace(/[<>&\u2028\u2029]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/** Only well-formed http(s) origins reach a CSP (a value with spaces or `;` would add directives). */
function origins(values: readonly string[] | undefined): string[] {
  return [...new Set((values ?? []).map((v) => originOf(v)).filter((o): o is string => !!o))];
}

/**
 * The Content-Security-Policy of every panel: nothing by default; scripts only with the page's
 * nonce; styles and fonts only from the extension; images from the extension, data: and the
 * given origins; frames only from the given origins; no forms, no <base>.
 */
export function contentSecurityPolicy(o: Pick<ShellOptions, 'cspSource' | 'nonce' | 'imageOrigins' | 'frameOrigins'>): string {
  if (!/^[A-Za-z0-9+/=]{16,}$/.test(o.nonce)) throw new Error('A CSP nonce must be at least 16 base64 characters.');
  // VS Code's own value: one source or several (code-server gives e.g. "'self' https://*.vscode-cdn.net");
  // each must be a source expression, so nothing can end the directive or add another
  const sources = o.cspSource.trim().split(/\s+/);
  if (!sources.every((t) => /^('self'|[a-z][a-z0-9+.-]*:(\/\/[A-Za-z0-9*.\-:[\]]+)?\/?)$/.test(t))) {
    throw new Error(`Unexpected characters in the webview CSP source: ${o.cspSource}`);
  }
  const frames = origins(o.frameOrigins);
  return [
    "default-src 'none'",
    `script-src 'nonce-${o.nonce}'`,
    `style-src ${o.cspSource}`,
    `font-src ${o.cspSource}`,
    `img-src ${[o.cspSource, 'data:', ...origins(o.imageOrigins)].join(' ')}`,
    ...(frames.length ? [`frame-src ${frames.join(' ')}`] : []),
    "form-action 'none'",
    "base-uri 'none'",
  ].join('; ');
}

/** The page every panel starts from: the CSP, the stylesheets, an empty #app, the page's data and the nonce'd script. */
export function renderShell(o: ShellOptions): string {
  const styles = o.styleUris.map((u) => `<link rel="stylesheet" href="${esc(u)}">`).join('\n  ');
  const lang = o.lang && /^[A-Za-z]{2,8}(-[A-Za-z0-9]{1,8})*$/.test(o.lang) ? o.lang : 'en';
  const data = o.data ? `<script type="application/json" id="${PAGE_DATA_ID}">${jsonForScriptBlock(o.data)}</script>\n  ` : '';
  return `<!DOCTYPE html>
<html lang="${lang}">
<head>
  <meta charset="UTF-8">
  <meta http-equiv="Content-Security-Policy" content="${esc(contentSecurityPolicy(o))}">
  <meta name="viewport" content="width=device-width, initial-scale=1.0">
  ${styles}
  <title>${esc(o.title)}</title>
</head>
<body class="${esc(o.bodyClass ?? '')}">
  <div id="app" class="app"></div>
  ${data}<script nonce="${esc(o.nonce)}" src="${esc(o.scriptUri)}"></script>
</body>
</html>
`;
}
