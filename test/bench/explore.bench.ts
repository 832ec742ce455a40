// The NDJSON explorer on a generated ≥ 1 GB Observation file, each figure against a baseline in
// the same run: first rows (open → rows rendered in Chromium), index throughput over a plain
// sequential read, a FHIRPath filter over jq doing the same filter, and the memory the viewing
// process grows by while indexing, scrolling and filtering (a 256 MB file and the 1 GB one).
// `node --expose-gc out/test/bench/explore.bench.js` (`npm run bench explore`). Environment:
// EXPLORE_BENCH_PATIENTS (default 11000 ≈ 1.04 GiB), EXPLORE_BENCH_WORKERS (default: the pool's).
import { spawn, spawnSync } from 'node:child_process';
import { createReadStream } from 'node:fs';
import { mkdtemp, open, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { WorkerPool } from '../../src/core/explore/pool';
import { NdjsonSession } from '../../src/core/explore/session';
import type { NdjsonViewerUpdate } from '../../src/core/webviewProtocol/ndjsonViewer';
import { sandboxExport } from '../explore/generate';
import { bridge, WORKER_SCRIPT } from '../unit/explore/bridge';
import { buildClients, launchChromium, openWebview, startWebviewServer } from '../unit/render/browser/harness';

const PATIENTS = Number(process.env.EXPLORE_BENCH_PATIENTS ?? 11_000);
const WORKERS = process.env.EXPLORE_BENCH_WORKERS ? Number(process.env.EXPLORE_BENCH_WORKERS) : undefined;
const MB = 1024 * 1024;
const FILTER = "code.coding.code = '8867-4'";
const JQ_FILTER = 'select([.code.coding[]?.code] == ["8867-4"])';
const FULL_FILTER = 'effectiveDateTime >= @2021-01-01';
const JQ_FULL_FILTER = 'select((.effectiveDateTime // "") >= "2021-01-01")';

interface ChildReport { bytes: number; indexMs: number; rows: number; filterMs: number; matched: number; fullFilterMs: number; fullMatched: number; baseRss: number; peakRss: number }

const gc = () => (globalThis as { gc?: () => void }).gc?.();

/** The viewing side, in its own process so its RSS is its own: open, index, scroll, filter. */
async function child(file: string, warmFile: string): Promise<void> {
  const pool = new WorkerPool(WORKER_SCRIPT, WORKERS);
  const post = (_u: NdjsonViewerUpdate) => undefined;
  const open = (f: string) => NdjsonSession.open({ path: f, title: path.basename(f), pool, version: 'r4', versionKnown: true, post });
  // warm-up: code loaded, workers started, one small file indexed, scrolled and filtered
  const warm = await open(warmFile);
  await warm.ndjson.indexed;
  await warm.handle({ type: 'rows', viewId: 'ndjson:1', seq: 1, from: 0, count: 100 });
  await warm.setFilter(FILTER);
  await warm.close();
  gc();
  await new Promise((r) => setTimeout(r, 200));
  const baseRss = process.memoryUsage().rss;
  let peakRss = baseRss;
  const sampler = setInterval(() => { peakRss = Math.max(peakRss, process.memoryUsage().rss); }, 20);
  const t0 = performance.now();
  const s = await open(file);
  await s.ndjson.indexed;
  const indexMs = performance.now() - t0;
  const rows = s.ndjson.rowCount;
  const viewId = s.view().viewId;
  // scroll: windows across the whole file, the last one included
  for (let i = 0; i <= 200; i++) {
    const from = i === 200 ? rows - 100 : Math.floor(Math.random() * (rows - 100));
    await s.handle({ type: 'rows', viewId, seq: i, from, count: 100 });
  }
  const t1 = performance.now();
  const f = await s.setFilter(FILTER);
  const filterMs = performance.now() - t1;
  const t2 = performance.now();
  const full = await s.setFilter(FULL_FILTER);
  const fullFilterMs = performance.now() - t2;
  clearInterval(sampler);
  const report: ChildReport = { bytes: (await stat(file)).size, indexMs, rows, filterMs, matched: f?.matched ?? -1, fullFilterMs, fullMatched: full?.matched ?? -1, baseRss, peakRss };
  await s.close();
  await pool.close();
  process.stdout.write(`${JSON.stringify(report)}\n`);
}

function runChild(file: string, warmFile: string): Promise<ChildReport> {
  return new Promise((resolve, reject) => {
    const c = spawn(process.execPath, ['--expose-gc', __filename, '--child', file, warmFile], { stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    c.stdout.on('data', (d: Buffer) => { out += d.toString(); });
    c.on('error', reject);
    c.on('close', (code) => {
      const line = out.split('\n').find((l) => l.startsWith('{'));
      if (code !== 0 || !line) reject(new Error(`child exited ${code}: ${out.slice(-2000)}`));
      else resolve(JSON.parse(line) as ChildReport);
    });
  });
}

async function readStreamMs(file: string): Promise<number> {
  const t = performance.now();
  for await (const _chunk of createReadStream(file)) { /* only reading */ }
  return performance.now() - t;
}

function timed(cmd: string): { ms: number; out: string } {
  const t = performance.now();
  const r = spawnSync('sh', ['-c', cmd], { encoding: 'utf8', maxBuffer: 64 * MB });
  if (r.status !== 0) throw new Error(`${cmd} failed: ${r.stderr}`);
  return { ms: performance.now() - t, out: r.stdout };
}

/** The first `bytes` of a file, cut at a line end. */
async function prefix(file: string, to: string, bytes: number): Promise<void> {
  const fh = await open(file, 'r');
  const buf = Buffer.allocUnsafe(bytes);
  const { bytesRead } = await fh.read(buf, 0, bytes, 0);
  await fh.close();
  const end = buf.subarray(0, bytesRead).lastIndexOf(0x0a) + 1;
  const out = await open(to, 'w');
  await out.write(buf.subarray(0, end));
  await out.close();
}

async function firstRowsMs(file: string): Promise<number> {
  const server = await startWebviewServer(await buildClients());
  const browser = await launchChromium();
  const pool = new WorkerPool(WORKER_SCRIPT, WORKERS);
  try {
    const times: number[] = [];
    for (let i = 0; i < 3; i++) {
      const w = await openWebview(browser, server, 'ndjson');
      const t0 = performance.now();
      const b = await bridge(w, file, pool);
      await w.page.waitForSelector('tr.row td:nth-child(2)');
      times.push(performance.now() - t0);
      await b.stop();
      await w.close();
    }
    return times.sort((a, b) => a - b)[1];
  } finally {
    await browser.close();
    await server.close();
    await pool.close();
  }
}

async function main(): Promise<void> {
  if (process.argv[2] === '--child') return child(process.argv[3], process.argv[4]);
  const dir = await mkdtemp(path.join(tmpdir(), 'oneup-explore-bench-'));
  try {
    const t = performance.now();
    const e = await sandboxExport(path.join(dir, 'export'), { patients: PATIENTS, types: ['Observation'] });
    const file = path.join(e.folder, 'Observation.ndjson');
    const size = (await stat(file)).size;
    console.log(`generated ${(size / MB).toFixed(0)} MB of Observations (${e.files[0].resources.toLocaleString('en-US')} lines) from ${PATIENTS} sandbox patients in ${((performance.now() - t) / 1000).toFixed(0)} s (not timed)`);
    const small = path.join(dir, 'small.ndjson');
    const quarter = path.join(dir, 'quarter.ndjson');
    await prefix(file, small, 8 * MB);
    await prefix(file, quarter, 256 * MB);
    spawnSync('sync');
    await readStreamMs(file); // the file is in the page cache for every reader alike
    const readMs = [await readStreamMs(file), await readStreamMs(file)].sort((a, b) => a - b)[0];
    const cat = timed(`cat '${file}' > /dev/null`).ms;
    const first = await firstRowsMs(file);
    const q = await runChild(quarter, small);
    const r = await runChild(file, small);
    const jq = timed(`jq -c '${JQ_FILTER}' '${file}' | wc -l`);
    const jqFull = timed(`jq -c '${JQ_FULL_FILTER}' '${file}' | wc -l`);
    const rate = (ms: number) => size / MB / (ms / 1000);
    console.log(`plain read: fs.createReadStream ${rate(readMs).toFixed(0)} MB/s, cat > /dev/null ${rate(cat).toFixed(0)} MB/s; index ${rate(r.indexMs).toFixed(0)} MB/s (${r.rows.toLocaleString('en-US')} rows in ${(r.indexMs / 1000).toFixed(2)} s, worker start-up included)`);
    console.log(`filter ${FILTER}: ${r.matched} matches in ${(r.filterMs / 1000).toFixed(2)} s; jq ${JQ_FILTER}: ${jq.out.trim()} in ${(jq.ms / 1000).toFixed(2)} s`);
    console.log(`full-scan filter ${FULL_FILTER} (no pre-check applies): ${r.fullMatched} matches in ${(r.fullFilterMs / 1000).toFixed(2)} s; jq ${JQ_FULL_FILTER}: ${jqFull.out.trim()} in ${(jqFull.ms / 1000).toFixed(2)} s → ${(r.fullFilterMs / jqFull.ms).toFixed(2)}`);
    console.log(`memory growth while indexing, scrolling and filtering: ${(q.bytes / MB).toFixed(0)} MB file ${((q.peakRss - q.baseRss) / MB).toFixed(1)} MB, ${(r.bytes / MB).toFixed(0)} MB file ${((r.peakRss - r.baseRss) / MB).toFixed(1)} MB (base RSS ${(r.baseRss / MB).toFixed(0)} MB)`);
    console.log(`ndjson first rows ms: ${first.toFixed(0)}`);
    console.log(`ndjson index MB/s vs read: ${(rate(r.indexMs) / rate(readMs)).toFixed(2)}`);
    console.log(`fhirpath filter vs jq: ${(r.filterMs / jq.ms).toFixed(2)}`);
    console.log(`ndjson view memory growth MB: ${((r.peakRss - r.baseRss) / MB).toFixed(1)}`);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

main().then(() => process.exit(0), (e) => {
  console.error(e);
  process.exit(1);
});
