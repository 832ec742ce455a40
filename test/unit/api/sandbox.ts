import { createOneUpClient, MemoryTokenStore, type OneUpClient, type OneUpClientOptions } from '../../../src/core/api';
import { sandboxEnvironment } from '../../../src/core/environments';
import { type RunningSandbox, type SandboxOptions, startSandbox } from '../../../src/core/sandbox';
import { recordingLogger, USER_AGENT } from './helpers';

export interface SandboxRig {
  sb: RunningSandbox;
  client: OneUpClient;
  /** The client's log lines. */
  log: ReturnType<typeof recordingLogger>;
  /** The sandbox's own log lines: what reached the server. */
  server: ReturnType<typeof recordingLogger>;
  store: MemoryTokenStore;
  /** How many requests reached the server as `METHOD path → status` contain `what` (e.g. "POST /fhir/oauth2/token"). */
  count(what: string | RegExp): number;
  close(): Promise<void>;
}

/** A local sandbox on a loopback port and a client of it (no waits: tiny backoffs). */
export async function startRig(sandbox: SandboxOptions = {}, client: Partial<OneUpClientOptions> = {}): Promise<SandboxRig> {
  const server = recordingLogger();
  const sb = await startSandbox({ patients: 2, ...sandbox, logger: server });
  const log = recordingLogger();
  const store = new MemoryTokenStore();
  const c = createOneUpClient({
    environment: sandboxEnvironment(sb.url),
    credentials: async () => sb.credentials,
    userAgent: USER_AGENT,
    logger: log,
    tokenStore: store,
    retryBaseMs: 10,
    codeRetryDelaysMs: [20, 40],
    ...client,
  });
  return {
    sb, client: c, log, server, store,
    count: (what) => sb.state.calls().map((c) => `${c.method} ${c.path} → ${c.status}`)
      .filter((l) => (typeof what === 'string' ? l.includes(what) : what.test(l))).length,
    close: async () => {
      await c.dispose();
      await sb.close();
    },
  };
}
