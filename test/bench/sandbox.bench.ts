// Sandbox speed on this machine: FHIR searches per second (2,000 requests, 8 at a time over
// keep-alive) against GET / on the same server as the baseline, and how fast export files
// stream (MB/s) against reading the same files straight from disk.
// `node out/test/bench/sandbox.bench.js` (npm run bench runs it). Env: SANDBOX_BENCH_PATIENTS (default 300).
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

    const t0 = performance.now();
    const kick = await request(`${sb.url}/bulk-data/r4/$export`, { dispatcher: agent, headers });
    const manifest = await kick.body.json() as { output: { url: string }[] };
    const writeMs = performance.now() - t0;
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
    console.log(`export: ${PATIENTS + 10} patients, ${(bytes / MB).toFixed(0)} MB in ${manifest.output.length} files, written in ${(writeMs / 1000).toFixed(1)} s (${(bytes / MB / (writeMs / 1000)).toFixed(0)} MB/s)`);
    console.log(`baseline file read MB/s: ${(diskBytes / MB / (diskMs / 1000)).toFixed(0)}`);
    console.log(`sandbox export stream MB/s: ${(bytes / MB / (streamMs / 1000)).toFixed(0)}`);
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
