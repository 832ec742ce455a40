// Connects a webview page in Chromium (harness.ts) to a real host-side session in this process:
// what the page posts reaches the session, what the session posts reaches the page.
import * as path from 'node:path';
import { WorkerPool } from '../../../src/core/explore/pool';
import { NdjsonSession, type SessionRequest } from '../../../src/core/explore/session';
import type { NdjsonViewerUpdate } from '../../../src/core/webviewProtocol/ndjsonViewer';
import type { WebviewPage } from '../render/browser/harness';

/** The workers' script in tests: the compiled lazy explore module (it loads worker.ts). */
export const WORKER_SCRIPT = path.join(__dirname, '..', '..', '..', 'src', 'lazy', 'explore.js');

export function testPool(size = 2): WorkerPool {
  return new WorkerPool(WORKER_SCRIPT, size, 2_000);
}

export interface Bridged {
  session: NdjsonSession;
  /** every update the session posted */
  updates: NdjsonViewerUpdate[];
  stop(): Promise<void>;
}

/** Opens `file` in a session whose posts go to the page; relays the page's requests every 20 ms. */
export async function bridge(w: WebviewPage, file: string, pool: WorkerPool, o: { minPartBytes?: number } = {}): Promise<Bridged> {
  const updates: NdjsonViewerUpdate[] = [];
  let chain = Promise.resolve();
  const post = (u: NdjsonViewerUpdate) => {
    updates.push(u);
    chain = chain.then(() => w.post(u)).catch(() => undefined);
  };
  const session = await NdjsonSession.open({ path: file, title: path.basename(file), pool, version: 'r4', versionKnown: true, post, minPartBytes: o.minPartBytes });
  let seen = 0;
  let stopped = false;
  const loop = (async () => {
    while (!stopped) {
      const sent = await w.sent().catch(() => []);
      for (const m of sent.slice(seen)) {
        if (m.type !== 'ready' && m.type !== 'openDetail' && m.type !== 'closeDetail') void session.handle(m as unknown as SessionRequest);
      }
      seen = sent.length;
      await new Promise((r) => setTimeout(r, 20));
    }
  })();
  return {
    session,
    updates,
    stop: async () => {
      stopped = true;
      await loop;
      await chain;
      await session.close();
    },
  };
}
