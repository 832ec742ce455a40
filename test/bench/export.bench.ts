// Bulk export download speed and memory: the engine against `curl` fetching the same files with
// the same parallelism, in one run, against a local sandbox serving a ≥ 1 GB export in ≥ 8 files.
// `node --expose-gc out/test/bench/export.bench.js` (`npm run bench` runs it). Environment:
// EXPORT_BENCH_PATIENTS (default 8000 ≈ 1.03 GiB), EXPORT_BENCH_PARALLEL (default 4), EXPORT_BENCH_ROUNDS (default 3),
// BENCH_MINOR_GC_MS (diagnostic: a minor GC in the download processes every so many ms).
import { spawn, spawnSync } from 'node:child_process';
import { access, mkdir, mkdtemp, readFile, rm, statfs } from 'node:fs/promises';
import * as os from 'node:os';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { startSandbox } from '../../src/core/sandbox';
import { type ChildReport, runChild } from './exportChild';

const PATIENTS = Number(process.env.EXPORT_BENCH_PATIENTS ?? 8000);
const PARALLEL = Number(process.env.EXPORT_BENCH_PARALLEL ?? 4);
// machines like this one are noisy from run to run: several rounds, and the median round counts
const ROUNDS = Math.max(1, Number(process.env.EXPORT_BENCH_ROUNDS ?? 3));
const MB = 1024 * 1024;
type Creds = { clientId: string; clientSecret: string };

const cpuMs = (c: NodeJS.CpuUsage) => (c.user + c.system) / 1000;

async function main(): Promise<void> {
  if (process.argv[2] === '--child') return runChild(process.argv[3]);
  const tmp = await mkdtemp(path.join(tmpdir(), 'oneup-export-bench-'));
  // the sandbox's own files (its data and the export it writes) in memory where there is room:
  // written to disk, the kernel flushes them ~30 s later, in the middle of the measured downloads
  const serverDir = await memoryDir((2 + 1.2 * ROUNDS) * 1024 * MB) ?? path.join(tmp, 'sandbox');
  const sb = await startSandbox({
    patients: PATIENTS, dataDir: serverDir, exportStyle: 'async', exportRetryAfterSeconds: 1,
    exportMaxResourcesPerFile: 100_000,
  });
  try {
    console.log(`sandbox at ${sb.url}, ${PATIENTS} generated patients; ${PARALLEL} downloads at a time; ${ROUNDS} rounds`);
    const base = { BENCH_URL: sb.url, BENCH_CLIENT_ID: sb.credentials.clientId, BENCH_CLIENT_SECRET: sb.credentials.clientSecret, BENCH_PARALLEL: String(PARALLEL) };
    const rounds: Round[] = [];
    for (let i = 1; i <= ROUNDS; i++) {
      const r = await round(i, base, sb.credentials, path.join(tmp, `round-${i}`));
      rounds.push(r);
    }
    const ratios = rounds.map((r) => r.engineRate / r.curlRate);
    console.log(`engine vs curl per round: ${ratios.map((x) => x.toFixed(2)).join(', ')}; bare transport vs curl: ${rounds.map((r) => (r.bareRate / r.curlRate).toFixed(2)).join(', ')}`);
    // each round pairs the engine with curl under the same conditions; the median round is the figure
    console.log(`export throughput vs curl: ${median(ratios).toFixed(2)}`);
    // the memory goal holds "whatever the size": the worst round counts
    console.log(`export memory growth MB: ${Math.max(...rounds.map((r) => r.growthMb)).toFixed(1)}`);
  } finally {
    await sb.close();
    await rm(tmp, { recursive: true, force: true });
    await rm(serverDir, { recursive: true, force: true });
  }
}

interface Round { engineRate: number; curlRate: number; bareRate: number; growthMb: number }

/** One export by the engine, then curl and the bare transport on the same files; prints the round's figures. */
async function round(n: number, base: Record<string, string>, creds: Creds, dir: string): Promise<Round> {
  await mkdir(path.join(dir, 'workspace'), { recursive: true });
  flushDisk();
  const engine = await child('engine', { ...base, BENCH_WORKSPACE: path.join(dir, 'workspace') });
  const manifestFile = path.join(engine.folder, 'manifest.json');
  const urls = (JSON.parse(await readFile(manifestFile, 'utf8')) as { output: { url: string }[] }).output.map((o) => o.url);
  flushDisk();
  const serverBefore = process.cpuUsage();
  const curl = await curlRun(urls, creds, path.join(dir, 'curl'));
  const curlServerCpu = cpuMs(process.cpuUsage(serverBefore));
  flushDisk();
  const bare = await child('transport', { ...base, BENCH_MANIFEST: manifestFile, BENCH_OUT: path.join(dir, 'transport') });
  for (const [who, bytes] of [['curl', curl.bytes], ['transport', bare.bytes]] as const) {
    if (bytes !== engine.bytes) throw new Error(`${who} fetched ${bytes} bytes, the engine ${engine.bytes}`);
  }
  const rate = (bytes: number, ms: number) => bytes / MB / (ms / 1000);
  const r: Round = {
    engineRate: rate(engine.bytes, engine.downloadMs), curlRate: rate(curl.bytes, curl.ms), bareRate: rate(bare.bytes, bare.downloadMs),
    growthMb: (engine.peakRss - engine.baseRss) / MB,
  };
  const gb = engine.bytes / (1024 * MB);
  const say = (line: string) => console.log(`round ${n}: ${line}`);
  say(`export of ${(engine.bytes / MB).toFixed(0)} MB in ${urls.length} files, ${engine.resources} resources; the sandbox wrote it in ${(engine.waitMs / 1000).toFixed(1)} s (not timed)`);
  say(`engine download+verify ${(engine.downloadMs / 1000).toFixed(2)} s = ${r.engineRate.toFixed(0)} MB/s; curl ${(curl.ms / 1000).toFixed(2)} s = ${r.curlRate.toFixed(0)} MB/s; `
    + `bare transport, no verification ${(bare.downloadMs / 1000).toFixed(2)} s = ${r.bareRate.toFixed(0)} MB/s`);
  const curlCpu = curl.cpuMs === undefined ? 'n/a' : (curl.cpuMs / 1000 / gb).toFixed(2);
  say(`CPU s per GB: engine ${(engine.downloadCpuMs / 1000 / gb).toFixed(2)}, bare transport ${(bare.downloadCpuMs / 1000 / gb).toFixed(2)}, curl ${curlCpu}; `
    + `sandbox serving ${(engine.serverCpuMs / 1000 / gb).toFixed(2)} / ${(bare.serverCpuMs / 1000 / gb).toFixed(2)} / ${(curlServerCpu / 1000 / gb).toFixed(2)}`);
  if (curl.cpuMs !== undefined) {
    // with every core busy (the sandbox shares the machine), wall time follows the CPU both sides need
    const bound = (curl.cpuMs + curlServerCpu) / (engine.downloadCpuMs + engine.serverCpuMs);
    say(`${os.availableParallelism()} cores; CPU of downloader + sandbox, curl's over the engine's: ${bound.toFixed(2)} (the ratio to expect when CPU-bound); measured ${(r.engineRate / r.curlRate).toFixed(2)}`);
  }
  say(`engine RSS ${(engine.coldRss / MB).toFixed(0)} MB cold, ${(engine.baseRss / MB).toFixed(0)} MB after a small warm-up export, peak ${(engine.peakRss / MB).toFixed(0)} MB (growth ${r.growthMb.toFixed(1)} MB); `
    + `bare transport growth ${((bare.peakRss - bare.baseRss) / MB).toFixed(1)} MB; largest curl process ${curl.peakRss === undefined ? 'n/a' : `${(curl.peakRss / MB).toFixed(0)} MB`}`);
  // each round writes 3 GB: keep the disk to one round's worth
  await rm(dir, { recursive: true, force: true });
  return r;
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
}

/** A fresh folder on /dev/shm when it has `bytes` free, else undefined. */
async function memoryDir(bytes: number): Promise<string | undefined> {
  try {
    const s = await statfs('/dev/shm');
    if (s.bavail * s.bsize < bytes) return undefined;
    return await mkdtemp('/dev/shm/oneup-export-bench-');
  } catch {
    return undefined;
  }
}

/** Flushes written files to disk, so that one run's writeback does not land in the next run. */
function flushDisk(): void {
  spawnSync('sync', { stdio: 'ignore' });
}

/** Runs a benchmark child (see exportChild.ts) and notes the sandbox's (this process's) CPU while it downloads. */
function child(mode: 'engine' | 'transport', env: Record<string, string>): Promise<ChildReport & { serverCpuMs: number }> {
  return new Promise((resolve, reject) => {
    const c = spawn(process.execPath, ['--expose-gc', __filename, '--child', mode], { stdio: ['ignore', 'pipe', 'inherit'], env: { ...process.env, ...env } });
    let out = '';
    let cpuAtStart: NodeJS.CpuUsage | undefined;
    let serverCpuMs = 0;
    c.stdout.on('data', (d: Buffer) => {
      out += d.toString();
      if (!cpuAtStart && out.includes('PHASE downloading')) cpuAtStart = process.cpuUsage();
      if (cpuAtStart && !serverCpuMs && out.includes('PHASE verifying')) serverCpuMs = cpuMs(process.cpuUsage(cpuAtStart));
    });
    c.on('error', reject);
    c.on('close', (code) => {
      const line = out.split('\n').find((l) => l.startsWith('{'));
      if (code !== 0 || !line) reject(new Error(`${mode} child exited ${code}: ${out.slice(-2000)}`));
      else resolve({ ...(JSON.parse(line) as ChildReport), serverCpuMs });
    });
  });
}

interface CurlReport { bytes: number; ms: number; cpuMs?: number; peakRss?: number }

/** Downloads the URLs with PARALLEL curls at a time; with /usr/bin/time, also their CPU time and largest RSS. */
async function curlRun(urls: string[], creds: Creds, dir: string): Promise<CurlReport> {
  await mkdir(dir, { recursive: true });
  const timed = await access('/usr/bin/time').then(() => true, () => false);
  const headers = ['-H', `client_id: ${creds.clientId}`, '-H', `client_secret: ${creds.clientSecret}`, '-H', 'x-oneup-user-id: client'];
  let next = 0;
  const report: CurlReport = { bytes: 0, ms: 0, cpuMs: timed ? 0 : undefined, peakRss: timed ? 0 : undefined };
  const t0 = performance.now();
  const worker = async () => {
    while (next < urls.length) {
      const i = next++;
      const curl = ['curl', '-s', '-f', '-o', path.join(dir, `${i}.ndjson`), '-w', '%{size_download}', ...headers, urls[i]];
      const [cmd, ...args] = timed ? ['/usr/bin/time', '-f', 'TIME %U %S %M', ...curl] : curl;
      const { out, err } = await new Promise<{ out: string; err: string }>((resolve, reject) => {
        const c = spawn(cmd, args, { stdio: ['ignore', 'pipe', 'pipe'] });
        let o = '';
        let e = '';
        c.stdout.on('data', (d: Buffer) => { o += d.toString(); });
        c.stderr.on('data', (d: Buffer) => { e += d.toString(); });
        c.on('error', reject);
        c.on('close', (code) => (code === 0 ? resolve({ out: o, err: e }) : reject(new Error(`curl exited ${code}: ${e}`))));
      });
      report.bytes += Number(out);
      const t = /TIME ([\d.]+) ([\d.]+) (\d+)/.exec(err);
      if (t && report.cpuMs !== undefined && report.peakRss !== undefined) {
        report.cpuMs += (Number(t[1]) + Number(t[2])) * 1000;
        report.peakRss = Math.max(report.peakRss, Number(t[3]) * 1024);
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(PARALLEL, urls.length) }, worker));
  report.ms = performance.now() - t0;
  return report;
}

main().then(() => process.exit(0), (e) => {
  console.error(e);
  process.exit(1);
});
