import { createHash } from 'node:crypto';
import * as fs from 'node:fs/promises';
import * as vscode from 'vscode';
import type { PublicFile } from '../core/api';
import { IMAGE_TYPES as TYPES, looksLike } from '../core/util/images';

const MAX_BYTES = 256 * 1024;
const RETRY_FAILED_MS = 30_000;

/** Fetches a public file through the API client's network path (proxy, OS certificates), without credentials. */
export type PublicFetch = (url: string, o: { accept: string; maxBytes: number; timeoutMs?: number }) => Promise<PublicFile>;

/**
 * Health-system logos for tree icons, downloaded once into global storage. Logos come through
 * the same client as every API call (so a proxy and the OS certificates apply), without
 * credentials, only over http(s), only images whose bytes match their type, at most 256 KiB;
 * a failure just means no logo.
 */
export class LogoCache {
  private readonly pending = new Map<string, Promise<vscode.Uri | undefined>>();

  constructor(private readonly dir: vscode.Uri, private readonly fetchPublic: PublicFetch) {}

  get(url: string | undefined): Promise<vscode.Uri | undefined> {
    if (!url || !/^https?:\/\//i.test(url)) return Promise.resolve(undefined);
    let p = this.pending.get(url);
    if (!p) {
      // a failure (offline, a proxy login not given yet) is tried again after a while, not every render
      p = this.fetch(url).catch(() => {
        setTimeout(() => this.pending.delete(url), RETRY_FAILED_MS).unref();
        return undefined;
      });
      this.pending.set(url, p);
    }
    return p;
  }

  private async fetch(url: string): Promise<vscode.Uri | undefined> {
    const name = createHash('sha256').update(url).digest('hex').slice(0, 24);
    await fs.mkdir(this.dir.fsPath, { recursive: true });
    for (const ext of Object.values(TYPES)) {
      const file = vscode.Uri.joinPath(this.dir, `${name}.${ext}`);
      if (await fs.stat(file.fsPath).then(() => true, () => false)) return file;
    }
    const res = await this.fetchPublic(url, { accept: Object.keys(TYPES).join(', '), maxBytes: MAX_BYTES, timeoutMs: 5000 });
    const ext = TYPES[res.contentType];
    if (res.status !== 200 || !ext || !looksLike(ext, res.body)) return undefined;
    const file = vscode.Uri.joinPath(this.dir, `${name}.${ext}`);
    const tmp = `${file.fsPath}.${process.pid}.tmp`;
    await fs.writeFile(tmp, res.body);
    await fs.rename(tmp, file.fsPath);
    return file;
  }
}
