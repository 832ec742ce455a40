// Runs inside a user + mount namespace on a tiny tmpfs (see diskFull.sandbox.test.ts): an export
// that fills the disk, what it leaves behind, then a resume once space is freed. Prints one JSON
// report line. Environment: DISK_DIR (the tmpfs), FILLER_BYTES, SB_URL, SB_ID, SB_SECRET.
import { open, readdir, rm } from 'node:fs/promises';
import * as path from 'node:path';
import { createOneUpClient } from '../../../src/core/api';
import { listExports, resumeBulkExport, startBulkExport } from '../../../src/core/bulkExport';
import { sandboxEnvironment } from '../../../src/core/environments';

async function walk(dir: string, prefix = ''): Promise<string[]> {
  const out: string[] = [];
  for (const e of await readdir(dir, { withFileTypes: true })) {
    const rel = path.join(prefix, e.name);
    if (e.isDirectory()) out.push(...(await walk(path.join(dir, e.name), rel)));
    else out.push(rel);
  }
  return out.sort();
}

async function main(): Promise<void> {
  const env = process.env;
  const disk = env.DISK_DIR!;
  const filler = path.join(disk, 'filler.bin');
  const fh = await open(filler, 'w');
  await fh.write(Buffer.alloc(Number(env.FILLER_BYTES)));
  await fh.close();
  const workspace = path.join(disk, 'workspace');
  await import('node:fs/promises').then((fs) => fs.mkdir(workspace));
  const client = createOneUpClient({
    environment: sandboxEnvironment(env.SB_URL!), userAgent: 'disk-full-test',
    credentials: async () => ({ clientId: env.SB_ID!, clientSecret: env.SB_SECRET! }),
  });
  const report: Record<string, unknown> = {};
  try {
    await startBulkExport(workspace, { version: 'r4', scope: { kind: 'app' } }, { transport: client.transport, parallel: 2, retryBaseMs: 5 });
    report.first = 'completed';
  } catch (e) {
    report.first = { name: (e as Error).name, message: (e as Error).message, code: (e as { code?: string }).code };
  }
  const [entry] = await listExports(workspace);
  report.folder = entry?.folder;
  report.status = entry?.status;
  report.left = entry ? await walk(entry.folder) : [];
  await rm(filler);
  const resumed = await resumeBulkExport(entry.folder, { transport: client.transport, retryBaseMs: 5 });
  report.resumed = { complete: resumed.summary.complete, files: resumed.summary.files.length, errors: resumed.summary.errors };
  report.after = await walk(entry.folder);
  await client.dispose();
  process.stdout.write(`${JSON.stringify(report)}\n`);
}

main().then(() => process.exit(0), (e: unknown) => {
  process.stdout.write(`${JSON.stringify({ crashed: String((e as Error)?.stack ?? e) })}\n`);
  process.exit(1);
});
