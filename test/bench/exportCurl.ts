// curl fetching an export's files with the same parallelism as the engine: the baseline of the
// export benchmark. With /usr/bin/time, also its CPU time and largest RSS.
import { spawn } from 'node:child_process';
import { access, mkdir } from 'node:fs/promises';
import * as path from 'node:path';

export interface CurlReport { bytes: number; ms: number; cpuMs?: number; peakRss?: number }

export interface CurlOptions {
  parallel: number;
  headers: Record<string, string>;
  /** The CA to trust for HTTPS (the sandbox's test certificate). */
  cacert?: string;
  /** Ask for gzip and decode it (`--compressed`), as the engine does. */
  compressed?: boolean;
}

export async function curlRun(urls: string[], dir: string, o: CurlOptions): Promise<CurlReport> {
  await mkdir(dir, { recursive: true });
  const timed = await access('/usr/bin/time').then(() => true, () => false);
  const headers = Object.entries(o.headers).flatMap(([k, v]) => ['-H', `${k}: ${v}`]);
  const extra = [...(o.cacert ? ['--cacert', o.cacert] : []), ...(o.compressed ? ['--compressed'] : [])];
  let next = 0;
  const report: CurlReport = { bytes: 0, ms: 0, cpuMs: timed ? 0 : undefined, peakRss: timed ? 0 : undefined };
  const t0 = performance.now();
  const worker = async () => {
    while (next < urls.length) {
      const i = next++;
      const curl = ['curl', '-s', '-f', ...extra, '-o', path.join(dir, `${i}.ndjson`), '-w', '%{size_download}', ...headers, urls[i]];
      const [cmd, ...args] = timed ? ['/usr/bin/time', '-f', 'TIME %U %S %M', ...curl] : curl;
      const { out, err } = await new Promise<{ out: string; err: string }>((resolve, reject) => {
        const c = spawn(cmd, args, { stdio: ['ignore', 'pipe', 'pipe'] });
        let so = '';
        let se = '';
        c.stdout.on('data', (d: Buffer) => { so += d.toString(); });
        c.stderr.on('data', (d: Buffer) => { se += d.toString(); });
        c.on('error', reject);
        c.on('close', (code) => (code === 0 ? resolve({ out: so, err: se }) : reject(new Error(`curl exited ${code}: ${se}`))));
      });
      report.bytes += Number(out);
      const t = /TIME ([\d.]+) ([\d.]+) (\d+)/.exec(err);
      if (t && report.cpuMs !== undefined && report.peakRss !== undefined) {
        report.cpuMs += (Number(t[1]) + Number(t[2])) * 1000;
        report.peakRss = Math.max(report.peakRss, Number(t[3]) * 1024);
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(o.parallel, urls.length) }, worker));
  report.ms = performance.now() - t0;
  return report;
}
