// Writes an export to disk as NDJSON, patient by patient, with backpressure: memory holds one
// patient's records and a write buffer per type, whatever the size of the export. A type is
// split into files of at most `maxPerFile` resources.
import { createWriteStream } from 'node:fs';
import type { WriteStream } from 'node:fs';
import * as path from 'node:path';
import { setImmediate as yieldToEventLoop } from 'node:timers/promises';
import type { FhirVersion } from '../../environments';
import { dateRange } from '../fhir/dates';
import type { DataView, Entry, Scope } from '../data/view';

export interface ExportFile { type: string; name: string; path: string; count: number; bytes: number }

const FLUSH_AT = 256 * 1024;

class TypeWriter {
  private stream?: WriteStream;
  private current?: ExportFile;
  private buffer: string[] = [];
  private buffered = 0;
  private failure?: Error;

  constructor(private readonly dir: string, private readonly type: string, private readonly maxPerFile: number, private readonly files: ExportFile[]) {}

  async add(line: string): Promise<void> {
    if (!this.current || this.current.count >= this.maxPerFile) await this.next();
    this.buffer.push(line);
    this.buffered += line.length;
    this.current!.count++;
    if (this.buffered >= FLUSH_AT) await this.flush();
  }

  private async next(): Promise<void> {
    await this.close();
    const n = this.files.filter((f) => f.type === this.type).length + 1;
    const name = `${this.type}-${n}.ndjson`;
    this.current = { type: this.type, name, path: path.join(this.dir, name), count: 0, bytes: 0 };
    this.files.push(this.current);
    this.stream = createWriteStream(this.current.path, { highWaterMark: 1024 * 1024 });
    // an unhandled 'error' would take the whole sandbox down (disk full, folder removed on cancel)
    this.stream.on('error', (e) => { this.failure ??= e; });
  }

  private async flush(): Promise<void> {
    if (this.failure) throw this.failure;
    if (!this.buffer.length || !this.stream) return;
    const chunk = Buffer.from(this.buffer.join(''));
    this.buffer = [];
    this.buffered = 0;
    this.current!.bytes += chunk.length;
    if (!this.stream.write(chunk)) {
      const s = this.stream;
      await new Promise<void>((resolve) => {
        const done = () => { s.off('drain', done); s.off('close', done); resolve(); };
        s.once('drain', done);
        s.once('close', done);
      });
      if (this.failure) throw this.failure;
    }
  }

  async close(): Promise<void> {
    await this.flush();
    const s = this.stream;
    this.stream = undefined;
    if (s) await new Promise<void>((resolve, reject) => s.end((err?: Error | null) => (err ? reject(err) : resolve())));
    if (this.failure) throw this.failure;
  }

  /** Stops writing; resolves once the file is closed, so its folder can be removed. */
  async destroy(): Promise<void> {
    const s = this.stream;
    this.stream = undefined;
    if (!s || s.closed) return;
    await new Promise<void>((resolve) => {
      s.once('close', () => resolve());
      s.destroy();
    });
  }
}

export interface WriteRequest {
  view: DataView;
  scope: Scope;
  version: FhirVersion;
  types: string[];
  since?: number;
  dir: string;
  maxPerFile: number;
  signal: AbortSignal;
  onProgress: (fraction: number, type?: string) => void;
}

/** Writes every visible resource of the requested types; answers the files written. */
export async function writeExport(req: WriteRequest): Promise<ExportFile[]> {
  const files: ExportFile[] = [];
  const writers = new Map<string, TypeWriter>();
  const writer = (type: string) => {
    let w = writers.get(type);
    if (!w) writers.set(type, (w = new TypeWriter(req.dir, type, req.maxPerFile, files)));
    return w;
  };
  const keep = (e: Entry) => req.since === undefined || (dateRange(e.resource.meta?.lastUpdated ?? '')?.[0] ?? 0) >= req.since;
  try {
    const comps = req.view.compartments(req.scope);
    let lastYield = Date.now();
    for (let i = 0; i <= comps.length; i++) {
      req.signal.throwIfAborted();
      for (const type of req.types) {
        const entries = i < comps.length ? req.view.entries(comps[i], req.version, type) : req.view.looseEntries(req.scope, req.version, type);
        for (const e of entries) if (keep(e)) await writer(type).add(JSON.stringify(e.resource) + '\n');
      }
      req.onProgress((i + 1) / (comps.length + 1));
      // stay responsive: other requests (status polls, downloads) run between patients
      if (Date.now() - lastYield > 20) {
        await yieldToEventLoop();
        lastYield = Date.now();
      }
    }
    for (const w of writers.values()) await w.close();
  } catch (e) {
    await Promise.all([...writers.values()].map((w) => w.destroy()));
    throw e;
  }
  return files.filter((f) => f.count > 0);
}
