// Export jobs: each writes its files into its own folder, can be cancelled, and expires after
// the retention time (its files then answer 410 and are removed).
import { randomBytes, randomUUID } from 'node:crypto';
import { mkdir, rm } from 'node:fs/promises';
import * as path from 'node:path';
import type { FhirVersion } from '../../environments';
import type { Logger } from '../../log';
import type { DataView, Scope } from '../data/view';
import type { ExportFile, WriteRequest } from './writer';
import { writeExport } from './writer';

/** What a kick-off asked for, as the writer takes it (the job adds folder, signal and progress). */
export type ExportPlan = Omit<WriteRequest, 'view' | 'dir' | 'maxPerFile' | 'signal' | 'onProgress' | 'version' | 'types' | 'since'>;

export interface ExportJob {
  id: string;
  version: FhirVersion;
  scope: Scope;
  request: string;
  transactionTime: string;
  types: string[];
  since?: number;
  status: 'running' | 'done' | 'failed' | 'cancelled';
  progress: number;
  error?: string;
  files: ExportFile[];
  dir: string;
  expiresAt?: number;
  done: Promise<void>;
  abort: AbortController;
}

/** Whose export it is: the app (app-wide) or one user; only they may poll or download it. */
export function ownerOf(scope: Scope): string {
  return `${scope.appId}|${scope.all ? '*' : scope.userId ?? ''}`;
}

export interface JobSettings { root: string; maxPerFile: number; retentionSeconds: number }

export class ExportJobs {
  private readonly jobs = new Map<string, ExportJob>();
  private readonly sweeper: NodeJS.Timeout;
  /** Signs the file tokens of production-shaped manifests (see files.ts). */
  readonly key = randomBytes(32);

  constructor(private readonly view: DataView, private readonly settings: JobSettings, private readonly logger: Logger) {
    this.sweeper = setInterval(() => void this.sweep(), 30_000);
    this.sweeper.unref();
  }

  get(id: string): ExportJob | undefined {
    return this.jobs.get(id);
  }

  all(): ExportJob[] {
    return [...this.jobs.values()];
  }

  running(owner: string): number {
    return this.all().filter((j) => j.status === 'running' && ownerOf(j.scope) === owner).length;
  }

  start(init: { version: FhirVersion; scope: Scope; request: string; types: string[]; since?: number; plan: ExportPlan }): ExportJob {
    const id = randomUUID();
    const abort = new AbortController();
    const { plan, ...rest } = init;
    const job: ExportJob = {
      ...rest, id, transactionTime: new Date().toISOString(), status: 'running', progress: 0, files: [],
      dir: path.join(this.settings.root, id), abort, done: Promise.resolve(),
    };
    job.done = (async () => {
      try {
        await mkdir(job.dir, { recursive: true });
        job.files = await writeExport({
          ...plan, view: this.view, version: job.version, types: job.types, since: job.since, dir: job.dir,
          maxPerFile: this.settings.maxPerFile, signal: abort.signal, onProgress: (p) => { job.progress = p; },
        });
        if (job.status === 'running') {
          job.status = 'done';
          job.expiresAt = Date.now() + this.settings.retentionSeconds * 1000;
        }
      } catch (e) {
        if (job.status === 'running') {
          job.status = 'failed';
          job.error = (e as Error).message;
          this.logger.error(`export ${id} failed: ${job.error}`);
        }
        await rm(job.dir, { recursive: true, force: true });
      }
    })();
    this.jobs.set(id, job);
    return job;
  }

  /** Cancels a running job or deletes a finished one's files; both forget the job. */
  async remove(job: ExportJob): Promise<void> {
    if (job.status === 'running') job.status = 'cancelled';
    job.abort.abort();
    await job.done;
    this.jobs.delete(job.id);
    await rm(job.dir, { recursive: true, force: true });
  }

  expired(job: ExportJob): boolean {
    return job.expiresAt !== undefined && job.expiresAt <= Date.now();
  }

  private async sweep(): Promise<void> {
    for (const job of this.all()) if (this.expired(job)) await rm(job.dir, { recursive: true, force: true });
  }

  async close(): Promise<void> {
    clearInterval(this.sweeper);
    await Promise.all(this.all().map((j) => this.remove(j)));
  }
}
