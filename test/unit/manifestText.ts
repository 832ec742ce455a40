import * as fs from 'node:fs';
import * as path from 'node:path';

/* eslint-disable @typescript-eslint/no-explicit-any -- package.json is read as the untyped JSON it is */

export const root = path.resolve(__dirname, '..', '..', '..');

/** A `%key%` placeholder as VS Code and vsce replace it (vsce's key pattern is the narrower one). */
export const NLS_PLACEHOLDER = /^%([\w.]+)%$/;

/**
 * package.json as written (`raw`, with `%key%` placeholders), its English texts (package.nls.json),
 * and the manifest as VS Code shows it in English (`resolved`): every `%key%` replaced by its text.
 * A placeholder without a text throws, so a test never reads a raw `%key%` as if it were the text.
 */
export function readPackage(): { raw: any; nls: Record<string, string>; resolved: any } {
  const text = fs.readFileSync(path.join(root, 'package.json'), 'utf8');
  const nls = JSON.parse(fs.readFileSync(path.join(root, 'package.nls.json'), 'utf8')) as Record<string, string>;
  const resolved = JSON.parse(text, (_key, value: unknown) => {
    if (typeof value !== 'string') return value;
    const m = NLS_PLACEHOLDER.exec(value);
    if (!m) return value;
    if (typeof nls[m[1]] !== 'string') throw new Error(`package.nls.json has no text for ${value}`);
    return nls[m[1]];
  });
  return { raw: JSON.parse(text), nls, resolved };
}
