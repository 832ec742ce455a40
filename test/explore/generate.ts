// Export folders for the explorer's tests and benchmark, made from the local sandbox's synthetic
// data (its $export, downloaded as the engine would lay it out), so nothing large is committed.
import { createReadStream, createWriteStream } from 'node:fs';
import { mkdir, readFile, stat, writeFile } from 'node:fs/promises';
import * as path from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { startSandbox } from '../../src/core/sandbox';

export interface GeneratedFile {
  name: string;
  type: string;
  kind: 'data' | 'error' | 'deleted';
  resources: number;
  bytes: number;
  incomplete?: boolean;
  warning?: string;
}

export interface GeneratedExport {
  folder: string;
  files: GeneratedFile[];
  /** the sandbox's base URL while it ran (references in the data do not name it) */
  patients: number;
}

/**
 * Runs the sandbox's `$export` of `types` (all when absent) for `patients` generated patients (besides its demo
 * ones) and lays the files out as an export folder: `<Type>.ndjson`, `<Type>-2.ndjson`…,
 * manifest.json and summary.json as the engine writes them.
 */
export async function sandboxExport(folder: string, o: { patients: number; types?: string[]; version?: 'r4' | 'stu3' | 'dstu2'; maxPerFile?: number; seed?: number; sandbox?: { url: string; credentials: { clientId: string; clientSecret: string } } }): Promise<GeneratedExport> {
  const version = o.version ?? 'r4';
  await mkdir(folder, { recursive: true });
  const own = o.sandbox ? undefined : await startSandbox({ patients: o.patients, seed: o.seed, exportMaxResourcesPerFile: o.maxPerFile ?? 10_000_000, exportManifest: 'spec' });
  const sb = o.sandbox ?? own!;
  try {
    const headers = { client_id: sb.credentials.clientId, client_secret: sb.credentials.clientSecret, 'x-oneup-user-id': 'client' };
    const kick = await fetch(`${sb.url}/bulk-data/${version}/$export${o.types ? `?_type=${o.types.join(',')}` : ''}`, { headers });
    if (!kick.ok) throw new Error(`$export answered ${kick.status}: ${await kick.text()}`);
    const manifest = (await kick.json()) as { output: { type: string; url: string; count?: number }[] };
    const files: GeneratedFile[] = [];
    const perType = new Map<string, number>();
    for (const out of manifest.output) {
      const n = (perType.get(out.type) ?? 0) + 1;
      perType.set(out.type, n);
      const name = n === 1 ? `${out.type}.ndjson` : `${out.type}-${n}.ndjson`;
      const res = await fetch(out.url, { headers });
      if (!res.ok || !res.body) throw new Error(`${out.url} answered ${res.status}`);
      await pipeline(Readable.fromWeb(res.body as import('node:stream/web').ReadableStream), createWriteStream(path.join(folder, name)));
      // the spec's manifest counts each file; production's (a sandbox given from outside may answer so) does not
      const resources = out.count ?? await countLines(path.join(folder, name));
      files.push({ name, type: out.type, kind: 'data', resources, bytes: (await stat(path.join(folder, name))).size });
    }
    await writeFile(path.join(folder, 'manifest.json'), JSON.stringify(manifest, null, 2));
    await writeSummary(folder, files, version);
    return { folder, files, patients: o.patients };
  } finally {
    await own?.close();
  }
}

/** summary.json as the engine writes it (the contract between the export and its readers). */
export async function writeSummary(folder: string, files: GeneratedFile[], version: string, problems: string[] = []): Promise<void> {
  const byType: Record<string, { files: number; resources: number; bytes: number }> = {};
  for (const f of files.filter((x) => x.kind === 'data')) {
    const t = (byType[f.type] ??= { files: 0, resources: 0, bytes: 0 });
    t.files++;
    t.resources += f.resources;
    t.bytes += f.bytes;
  }
  const now = new Date().toISOString();
  await writeFile(path.join(folder, 'summary.json'), JSON.stringify({
    environment: 'Local Sandbox', fhirVersion: version, scope: { kind: 'app' }, startedAt: now, finishedAt: now, durationMs: 1000,
    byType, files, resources: files.filter((f) => f.kind === 'data').reduce((a, f) => a + f.resources, 0),
    bytes: files.reduce((a, f) => a + f.bytes, 0), errors: problems.map((message) => ({ message })), complete: problems.length === 0,
  }, null, 2));
}

/**
 * Adds what a real export can also hold: deleted entries (`deleted/Observation.ndjson`, Bundles
 * of DELETE requests), the server's error reports (`error/OperationOutcome.ndjson`), and a data
 * file with a non-JSON line and a truncated last line, marked incomplete in summary.json.
 */
export async function addProblems(e: GeneratedExport, version = 'r4'): Promise<{ badFile: string; badLines: number[]; deleted: Record<string, number>; errorReports: number }> {
  const folder = e.folder;
  await mkdir(path.join(folder, 'deleted'), { recursive: true });
  await mkdir(path.join(folder, 'error'), { recursive: true });
  const deletedLines = [
    { resourceType: 'Bundle', type: 'transaction', entry: [
      { request: { method: 'DELETE', url: 'Observation/deleted-obs-1' } },
      { request: { method: 'DELETE', url: 'Observation/deleted-obs-2' } },
    ] },
    { resourceType: 'Bundle', type: 'transaction', entry: [{ request: { method: 'DELETE', url: 'Condition/deleted-cond-1' } }] },
  ].map((l) => JSON.stringify(l)).join('\n') + '\n';
  await writeFile(path.join(folder, 'deleted', 'Observation.ndjson'), deletedLines);
  const reports = [
    { resourceType: 'OperationOutcome', issue: [{ severity: 'error', code: 'processing', diagnostics: 'Immunization for Patient/gen-3 could not be exported' }] },
    { resourceType: 'OperationOutcome', issue: [{ severity: 'warning', code: 'incomplete', details: { text: 'Some Encounters were left out' } }] },
  ].map((l) => JSON.stringify(l)).join('\n') + '\n';
  await writeFile(path.join(folder, 'error', 'OperationOutcome.ndjson'), reports);
  // a data file with a bad line in the middle and a last line cut short (no newline)
  const source = e.files.find((f) => f.kind === 'data' && f.type === 'Condition') ?? e.files.find((f) => f.kind === 'data')!;
  const lines = (await readFile(path.join(folder, source.name), 'utf8')).split('\n').filter(Boolean).slice(0, 30);
  const badName = `${source.type}-bad.ndjson`;
  const body = [...lines.slice(0, 10), 'this line is not JSON', ...lines.slice(10, 29), lines[29].slice(0, Math.floor(lines[29].length / 2))];
  await writeFile(path.join(folder, badName), body.join('\n'));
  const files: GeneratedFile[] = [
    ...e.files,
    { name: badName, type: source.type, kind: 'data', resources: 29, bytes: Buffer.byteLength(body.join('\n')), incomplete: true, warning: 'the last line was cut short' },
    { name: 'deleted/Observation.ndjson', type: 'Observation', kind: 'deleted', resources: 3, bytes: Buffer.byteLength(deletedLines) },
    { name: 'error/OperationOutcome.ndjson', type: 'OperationOutcome', kind: 'error', resources: 2, bytes: Buffer.byteLength(reports) },
  ];
  e.files = files;
  await writeSummary(folder, files, version, ['The server reported: Immunization for Patient/gen-3 could not be exported']);
  return { badFile: badName, badLines: [11, 31], deleted: { Observation: 2, Condition: 1 }, errorReports: 2 };
}

/** Non-empty lines of a file of any size. */
async function countLines(file: string): Promise<number> {
  let n = 0;
  let last = 0x0a;
  for await (const chunk of createReadStream(file)) {
    const b = chunk as Buffer;
    for (let i = b.indexOf(0x0a); i >= 0; i = b.indexOf(0x0a, i + 1)) n++;
    if (b.length) last = b[b.length - 1];
  }
  return last === 0x0a ? n : n + 1;
}
