// Bulk export: the engine against `curl` fetching the same files with the same parallelism, in
// paired rounds over HTTPS and HTTP (the sandbox serves TLS with the test certificate in
// test/fixtures/tls); memory growth for a 1 GB and a 4 GB export; the event loop's delay while the
// engine runs; the bytes gzip saves; and 10,000 small files against the bare transport.
// `node --expose-gc out/test/bench/export.bench.js` (`npm run bench` runs it). Environment:
// EXPORT_BENCH_PATIENTS (default 8000 ≈ 1 GB), EXPORT_BENCH_PATIENTS_4GB (default 32000; 0 skips),
// EXPORT_BENCH_ROUNDS (default 3), EXPORT_BENCH_PARALLEL (default 4), EXPORT_BENCH_SMALL_FILES (default 10000; 0 skips),
// EXPORT_BENCH_PARTS (default rounds,4gb,gzip,small).
import { spawn, spawnSync } from 'node:child_process';
import { mkdir, mkdtemp, readFile, rm, statfs } from 'node:fs/promises';
import * as os from 'node:os';
import * as path from 'node:path';
import { Agent, request } from 'undici';
import { type RunningSandbox, type SandboxOptions, startSandbox } from '../../src/core/sandbox';
import { type ChildReport, runChild } from './exportChild';
import { curlRun } from './exportCurl';

const num = (name: string, fallback: number) => Number(process.env[name] ?? fallback);
const PATIENTS = num('EXPORT_BENCH_PATIENTS', 8000);
const PATIENTS_4GB = num('EXPORT_BENCH_PATIENTS_4GB', 32000);
const PARALLEL = num('EXPORT_BENCH_PARALLEL', 4);
// machines like this one are noisy from run to run: several rounds, and the median round counts
const ROUNDS = Math.max(1, num('EXPORT_BENCH_ROUNDS', 3));
const SMALL_FILES = num('EXPORT_BENCH_SMALL_FILES', 10_000);
// which parts run (while working on one): rounds, 4gb, gzip, small
const PARTS = new Set((process.env.EXPORT_BENCH_PARTS ?? 'rounds,4gb,gzip,small').split(','));
const MB = 1024 * 1024;
const TLS_DIR = path.join(__dirname, '..', '..', '..', 'test', 'fixtures', 'tls');
const CA = path.join(TLS_DIR, 'localhost.crt');

const cpuMs = (c: NodeJS.CpuUsage) => (c.user + c.system) / 1000;
const rate = (bytes: number, ms: number) => bytes / MB / (ms / 1000);
let tmp = '';
const engineRuns: ChildReport[] = [];
const bareRuns: ChildReport[] = [];

async function main(): Promise<void> {
  if (process.argv[2] === '--child') return runChild(process.argv[3]);
  tmp = await mkdtemp(path.join(os.tmpdir(), 'oneup-export-bench-'));
  const tls = { cert: await readFile(CA), key: await readFile(path.join(TLS_DIR, 'localhost.key')) };
  try {
    console.log(`${os.availableParallelism()} cores; ${PARALLEL} downloads at a time; ${ROUNDS} paired rounds per protocol of ${PATIENTS} generated patients`);
    const ratios: Record<string, number[]> = {};
    const growth: number[] = [];
    for (const protocol of PARTS.has('rounds') ? ['https', 'http'] as const : []) {
      await withSandbox({ patients: PATIENTS, exportGzip: false, ...(protocol === 'https' ? { tls } : {}) }, 1.3, async (sb) => {
        for (let i = 1; i <= ROUNDS; i++) {
          const r = await round(`${protocol} round ${i}`, sb);
          (ratios[protocol] ??= []).push(r.engineRate / r.curlRate);
          growth.push(r.growthMb);
        }
      });
      console.log(`engine vs curl over ${protocol}, per round: ${ratios[protocol].map((x) => x.toFixed(2)).join(', ')}; median ${median(ratios[protocol]).toFixed(2)}`);
    }
    if (PATIENTS_4GB > 0 && PARTS.has('4gb')) {
      await withSandbox({ patients: PATIENTS_4GB, exportGzip: false, tls }, 4.6, async (sb) => {
        const e = await child('engine', sb, { BENCH_WORKSPACE: await dirIn('ws-4gb') });
        engineRuns.push(e);
        const g = (e.peakRss - e.baseRss) / MB;
        console.log(`4 GB run: ${(e.bytes / MB).toFixed(0)} MB in ${e.files} files at ${rate(e.bytes, e.downloadMs).toFixed(0)} MB/s; RSS ${(e.baseRss / MB).toFixed(0)} → peak ${(e.peakRss / MB).toFixed(0)} MB; `
          + `event loop p99 ${e.loopP99Ms.toFixed(1)} ms`);
        console.log(`export memory growth MB (4 GB): ${g.toFixed(1)}`);
        await dropJob(sb, e.folder);
      });
    }
    if (PARTS.has('gzip')) await gzipRun(tls);
    if (SMALL_FILES > 0 && PARTS.has('small')) await smallFiles(tls);
    if (PARTS.has('rounds')) {
      // each round pairs the engine with curl under the same conditions; the median round is the figure
      console.log(`export throughput vs curl: ${median(ratios.https).toFixed(2)}`);
      console.log(`export throughput vs curl (http): ${median(ratios.http).toFixed(2)}`);
      // the memory goal holds "whatever the size": the worst 1 GB round counts
      console.log(`export memory growth MB: ${Math.max(...growth).toFixed(1)}`);
    }
    // on a machine whose cores are all busy the delay is mostly the process waiting for a core: the bare
    // transport (no engine, no verification) in the same rounds shows how much
    const worst = (runs: ChildReport[]) => Math.max(...runs.map((e) => e.loopP99Ms)).toFixed(1);
    console.log(`export event loop p99 ms: ${worst(engineRuns)} (worst run; the bare transport's worst in the same rounds: ${worst(bareRuns)})`);
  } finally {
    await rm(tmp, { recursive: true, force: true });
  }
}

interface Round { engineRate: number; curlRate: number; growthMb: number }

/** One export by the engine, then curl and the bare transport on the same files; prints the round's figures. */
async function round(name: string, sb: RunningSandbox): Promise<Round> {
  flushDisk();
  const engine = await child('engine', sb, { BENCH_WORKSPACE: await dirIn(`${name}-ws`) });
  engineRuns.push(engine);
  const manifestFile = path.join(engine.folder, 'manifest.json');
  const urls = (JSON.parse(await readFile(manifestFile, 'utf8')) as { output: { url: string }[] }).output.map((o) => o.url);
  flushDisk();
  const serverBefore = process.cpuUsage();
  const curl = await curlRun(urls, await dirIn(`${name}-curl`), { parallel: PARALLEL, headers: appHeaders(sb), cacert: sb.url.startsWith('https') ? CA : undefined });
  const curlServerCpu = cpuMs(process.cpuUsage(serverBefore));
  flushDisk();
  const bare = await child('transport', sb, { BENCH_MANIFEST: manifestFile, BENCH_OUT: await dirIn(`${name}-transport`) });
  bareRuns.push(bare);
  for (const [who, bytes] of [['curl', curl.bytes], ['transport', bare.bytes]] as const) {
    if (bytes !== engine.bytes) throw new Error(`${who} fetched ${bytes} bytes, the engine ${engine.bytes}`);
  }
  const r: Round = { engineRate: rate(engine.bytes, engine.downloadMs), curlRate: rate(curl.bytes, curl.ms), growthMb: (engine.peakRss - engine.baseRss) / MB };
  const gb = engine.bytes / (1024 * MB);
  const say = (line: string) => console.log(`${name}: ${line}`);
  say(`${(engine.bytes / MB).toFixed(0)} MB in ${urls.length} files, ${engine.resources} resources (written by the sandbox in ${(engine.waitMs / 1000).toFixed(1)} s, not timed)`);
  say(`engine download+verify ${(engine.downloadMs / 1000).toFixed(2)} s = ${r.engineRate.toFixed(0)} MB/s; curl ${(curl.ms / 1000).toFixed(2)} s = ${r.curlRate.toFixed(0)} MB/s; `
    + `bare transport ${(bare.downloadMs / 1000).toFixed(2)} s = ${rate(bare.bytes, bare.downloadMs).toFixed(0)} MB/s; engine/curl ${(r.engineRate / r.curlRate).toFixed(2)}`);
  const curlCpu = curl.cpuMs === undefined ? 'n/a' : (curl.cpuMs / 1000 / gb).toFixed(2);
  say(`CPU s per GB: engine ${(engine.downloadCpuMs / 1000 / gb).toFixed(2)}, bare transport ${(bare.downloadCpuMs / 1000 / gb).toFixed(2)}, curl ${curlCpu}; `
    + `sandbox serving ${(engine.serverCpuMs / 1000 / gb).toFixed(2)} / ${(bare.serverCpuMs / 1000 / gb).toFixed(2)} / ${(curlServerCpu / 1000 / gb).toFixed(2)}`);
  if (curl.cpuMs !== undefined) {
    // with every core busy (the sandbox shares the machine), wall time follows the CPU both sides need
    const bound = (curl.cpuMs + curlServerCpu) / (engine.downloadCpuMs + engine.serverCpuMs);
    say(`CPU of downloader + sandbox, curl's over the engine's: ${bound.toFixed(2)} (the ratio to expect when CPU-bound)`);
  }
  say(`engine RSS ${(engine.coldRss / MB).toFixed(0)} MB cold, ${(engine.baseRss / MB).toFixed(0)} MB after a warm-up export, peak ${(engine.peakRss / MB).toFixed(0)} MB `
    + `(growth ${r.growthMb.toFixed(1)} MB); event loop p99 ${engine.loopP99Ms.toFixed(1)} ms; bare transport growth ${((bare.peakRss - bare.baseRss) / MB).toFixed(1)} MB, event loop p99 ${bare.loopP99Ms.toFixed(1)} ms`);
  await dropJob(sb, engine.folder);
  await rm(path.join(tmp, name.replace(/ /g, '-')), { recursive: true, force: true });
  for (const d of ['ws', 'curl', 'transport']) await rm(path.join(tmp, `${name}-${d}`.replace(/ /g, '-')), { recursive: true, force: true });
  return r;
}

/** Bytes on the wire against bytes on disk with gzip negotiated, and curl --compressed on the same files. */
async function gzipRun(tls: SandboxOptions['tls']): Promise<void> {
  await withSandbox({ patients: Math.max(200, Math.round(PATIENTS / 4)), tls }, 0.4, async (sb) => {
    const e = await child('engine', sb, { BENCH_WORKSPACE: await dirIn('ws-gzip') });
    engineRuns.push(e);
    const urls = (JSON.parse(await readFile(path.join(e.folder, 'manifest.json'), 'utf8')) as { output: { url: string }[] }).output.map((o) => o.url);
    const curl = await curlRun(urls, await dirIn('curl-gzip'), { parallel: PARALLEL, headers: appHeaders(sb), cacert: CA, compressed: true });
    console.log(`gzip run: ${(e.bytes / MB).toFixed(0)} MB of NDJSON came as ${(e.wireBytes / MB).toFixed(1)} MB; engine ${rate(e.bytes, e.downloadMs).toFixed(0)} MB/s decoded, `
      + `curl --compressed ${(curl.bytes / MB).toFixed(1)} MB in ${(curl.ms / 1000).toFixed(2)} s = ${rate(e.bytes, curl.ms).toFixed(0)} MB/s decoded; engine event loop p99 ${e.loopP99Ms.toFixed(1)} ms`);
    console.log(`export wire bytes vs identity: ${(e.wireBytes / e.bytes).toFixed(3)}`);
    await dropJob(sb, e.folder);
  });
}

/** About 10,000 files of a few KB: the engine's files per second against the bare transport's on the same files. */
async function smallFiles(tls: SandboxOptions['tls']): Promise<void> {
  // ~5 resources a file; 400 patients hold ~60,000 resources
  const patients = Math.max(20, Math.round(SMALL_FILES * 0.045));
  await withSandbox({ patients, exportMaxResourcesPerFile: 5, exportGzip: false, tls }, 0.3, async (sb) => {
    // the first export also warms the sandbox up (its first thousands of file answers are the slowest):
    // it is shown but not counted; the bare transport and the engine then fetch the same files
    const e = await child('engine', sb, { BENCH_WORKSPACE: await dirIn('ws-small') });
    engineRuns.push(e);
    const bare = await child('transport', sb, { BENCH_MANIFEST: path.join(e.folder, 'manifest.json'), BENCH_OUT: await dirIn('small-transport') });
    bareRuns.push(bare);
    await dropJob(sb, e.folder);
    const again = await child('engine', sb, { BENCH_WORKSPACE: await dirIn('ws-small-2') });
    engineRuns.push(again);
    const perSecond = (r: ChildReport) => r.files / (r.downloadMs / 1000);
    console.log(`small files: ${e.files} files of ${(e.bytes / e.files / 1024).toFixed(1)} KB on average; engine ${(again.downloadMs / 1000).toFixed(1)} s `
      + `(${(e.downloadMs / 1000).toFixed(1)} s while warming the sandbox up), bare transport ${(bare.downloadMs / 1000).toFixed(1)} s; `
      + `event loop p99 engine ${again.loopP99Ms.toFixed(1)} ms, bare transport ${bare.loopP99Ms.toFixed(1)} ms`);
    console.log(`export small files per second: ${perSecond(again).toFixed(0)} (bare transport on the same files: ${perSecond(bare).toFixed(0)})`);
    await dropJob(sb, again.folder);
  });
}

/** A sandbox whose files live in memory when /dev/shm has room for `gigabytes` (written to disk, the kernel flushes them mid-measurement). */
async function withSandbox(o: SandboxOptions, gigabytes: number, work: (sb: RunningSandbox) => Promise<void>): Promise<void> {
  const memory = await memoryDir(gigabytes * 1024 * MB);
  const sb = await startSandbox({ exportStyle: 'async', exportRetryAfterSeconds: 1, exportMaxResourcesPerFile: 100_000, ...o, dataDir: memory ?? path.join(tmp, 'sandbox') });
  try {
    await work(sb);
  } finally {
    await sb.close();
    if (memory) await rm(memory, { recursive: true, force: true });
  }
}

function appHeaders(sb: RunningSandbox): Record<string, string> {
  return { client_id: sb.credentials.clientId, client_secret: sb.credentials.clientSecret, 'x-oneup-user-id': 'client' };
}

/** Deletes the export's job on the sandbox, so its files do not pile up in memory round after round. */
async function dropJob(sb: RunningSandbox, folder: string): Promise<void> {
  const state = JSON.parse(await readFile(path.join(folder, '.export-state.json'), 'utf8')) as { statusUrl?: string };
  if (!state.statusUrl) return;
  const dispatcher = new Agent({ connect: { ca: await readFile(CA) } });
  try {
    const res = await request(state.statusUrl, { method: 'DELETE', headers: appHeaders(sb), dispatcher });
    await res.body.dump();
  } finally {
    await dispatcher.close();
  }
}

async function dirIn(name: string): Promise<string> {
  const d = path.join(tmp, name.replace(/ /g, '-'));
  await mkdir(d, { recursive: true });
  return d;
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
}

/** A fresh folder on /dev/shm when it has `bytes` free (and a margin), else undefined. */
async function memoryDir(bytes: number): Promise<string | undefined> {
  try {
    const s = await statfs('/dev/shm');
    // /dev/shm is memory: its own limit, and what the machine has free (other work shares it)
    if (s.bavail * s.bsize < bytes + 2048 * MB || os.freemem() < bytes + 4096 * MB) return undefined;
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
function child(mode: 'engine' | 'transport', sb: RunningSandbox, env: Record<string, string>): Promise<ChildReport & { serverCpuMs: number }> {
  const base = {
    BENCH_URL: sb.url, BENCH_CLIENT_ID: sb.credentials.clientId, BENCH_CLIENT_SECRET: sb.credentials.clientSecret, BENCH_PARALLEL: String(PARALLEL),
    // the sandbox's test certificate, trusted the way a corporate CA added to Node would be
    NODE_EXTRA_CA_CERTS: CA,
  };
  return new Promise((resolve, reject) => {
    const c = spawn(process.execPath, ['--expose-gc', __filename, '--child', mode], { stdio: ['ignore', 'pipe', 'inherit'], env: { ...process.env, ...base, ...env } });
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

main().then(() => process.exit(0), (e) => {
  console.error(e);
  process.exit(1);
});
