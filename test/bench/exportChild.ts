// The downloading side of the export benchmark, in its own process so that its RSS and CPU are
// its own. Two modes: `engine` runs a whole bulk export; `transport` fetches the same URLs with
// the bare API transport (undici's body piped to a file, no verification, no engine) as a floor.
// Prints `PHASE <name>` lines (the parent notes the sandbox's CPU then) and one JSON report line.
import { createWriteStream } from 'node:fs';
import { mkdir, readFile } from 'node:fs/promises';
import * as path from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { createOneUpClient, type OneUpClient } from '../../src/core/api';
import { startBulkExport } from '../../src/core/bulkExport';
import { sandboxEnvironment } from '../../src/core/environments';

export interface ChildReport {
  folder: string;
  /** Bytes on disk (decoded). */
  bytes: number;
  /** Bytes received (compressed when gzip was negotiated). */
  wireBytes: number;
  files: number;
  resources: number;
  /** kick-off until the first download starts: the server writing the export */
  waitMs: number;
  /** first download start until every file is verified and in place */
  downloadMs: number;
  /** CPU time of the whole process (all threads) during the downloads */
  downloadCpuMs: number;
  /** RSS after a small warm-up run (client, undici and engine code loaded and run) */
  baseRss: number;
  /** highest RSS seen during the measured run */
  peakRss: number;
  /** RSS before anything ran */
  coldRss: number;
  /** 99th percentile of the event loop's delay during the downloads (ms) */
  loopP99Ms: number;
  loopMaxMs: number;
}

type Phase = (name: 'downloading' | 'verifying') => void;

export async function runChild(mode: string): Promise<void> {
  const env = process.env;
  const gc = (globalThis as { gc?: () => void }).gc ?? (() => undefined);
  gc();
  const coldRss = process.memoryUsage().rss;
  const client = createOneUpClient({
    environment: sandboxEnvironment(env.BENCH_URL!), userAgent: 'export-bench',
    credentials: async () => ({ clientId: env.BENCH_CLIENT_ID!, clientSecret: env.BENCH_CLIENT_SECRET! }),
  });
  const parallel = Number(env.BENCH_PARALLEL ?? 4);
  const run = mode === 'engine' ? engineRun(client, parallel) : transportRun(client, parallel);
  await run.warmUp();
  gc();
  const baseRss = process.memoryUsage().rss;
  const maxBefore = process.resourceUsage().maxRSS * 1024;
  let peakRss = baseRss;
  const sampler = setInterval(() => { peakRss = Math.max(peakRss, process.memoryUsage().rss); }, 20);
  const loop = monitorEventLoopDelay({ resolution: 5 });
  const t0 = performance.now();
  const marks = { downloadStart: 0, downloadEnd: 0, cpuStart: process.cpuUsage(), cpuEnd: process.cpuUsage() };
  const phase: Phase = (name) => {
    process.stdout.write(`PHASE ${name}\n`);
    if (name === 'downloading') {
      [marks.downloadStart, marks.cpuStart] = [performance.now(), process.cpuUsage()];
      loop.enable();
    } else {
      [marks.downloadEnd, marks.cpuEnd] = [performance.now(), process.cpuUsage()];
      loop.disable();
    }
  };
  const result = await run.measured(phase);
  clearInterval(sampler);
  peakRss = Math.max(peakRss, process.memoryUsage().rss);
  // the lifetime peak, when this run pushed it past the warm-up's, catches spikes between samples
  const maxAfter = process.resourceUsage().maxRSS * 1024;
  if (maxAfter > maxBefore) peakRss = Math.max(peakRss, maxAfter);
  await client.dispose();
  const cpu = (c: NodeJS.CpuUsage) => (c.user + c.system) / 1000;
  const report: ChildReport = {
    ...result, waitMs: marks.downloadStart - t0, downloadMs: marks.downloadEnd - marks.downloadStart,
    downloadCpuMs: cpu(marks.cpuEnd) - cpu(marks.cpuStart), baseRss, peakRss, coldRss,
    loopP99Ms: loop.percentile(99) / 1e6, loopMaxMs: loop.max / 1e6,
  };
  process.stdout.write(`${JSON.stringify(report)}\n`);
}

interface ChildRun {
  warmUp(): Promise<void>;
  measured(phase: Phase): Promise<Pick<ChildReport, 'folder' | 'bytes' | 'wireBytes' | 'files' | 'resources'>>;
}

function engineRun(client: OneUpClient, parallel: number): ChildRun {
  const workspace = process.env.BENCH_WORKSPACE!;
  return {
    async warmUp() {
      await startBulkExport(workspace, { version: 'r4', scope: { kind: 'app' }, types: ['Organization', 'Practitioner'] }, { transport: client.transport, parallel });
    },
    async measured(phase) {
      let last = '';
      let wire = 0;
      const result = await startBulkExport(workspace, { version: 'r4', scope: { kind: 'app' } }, {
        transport: client.transport,
        parallel,
        onProgress: (p) => {
          wire = p.bytes;
          if (p.phase === last) return;
          last = p.phase;
          if (p.phase === 'downloading' || p.phase === 'verifying') phase(p.phase);
        },
      });
      if (!result.summary.complete) throw new Error(`the export is incomplete: ${JSON.stringify(result.summary.errors.slice(0, 3))}`);
      const s = result.summary;
      return { folder: result.folder, bytes: s.bytes, wireBytes: wire, files: s.files.length, resources: s.resources };
    },
  };
}

function transportRun(client: OneUpClient, parallel: number): ChildRun {
  const dir = process.env.BENCH_OUT!;
  const fetchAll = async (urls: string[]) => {
    let next = 0;
    let bytes = 0;
    const worker = async () => {
      while (next < urls.length) {
        const i = next++;
        // the engine's route (the transport's undici body piped to a file) minus gzip, verification and the engine
        const res = await client.transport.request({ method: 'GET', url: urls[i], auth: { kind: 'app', oneupUserId: 'client' }, accept: 'application/fhir+ndjson', retry: false });
        const count = new Transform({ transform(chunk: Buffer, _e, done) { bytes += chunk.length; done(null, chunk); } });
        await pipeline(res.body, count, createWriteStream(path.join(dir, `${i}.ndjson`)));
      }
    };
    await Promise.all(Array.from({ length: Math.min(parallel, urls.length) }, worker));
    return bytes;
  };
  let urls: string[] = [];
  return {
    async warmUp() {
      await mkdir(dir, { recursive: true });
      urls = (JSON.parse(await readFile(process.env.BENCH_MANIFEST!, 'utf8')) as { output: { url: string }[] }).output.map((o) => o.url);
      await fetchAll(urls.slice(-1));
    },
    async measured(phase) {
      phase('downloading');
      const bytes = await fetchAll(urls);
      phase('verifying');
      return { folder: dir, bytes, wireBytes: bytes, files: urls.length, resources: 0 };
    },
  };
}
