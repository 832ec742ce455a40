// Sandbox speed on this machine: FHIR searches per second (2,000 requests, 8 at a time over
// keep-alive) against GET / on the same server as the baseline, and how fast export files
// stream (MB/s) against reading the same files straight from disk.
// Then a load check as issue 12 describes: 256 keep-alive clients for 30 s against FHIR searches,
// reads and the user list, with the request rate, the 99th percentile latency, errors, and the
// heap every 5 s (it must level off).
// `node out/test/bench/sandbox.bench.js` (npm run bench runs it). Env: SANDBOX_BENCH_PATIENTS (default 300),
// SANDBOX_BENCH_LOAD_SECONDS (default 30).
import { createReadStream } from 'node:fs';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { Agent, request } from 'undici';
import { startSandbox } from '../../src/core/sandbox';

const REQUESTS = 2000;
const CONCURRENCY = 8;
const PATIENTS = Number(process.env.SANDBOX_BENCH_PATIENTS ?? 300);
const MB = 1024 * 1024;
const LOAD_CONNECTIONS = 256;
const LOAD_SECONDS = Number(process.env.SANDBOX_BENCH_LOAD_SECONDS ?? 30);

/** 256 keep-alive clients in a loop for LOAD_SECONDS: req/s, p99 latency, errors, heap samples. */
async function load(url: string, headers: Record<string, string>, paths: string[]): Promise<void> {
  const agent = new Agent({ connections: LOAD_CONNECTIONS, pipelining: 1, keepAliveTimeout: 30_000 });
  const latencies: number[] = [];
  const heap: number[] = [];
  let errors = 0;
  let n = 0;
  const until = performance.now() + LOAD_SECONDS * 1000;
  const sampler = setInterval(() => heap.push(process.memoryUsage().heapUsed / MB), 5000);
  const worker = async () => {
    while (performance.now() < until) {
      const path = paths[n++ % paths.length];
      const t = performance.now();
      try {
        const res = await request(`${url}${path}`, { dispatcher: agent, headers });
        await res.body.arrayBuffer();
        if (res.statusCode !== 200) errors++;
      } catch {
        errors++;
      }
      latencies.push(performance.now() - t);
    }
  };
  const t0 = performance.now();
  await Promise.all(Array.from({ length: LOAD_CONNECTIONS }, worker));
  const seconds = (performance.now() - t0) / 1000;
  clearInterval(sampler);
  await agent.close();
  latencies.sort((a, b) => a - b);
  const p99 = latencies[Math.min(latencies.length - 1, Math.floor(latencies.length * 0.99))];
  console.log(`sandbox req/s at ${LOAD_CONNECTIONS} connections: ${(latencies.length / seconds).toFixed(0)}`);
  console.log(`sandbox p99 ms: ${p99.toFixed(1)}`);
  console.log(`sandbox load: ${latencies.length} requests in ${seconds.toFixed(1)} s, ${errors} errors; heap MB every 5 s: ${heap.map((h) => h.toFixed(0)).join(' ')}`);
}

const cpuSeconds = (c: NodeJS.CpuUsage) => (c.user + c.system) / 1e6;

async function rate(agent: Agent, url: string, headers: Record<string, string>, total: number): Promise<number> {
  let next = 0;
  const worker = async () => {
    while (next < total) {
      next++;
      const res = await request(url, { dispatcher: agent, headers });
      if (res.statusCode !== 200) throw new Error(`${url}: ${res.statusCode}`);
      await res.body.arrayBuffer();
    }
  };
  const t0 = performance.now();
  await Promise.all(Array.from({ length: CONCURRENCY }, worker));
  return total / ((performance.now() - t0) / 1000);
}

async function main(): Promise<void> {
  const dataDir = await mkdtemp(path.join(tmpdir(), 'oneup-sandbox-bench-'));
  const sb = await startSandbox({ patients: PATIENTS, rateLimitPerHour: 0, dataDir });
  const agent = new Agent({ connections: CONCURRENCY, pipelining: 1 });
  try {
    const c = sb.credentials;
    const headers = { client_id: c.clientId, client_secret: c.clientSecret, 'x-oneup-user-id': 'client' };
    const search = `${sb.url}/fhir/r4/Observation?_count=10`;
    await rate(agent, search, headers, 200);
    await rate(agent, `${sb.url}/`, {}, 200);
    const baseline = await rate(agent, `${sb.url}/`, {}, REQUESTS);
    const searches = await rate(agent, search, headers, REQUESTS);
    console.log(`baseline GET / req/s: ${baseline.toFixed(0)}`);
    console.log(`sandbox search req/s: ${searches.toFixed(0)}`);

    // the sandbox runs in this process: its CPU time is the figure a busy machine distorts least
    const cpu0 = process.cpuUsage();
    const t0 = performance.now();
    const kick = await request(`${sb.url}/bulk-data/r4/$export`, { dispatcher: agent, headers });
    const manifest = await kick.body.json() as { output: { url: string }[] };
    const writeMs = performance.now() - t0;
    const writeCpu = cpuSeconds(process.cpuUsage(cpu0));
    let bytes = 0;
    const t1 = performance.now();
    for (const o of manifest.output) {
      const res = await request(o.url, { dispatcher: agent, headers });
      for await (const chunk of res.body) bytes += (chunk as Buffer).length;
    }
    const streamMs = performance.now() - t1;
    const [run] = await readdir(path.join(dataDir, 'exports'));
    const dir = path.join(dataDir, 'exports', run, sb.state.exports()[0].id);
    let diskBytes = 0;
    const t2 = performance.now();
    for (const f of await readdir(dir)) {
      for await (const chunk of createReadStream(path.join(dir, f), { highWaterMark: 256 * 1024 })) diskBytes += (chunk as Buffer).length;
    }
    const diskMs = performance.now() - t2;
    console.log(`export: ${PATIENTS + 10} patients, ${(bytes / MB).toFixed(0)} MB in ${manifest.output.length} files, written in ${(writeMs / 1000).toFixed(1)} s (${(bytes / MB / (writeMs / 1000)).toFixed(0)} MB/s), ${writeCpu.toFixed(2)} s CPU`);
    // the same export again: reports and notes are rebuilt, their PDFs are not
    const cpu1 = process.cpuUsage();
    const t3 = performance.now();
    await (await request(`${sb.url}/bulk-data/r4/$export`, { dispatcher: agent, headers })).body.json();
    console.log(`export again: written in ${((performance.now() - t3) / 1000).toFixed(1)} s, ${cpuSeconds(process.cpuUsage(cpu1)).toFixed(2)} s CPU`);
    console.log(`baseline file read MB/s: ${(diskBytes / MB / (diskMs / 1000)).toFixed(0)}`);
    console.log(`sandbox export stream MB/s: ${(bytes / MB / (streamMs / 1000)).toFixed(0)}`);

    const some = await (await request(`${sb.url}/fhir/r4/Observation?_count=20`, { dispatcher: agent, headers })).body.json() as { entry: { resource: { id: string } }[] };
    const q = new URLSearchParams({ client_id: c.clientId, client_secret: c.clientSecret });
    await load(sb.url, headers, [
      '/fhir/r4/Observation?_count=10', '/fhir/r4/Patient?_count=10', '/fhir/dstu2/Condition?_count=10',
      ...some.entry.slice(0, 5).map((e) => `/fhir/r4/Observation/${e.resource.id}`), `/user-management/v1/user?${q}`,
    ]);
  } finally {
    await agent.close();
    await sb.close();
    await rm(dataDir, { recursive: true, force: true });
  }
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
