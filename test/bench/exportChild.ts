// The engine's side of the export benchmark, run in its own process so that its RSS and CPU are
// the engine's alone. Prints `PHASE <name>` lines as the export moves on (the parent notes the
// sandbox's CPU at those moments) and one JSON report line at the end.
import { createOneUpClient } from '../../src/core/api';
import { startBulkExport } from '../../src/core/bulkExport';
import { sandboxEnvironment } from '../../src/core/environments';

export interface ChildReport {
  folder: string;
  bytes: number;
  resources: number;
  /** kick-off until the first download starts: the server writing the export */
  waitMs: number;
  /** first download start until every file is verified and in place */
  downloadMs: number;
  /** CPU time of the whole engine process (all threads) during the downloads */
  downloadCpuMs: number;
  /** RSS after a small warm-up export (client, undici and engine code loaded and run) */
  baseRss: number;
  /** highest RSS seen during the big export */
  peakRss: number;
  /** RSS before anything ran, for the cold view */
  coldRss: number;
}

export async function runEngineChild(): Promise<void> {
  const env = process.env;
  const gc = (globalThis as { gc?: () => void }).gc ?? (() => undefined);
  gc();
  const coldRss = process.memoryUsage().rss;
  const client = createOneUpClient({
    environment: sandboxEnvironment(env.BENCH_URL!), userAgent: 'export-bench',
    credentials: async () => ({ clientId: env.BENCH_CLIENT_ID!, clientSecret: env.BENCH_CLIENT_SECRET! }),
  });
  const parallel = Number(env.BENCH_PARALLEL ?? 4);
  await startBulkExport(env.BENCH_WORKSPACE!, { version: 'r4', scope: { kind: 'app' }, types: ['Organization', 'Practitioner'] }, { transport: client.transport, parallel });
  gc();
  const baseRss = process.memoryUsage().rss;
  const maxBefore = process.resourceUsage().maxRSS * 1024;
  let peakRss = baseRss;
  const sampler = setInterval(() => { peakRss = Math.max(peakRss, process.memoryUsage().rss); }, 20);
  const t0 = performance.now();
  let downloadStart = 0;
  let downloadEnd = 0;
  let cpuStart = process.cpuUsage();
  let cpuEnd = cpuStart;
  let phase = '';
  const result = await startBulkExport(env.BENCH_WORKSPACE!, { version: 'r4', scope: { kind: 'app' } }, {
    transport: client.transport,
    parallel,
    onProgress: (p) => {
      if (p.phase === phase) return;
      phase = p.phase;
      process.stdout.write(`PHASE ${phase}\n`);
      if (phase === 'downloading') {
        downloadStart = performance.now();
        cpuStart = process.cpuUsage();
      }
      if (phase === 'verifying') {
        downloadEnd = performance.now();
        cpuEnd = process.cpuUsage();
      }
    },
  });
  clearInterval(sampler);
  peakRss = Math.max(peakRss, process.memoryUsage().rss);
  // the lifetime peak, when the big export pushed it past the warm-up's, catches spikes between samples
  const maxAfter = process.resourceUsage().maxRSS * 1024;
  if (maxAfter > maxBefore) peakRss = Math.max(peakRss, maxAfter);
  await client.dispose();
  if (!result.summary.complete) throw new Error(`the export is incomplete: ${JSON.stringify(result.summary.errors.slice(0, 3))}`);
  const cpu = (c: NodeJS.CpuUsage) => (c.user + c.system) / 1000;
  const report: ChildReport = {
    folder: result.folder, bytes: result.summary.bytes, resources: result.summary.resources,
    waitMs: downloadStart - t0, downloadMs: downloadEnd - downloadStart, downloadCpuMs: cpu(cpuEnd) - cpu(cpuStart),
    baseRss, peakRss, coldRss,
  };
  process.stdout.write(`${JSON.stringify(report)}\n`);
}
