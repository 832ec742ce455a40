import { createHash } from 'node:crypto';
import { mkdir, mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { createOneUpClient, type OneUpClient, type OneUpClientOptions } from '../../../src/core/api';
import type { EngineOptions, ExportProgress } from '../../../src/core/bulkExport';
import { sandboxEnvironment } from '../../../src/core/environments';
import type { Logger } from '../../../src/core/log';
import { type RunningSandbox, type SandboxOptions, startSandbox } from '../../../src/core/sandbox';

export function recordingLogger(): Logger & { lines: string[] } {
  const lines: string[] = [];
  const push = (m: string | Error) => lines.push(typeof m === 'string' ? m : m.message);
  return { lines, trace: push, debug: push, info: push, warn: push, error: push };
}

export interface ExportRig {
  sb: RunningSandbox;
  client: OneUpClient;
  /** A fresh folder standing in for the workspace. */
  workspace: string;
  /** Where the sandbox keeps its export files (to compare downloads byte for byte). */
  dataDir: string;
  log: ReturnType<typeof recordingLogger>;
  /** Engine options for fast tests: tiny backoffs and poll waits, every progress event. */
  options(extra?: Partial<EngineOptions>): EngineOptions & { events: ExportProgress[] };
  /** Requests the sandbox saw, as `METHOD path → status`, filtered. */
  calls(what?: string | RegExp): string[];
  close(): Promise<void>;
}

/** A sandbox whose exports come in several small files, a client of it, and a scratch workspace. */
export async function startExportRig(sandbox: SandboxOptions = {}, client: Partial<OneUpClientOptions> = {}): Promise<ExportRig> {
  const root = await mkdtemp(path.join(tmpdir(), 'oneup-export-test-'));
  const dataDir = path.join(root, 'sandbox');
  const sb = await startSandbox({ patients: 3, exportRetryAfterSeconds: 0, exportMaxResourcesPerFile: 400, dataDir, ...sandbox });
  const log = recordingLogger();
  const c = createOneUpClient({
    environment: sandboxEnvironment(sb.url), credentials: async () => sb.credentials, userAgent: 'oneup-export-test',
    logger: log, retryBaseMs: 5, maxTries: 3, ...client,
  });
  const workspace = path.join(root, 'workspace');
  await mkdir(workspace);
  return {
    sb, client: c, workspace, dataDir, log,
    options: (extra = {}) => {
      const events: ExportProgress[] = [];
      return {
        transport: c.transport, logger: log, retryBaseMs: 5, minPollMs: 10, progressIntervalMs: 0,
        onProgress: (p) => events.push(p), events, ...extra,
      };
    },
    calls: (what) => sb.state.calls().map((x) => `${x.method} ${x.path} → ${x.status}`)
      .filter((l) => what === undefined || (typeof what === 'string' ? l.includes(what) : what.test(l))),
    close: async () => {
      await c.dispose();
      await sb.close();
      await rm(root, { recursive: true, force: true });
    },
  };
}

export async function sha256(file: string): Promise<string> {
  return createHash('sha256').update(await readFile(file)).digest('hex');
}

/** The job and file name an export file URL names: `…/files/{job}/{name}` (spec shape) or a signed token (production's). */
export function serverName(url: string): { job: string; name: string } {
  const parts = decodeURIComponent(new URL(url).pathname).split('/');
  if (parts.at(-3) === '$export') {
    const claims = JSON.parse(Buffer.from(parts.at(-1)!.split('.')[1], 'base64url').toString()) as { job: string; file: string };
    return { job: claims.job, name: claims.file };
  }
  return { job: parts.at(-2)!, name: parts.at(-1)! };
}

/** The sandbox's own copy of an export file, found by the job and file its URL names. */
export async function serverFile(dataDir: string, url: string): Promise<string> {
  const { job, name } = serverName(url);
  const runs = await readdir(path.join(dataDir, 'exports'));
  for (const run of runs) {
    const candidate = path.join(dataDir, 'exports', run, job, name);
    if (await readFile(candidate).then(() => true, () => false)) return candidate;
  }
  throw new Error(`no server file for ${url}`);
}

/** Every file under a folder, relative, sorted. */
export async function walk(dir: string, prefix = ''): Promise<string[]> {
  const out: string[] = [];
  for (const e of await readdir(dir, { withFileTypes: true })) {
    const rel = path.join(prefix, e.name);
    if (e.isDirectory()) out.push(...(await walk(path.join(dir, e.name), rel)));
    else out.push(rel);
  }
  return out.sort();
}
