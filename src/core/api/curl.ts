/** Environment variables a copied curl command reads its secrets from. */
export const CURL_PLACEHOLDERS = {
  clientId: 'ONEUP_CLIENT_ID',
  clientSecret: 'ONEUP_CLIENT_SECRET',
  accessToken: 'ONEUP_ACCESS_TOKEN',
  refreshToken: 'ONEUP_REFRESH_TOKEN',
  code: 'ONEUP_AUTH_CODE',
} as const;
export type SecretKind = keyof typeof CURL_PLACEHOLDERS;

/** A value that must not appear in a copied command, and which variable stands for it. */
export interface CurlSecret {
  value: string;
  kind: SecretKind;
}

export interface CurlRequest {
  method: string;
  url: string;
  headers: Readonly<Record<string, string>>;
  /** Form fields are rendered one `--data-urlencode` each so the shell never has to encode. */
  form?: readonly (readonly [string, string])[];
  /** Any other body as text; `undefined` with `streamed` renders `--data-binary @-`. */
  body?: string;
  streamed?: boolean;
  secrets: readonly CurlSecret[];
}

/** Single-quotes a literal for POSIX shells. */
export function shellQuote(s: string): string {
  if (s === '') return "''";
  return `'${s.replace(/'/g, `'\\''`)}'`;
}

/**
 * One shell word: literal runs single-quoted, secrets as "$VAR" (double quotes, so the shell expands
 * them and still does not split them). Secrets are matched raw and percent-encoded.
 */
export function shellWord(text: string, secrets: readonly CurlSecret[]): string {
  const needles: { text: string; variable: string }[] = [];
  for (const s of secrets) {
    if (!s.value) continue;
    const variable = CURL_PLACEHOLDERS[s.kind];
    needles.push({ text: s.value, variable });
    const enc = encodeURIComponent(s.value);
    if (enc !== s.value) needles.push({ text: enc, variable });
  }
  // longest first so a secret that contains another is replaced whole
  needles.sort((a, b) => b.text.length - a.text.length);
  const parts: string[] = [];
  let literal = '';
  let i = 0;
  outer: while (i < text.length) {
    for (const n of needles) {
      if (text.startsWith(n.text, i)) {
        if (literal) parts.push(shellQuote(literal));
        literal = '';
        parts.push(`"$${n.variable}"`);
        i += n.text.length;
        continue outer;
      }
    }
    literal += text[i];
    i++;
  }
  if (literal || !parts.length) parts.push(shellQuote(literal));
  return parts.join('');
}

const SKIP_HEADERS = new Set(['content-length', 'host', 'connection']);

/** Renders a request as a curl command a developer can paste after exporting the ONEUP_* variables. */
export function toCurl(r: CurlRequest): string {
  const first: string[] = ['curl'];
  if (r.method !== 'GET' || r.form || r.body !== undefined || r.streamed) first.push('-X', r.method);
  first.push(shellWord(r.url, r.secrets));
  const lines = [first.join(' ')];
  for (const [name, value] of Object.entries(r.headers)) {
    if (SKIP_HEADERS.has(name.toLowerCase())) continue;
    lines.push(`-H ${shellWord(`${name}: ${value}`, r.secrets)}`);
  }
  if (r.form) for (const [k, v] of r.form) lines.push(`--data-urlencode ${shellWord(`${k}=${v}`, r.secrets)}`);
  else if (r.body !== undefined) lines.push(`--data-binary ${shellWord(r.body, r.secrets)}`);
  else if (r.streamed) lines.push('--data-binary @-');
  return lines.join(' \\\n  ');
}
