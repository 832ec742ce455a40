import { createHash } from 'node:crypto';
import * as fs from 'node:fs/promises';
import * as vscode from 'vscode';

const MAX_BYTES = 256 * 1024;
const TYPES: Record<string, string> = { 'image/png': 'png', 'image/jpeg': 'jpg', 'image/gif': 'gif', 'image/svg+xml': 'svg', 'image/webp': 'webp' };

/**
 * Health-system logos for tree icons, downloaded once into global storage. Logos are fetched
 * without credentials, only over http(s), only images, at most 256 KiB; a failure just means no logo.
 */
export class LogoCache {
  private readonly pending = new Map<string, Promise<vscode.Uri | undefined>>();

  constructor(private readonly dir: vscode.Uri) {}

  get(url: string | undefined): Promise<vscode.Uri | undefined> {
    if (!url || !/^https?:\/\//i.test(url)) return Promise.resolve(undefined);
    let p = this.pending.get(url);
    if (!p) {
      p = this.fetch(url).catch(() => undefined);
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
    const res = await fetch(url, { signal: AbortSignal.timeout(5000), redirect: 'follow', credentials: 'omit' });
    const type = (res.headers.get('content-type') ?? '').split(';')[0].trim().toLowerCase();
    const ext = TYPES[type];
    if (!res.ok || !ext) return undefined;
    const body = new Uint8Array(await res.arrayBuffer());
    if (body.byteLength > MAX_BYTES) return undefined;
    const file = vscode.Uri.joinPath(this.dir, `${name}.${ext}`);
    const tmp = `${file.fsPath}.${process.pid}.tmp`;
    await fs.writeFile(tmp, body);
    await fs.rename(tmp, file.fsPath);
    return file;
  }
}
