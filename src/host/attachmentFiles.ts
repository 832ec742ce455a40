import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as l10n from '@vscode/l10n';

// Files for attachments: private temporary copies (shown by VS Code's own editors) and copies
// the user saves. No VS Code here, so Node tests check modes, places and atomicity.

let sessionDir: string | undefined;

/**
 * This session's private folder (0700) under the OS temp folder, removed when the extension
 * host exits. `root` is for tests.
 */
export function attachmentDir(root = os.tmpdir()): string {
  if (sessionDir && fs.existsSync(sessionDir) && path.dirname(sessionDir) === root) return sessionDir;
  const dir = fs.mkdtempSync(path.join(root, 'oneup-attachments-'));
  fs.chmodSync(dir, 0o700);
  process.once('exit', () => fs.rmSync(dir, { recursive: true, force: true }));
  sessionDir = dir;
  return dir;
}

/** Writes a temporary copy (0600) under its own name in a fresh folder of the session's; answers its path. */
export async function writeTemporary(bytes: Uint8Array, fileName: string, root?: string): Promise<string> {
  if (path.basename(fileName) !== fileName || fileName === '..' || fileName === '.') throw new Error(l10n.t('Not a file name: {0}', fileName));
  const dir = await fs.promises.mkdtemp(path.join(attachmentDir(root), 'a-'));
  const file = path.join(dir, fileName);
  await fs.promises.writeFile(file, bytes, { mode: 0o600, flag: 'wx' });
  return file;
}

/** Writes `bytes` to `target` atomically: a temporary file beside it, renamed over it; nothing left behind on failure. */
export async function writeAtomically(target: string, bytes: Uint8Array): Promise<void> {
  const tmp = `${target}.${process.pid}.${Date.now()}.tmp`;
  try {
    await fs.promises.writeFile(tmp, bytes, { mode: 0o600, flag: 'wx' });
    await fs.promises.rename(tmp, target);
  } catch (e) {
    await fs.promises.rm(tmp, { force: true });
    throw e;
  }
}
