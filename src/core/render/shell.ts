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

/** The page every panel starts from: the CSP, the stylesheets, an empty #app and the nonce'd script. */
export function renderShell(o: ShellOptions): string {
  const styles = o.styleUris.map((u) => `<link rel="stylesheet" href="${esc(u)}">`).join('\n  ');
  return `<!DOCTYPE html>
<html lang="en">
<head>
  <meta charset="UTF-8">
  <meta http-equiv="Content-Security-Policy" content="${esc(contentSecurityPolicy(o))}">
  <meta name="viewport" content="width=device-width, initial-scale=1.0">
  ${styles}
  <title>${esc(o.title)}</title>
</head>
<body class="${esc(o.bodyClass ?? '')}">
  <div id="app" class="app"></div>
  <script nonce="${esc(o.nonce)}" src="${esc(o.scriptUri)}"></script>
</body>
</html>
`;
}
