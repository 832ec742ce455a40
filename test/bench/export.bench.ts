// Bulk export download speed and memory: the engine against `curl` fetching the same files with
// the same parallelism, in one run, against a local sandbox serving a ≥ 1 GB export in ≥ 8 files.
// `node --expose-gc out/test/bench/export.bench.js` (`npm run bench` runs it). Environment:
// EXPORT_BENCH_PATIENTS (default 7600 ≈ 1 GB), EXPORT_BENCH_PARALLEL (default 4).
import { spawn } from 'node:child_process';
import { mkdir, mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { startSandbox } from '../../src/core/sandbox';
import { type ChildReport, runEngineChild } from './exportChild';

const PATIENTS = Number(process.env.EXPORT_BENCH_PATIENTS ?? 7600);
const PARALLEL = Number(process.env.EXPORT_BENCH_PARALLEL ?? 4);
const MB = 1024 * 1024;
type Creds = { clientId: string; clientSecret: string };

const cpuMs = (c: NodeJS.CpuUsage) => (c.user + c.system) / 1000;

async function main(): Promise<void> {
  if (process.argv[2] === '--child') return runEngineChild();
  const tmp = await mkdtemp(path.join(tmpdir(), 'oneup-export-bench-'));
  const sb = await startSandbox({
    patients: PATIENTS, dataDir: path.join(tmp, 'sandbox'), exportStyle: 'async', exportRetryAfterSeconds: 1,
    exportMaxResourcesPerFile: 100_000,
  });
  try {
    console.log(`sandbox at ${sb.url}, ${PATIENTS} generated patients; ${PARALLEL} downloads at a time`);
    await mkdir(path.join(tmp, 'workspace'));
    const engine = await engineRun(sb.url, sb.credentials, path.join(tmp, 'workspace'));
    const manifest = JSON.parse(await readFile(path.join(engine.folder, 'manifest.json'), 'utf8')) as { output: { url: string }[] };
    const urls = manifest.output.map((o) => o.url);
    const serverBefore = process.cpuUsage();
    const curl = await curlRun(urls, sb.credentials, path.join(tmp, 'curl'));
    const curlServerCpu = cpuMs(process.cpuUsage(serverBefore));
    if (curl.bytes !== engine.bytes) throw new Error(`curl fetched ${curl.bytes} bytes, the engine ${engine.bytes}`);
    const engineRate = engine.bytes / MB / (engine.downloadMs / 1000);
    const curlRate = curl.bytes / MB / (curl.ms / 1000);
    const gb = engine.bytes / (1024 * MB);
    console.log(`export: ${(engine.bytes / MB).toFixed(0)} MB in ${urls.length} files, ${engine.resources} resources`);
    console.log(`sandbox writing the export (not timed): ${(engine.waitMs / 1000).toFixed(1)} s`);
    console.log(`engine download+verify: ${(engine.downloadMs / 1000).toFixed(2)} s = ${engineRate.toFixed(0)} MB/s`);
    console.log(`curl download:          ${(curl.ms / 1000).toFixed(2)} s = ${curlRate.toFixed(0)} MB/s`);
    console.log(`CPU s per GB: engine ${(engine.downloadCpuMs / 1000 / gb).toFixed(2)}, curl ${(curl.cpuMs / 1000 / gb).toFixed(2)}; `
      + `sandbox serving: ${(engine.serverCpuMs / 1000 / gb).toFixed(2)} (engine run), ${(curlServerCpu / 1000 / gb).toFixed(2)} (curl run)`);
    console.log(`engine RSS: ${(engine.coldRss / MB).toFixed(0)} MB cold, ${(engine.baseRss / MB).toFixed(0)} MB after a small warm-up export, `
      + `peak ${(engine.peakRss / MB).toFixed(0)} MB during this one (${((engine.peakRss - engine.coldRss) / MB).toFixed(1)} MB above cold)`);
    console.log(`export throughput vs curl: ${(engineRate / curlRate).toFixed(2)}`);
    console.log(`export memory growth MB: ${((engine.peakRss - engine.baseRss) / MB).toFixed(1)}`);
  } finally {
    await sb.close();
    await rm(tmp, { recursive: true, force: true });
  }
}

/** Runs the engine in a child process and notes the sandbox's (this process's) CPU while it downloads. */
function engineRun(url: string, creds: Creds, workspace: string): Promise<ChildReport & { serverCpuMs: number }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--expose-gc', __filename, '--child'], {
      stdio: ['ignore', 'pipe', 'inherit'],
      env: { ...process.env, BENCH_URL: url, BENCH_CLIENT_ID: creds.clientId, BENCH_CLIENT_SECRET: creds.clientSecret, BENCH_WORKSPACE: workspace, BENCH_PARALLEL: String(PARALLEL) },
    });
    let out = '';
    let cpuAtStart: NodeJS.CpuUsage | undefined;
    let serverCpuMs = 0;
    child.stdout.on('data', (d: Buffer) => {
      out += d.toString();
      if (!cpuAtStart && out.includes('PHASE downloading')) cpuAtStart = process.cpuUsage();
      if (cpuAtStart && !serverCpuMs && out.includes('PHASE verifying')) serverCpuMs = cpuMs(process.cpuUsage(cpuAtStart));
    });
    child.on('error', reject);
    child.on('close', (code) => {
      const line = out.split('\n').find((l) => l.startsWith('{'));
      if (code !== 0 || !line) reject(new Error(`engine child exited ${code}: ${out.slice(-2000)}`));
      else resolve({ ...(JSON.parse(line) as ChildReport), serverCpuMs });
    });
  });
}

/** Downloads the URLs with PARALLEL curls at a time; answers bytes, wall time and curl's CPU time. */
async function curlRun(urls: string[], creds: Creds, dir: string): Promise<{ bytes: number; ms: number; cpuMs: number }> {
  await mkdir(dir, { recursive: true });
  const headers = `-H 'client_id: ${creds.clientId}' -H 'client_secret: ${creds.clientSecret}' -H 'x-oneup-user-id: client'`;
  let next = 0;
  let bytes = 0;
  let cpu = 0;
  const t0 = performance.now();
  const worker = async () => {
    while (next < urls.length) {
      const i = next++;
      // `times` prints the CPU time of the shell's children (curl) on its second line
      const script = `curl -s -f -o '${path.join(dir, `${i}.ndjson`)}' -w '%{size_download}\\n' ${headers} '${urls[i]}' && times`;
      const out = await new Promise<string>((resolve, reject) => {
        const c = spawn('sh', ['-c', script], { stdio: ['ignore', 'pipe', 'inherit'] });
        let o = '';
        c.stdout.on('data', (d: Buffer) => { o += d.toString(); });
        c.on('error', reject);
        c.on('close', (code) => (code === 0 ? resolve(o) : reject(new Error(`curl exited ${code}`))));
      });
      const [size, , children] = out.trim().split('\n');
      bytes += Number(size);
      for (const m of children.matchAll(/(\d+)m([\d.]+)s/g)) cpu += (Number(m[1]) * 60 + Number(m[2])) * 1000;
    }
  };
  await Promise.all(Array.from({ length: Math.min(PARALLEL, urls.length) }, worker));
  return { bytes, ms: performance.now() - t0, cpuMs: cpu };
}

main().then(() => process.exit(0), (e) => {
  console.error(e);
  process.exit(1);
});
