// Writes an export to disk as NDJSON, patient by patient, with backpressure: memory holds one
// patient's records and a write buffer per type, whatever the size of the export. A type is
// split into files of at most `maxPerFile` resources. With _since, resources deleted since then
// go to `deleted` files (one transaction Bundle with a DELETE entry per line, as the Bulk Data
// spec has it); problems the kick-off accepted leniently go to an `error` file of OperationOutcomes.
import { createWriteStream } from 'node:fs';
import type { WriteStream } from 'node:fs';
import * as path from 'node:path';
import { setImmediate as yieldToEventLoop } from 'node:timers/promises';
import type { FhirVersion } from '../../environments';
import type { Resource } from '../../fhir/types';
import type { Compartment } from '../data/dataset';
import { baseType } from '../fhir/convert';
import { dateRange } from '../fhir/dates';
import type { DataView, Entry } from '../data/view';

export type ExportFileKind = 'output' | 'error' | 'deleted';

export interface ExportFile { type: string; name: string; path: string; count: number; bytes: number; kind: ExportFileKind }

const FLUSH_AT = 256 * 1024;

class TypeWriter {
  private stream?: WriteStream;
  private current?: ExportFile;
  private buffer: string[] = [];
  private buffered = 0;
  private failure?: Error;

  constructor(
    private readonly dir: string, private readonly type: string, private readonly maxPerFile: number, private readonly files: ExportFile[],
    private readonly kind: ExportFileKind = 'output',
  ) {}

  async add(line: string): Promise<void> {
    if (!this.current || this.current.count >= this.maxPerFile) await this.next();
    this.buffer.push(line);
    this.buffered += line.length;
    this.current!.count++;
    if (this.buffered >= FLUSH_AT) await this.flush();
  }

  private async next(): Promise<void> {
    await this.close();
    const n = this.files.filter((f) => f.type === this.type && f.kind === this.kind).length + 1;
    const name = `${this.type}${this.kind === 'output' ? '' : `-${this.kind}`}-${n}.ndjson`;
    this.current = { type: this.type, name, path: path.join(this.dir, name), count: 0, bytes: 0, kind: this.kind };
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
  version: FhirVersion;
  types: string[];
  /** The patients whose records go in (the level's: every visible one, or a Group's). */
  compartments: readonly Compartment[];
  /** Resources outside any patient (Organization, Practitioner): system-level exports only. */
  loose?: (type: string) => Entry[];
  since?: number;
  /** Per type, the _typeFilter searches; a resource goes in when one of its type's matches. */
  filters?: ReadonlyMap<string, readonly ((e: Entry) => boolean)[]>;
  /** OperationOutcomes for the error file. */
  errors?: readonly Resource[];
  dir: string;
  maxPerFile: number;
  signal: AbortSignal;
  onProgress: (fraction: number, type?: string) => void;
}

/** Writes every visible resource of the requested types (and, with _since, the deletions); answers the files written. */
export async function writeExport(req: WriteRequest): Promise<ExportFile[]> {
  const files: ExportFile[] = [];
  const writers = new Map<string, TypeWriter>();
  const writer = (type: string, kind: ExportFileKind = 'output') => {
    const k = `${kind}|${type}`;
    let w = writers.get(k);
    if (!w) writers.set(k, (w = new TypeWriter(req.dir, type, req.maxPerFile, files, kind)));
    return w;
  };
  const changed = (e: Entry) => req.since === undefined || (dateRange(e.resource.meta?.lastUpdated ?? '')?.[0] ?? 0) >= req.since;
  const wanted = (type: string, e: Entry) => {
    const tests = req.filters?.get(type);
    return !tests?.length || tests.some((t) => t(e));
  };
  const overlay = req.view.overlay;
  const take = async (type: string, entries: Entry[]) => {
    for (const e of entries) {
      if (!e.deleted) {
        if (changed(e) && wanted(type, e)) await writer(type).add(JSON.stringify(e.resource) + '\n');
        continue;
      }
      const at = overlay.deletionTime(req.version, type, baseType(req.version, type), e.resource.id ?? '', e.compartmentId);
      if (req.since !== undefined && at !== undefined && at >= req.since) await writer('Bundle', 'deleted').add(JSON.stringify(deletion(type, e.resource.id ?? '')) + '\n');
    }
  };
  try {
    const comps = req.compartments;
    const withDeleted = req.since !== undefined;
    let lastYield = Date.now();
    for (let i = 0; i <= comps.length; i++) {
      req.signal.throwIfAborted();
      for (const type of req.types) {
        if (i < comps.length) await take(type, req.view.entries(comps[i], req.version, type, withDeleted));
        else if (req.loose) await take(type, req.loose(type));
      }
      req.onProgress((i + 1) / (comps.length + 1));
      // stay responsive: other requests (status polls, downloads) run between patients
      if (Date.now() - lastYield > 20) {
        await yieldToEventLoop();
        lastYield = Date.now();
      }
    }
    for (const o of req.errors ?? []) await writer('OperationOutcome', 'error').add(JSON.stringify(o) + '\n');
    for (const w of writers.values()) await w.close();
  } catch (e) {
    await Promise.all([...writers.values()].map((w) => w.destroy()));
    throw e;
  }
  return files.filter((f) => f.count > 0);
}

/** A deletion as the Bulk Data spec lists it: a transaction Bundle with one DELETE entry. */
function deletion(type: string, id: string): Resource {
  return { resourceType: 'Bundle', type: 'transaction', entry: [{ request: { method: 'DELETE', url: `${type}/${id}` } }] };
}
