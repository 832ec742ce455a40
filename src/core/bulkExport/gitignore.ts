import * as l10n from '@vscode/l10n';
import { lstat, readFile } from 'node:fs/promises';
import { InputError } from '../errors';
import { atomicWrite } from './atomicWrite';

const GITIGNORE = '# Bulk exports are health data: never commit them.\n*\n';

/**
 * Makes sure `.1uphealth/exports/.gitignore` ignores everything: written when missing, rewritten
 * when a cloned repository shipped one that does not (a `!` exception, or no `*`), so exports are
 * never committed. Answers why it was rewritten, or undefined when it was fine or new.
 */
export async function guardGitignore(file: string): Promise<string | undefined> {
  const st = await lstat(file).catch(() => undefined);
  if (!st) {
    await atomicWrite(file, GITIGNORE);
    return undefined;
  }
  const problem = st.isSymbolicLink() ? 'it was a symbolic link'
    : !st.isFile() ? 'it was not a file'
      : gitignoreProblem(await readFile(file, 'utf8'));
  if (!problem) return undefined;
  if (st.isDirectory()) throw new InputError(l10n.t({ message: '{0} is a folder, so git would not ignore the exports next to it; remove it and export again.', args: [file], comment: ['{0}: the path of a .gitignore'] }));
  // the rename replaces a link itself, never the file it points to
  await atomicWrite(file, GITIGNORE);
  return `${file} did not keep exports out of git (${problem}); it was replaced by one that ignores everything.`;
}

/** Why a .gitignore does not ignore everything under its folder, or undefined when it does. */
export function gitignoreProblem(text: string): string | undefined {
  const rules = text.split(/\r?\n/).map((l) => l.trim()).filter((l) => l && !l.startsWith('#'));
  const negation = rules.find((l) => l.startsWith('!'));
  if (negation) return `it un-ignores ${JSON.stringify(negation.slice(0, 60))}`;
  if (!rules.some((l) => ['*', '**', '/*', '/**', '*/', '**/*'].includes(l))) return 'it has no "*" rule';
  return undefined;
}
