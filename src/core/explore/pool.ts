// A few worker threads for the explorer's jobs: started on first use, one job per worker at a
// time, stopped when idle. The extension host's own thread only hands out parts and adds up.
import * as l10n from '@vscode/l10n';
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import { CancelledError } from '../errors';
import { l10nContents } from '../l10n';
import type { ExploreWorkerData, Job, JobResult, WorkerReply } from './jobs';

export interface JobProgress {
  bytes: number;
  rows: number;
  matched?: number;
}

interface Task {
  job: Job;
  onProgress?: (p: JobProgress) => void;
  signal?: AbortSignal;
  resolve(r: JobResult): void;
  reject(e: unknown): void;
}

interface Slot {
  worker: Worker;
  task?: Task;
  cancel?: Int32Array;
  idleTimer?: NodeJS.Timeout;
}

/** How many workers by default: the cores there are, at most four (the editor needs a core too on big machines). */
export function defaultWorkerCount(): number {
  return Math.max(1, Math.min(4, availableParallelism()));
}

export class WorkerPool {
  private readonly slots: Slot[] = [];
  private readonly queue: Task[] = [];
  private closed = false;

  /**
   * `script` is a module that runs worker.ts when loaded in a worker with
   * `workerData.oneupExplore` (the explore bundle, or the compiled worker.js in tests).
   */
  constructor(private readonly script: string, readonly size = defaultWorkerCount(), private readonly idleMs = 20_000) {}

  run<R extends JobResult>(job: Job, options: { onProgress?: (p: JobProgress) => void; signal?: AbortSignal } = {}): Promise<R> {
    if (this.closed) return Promise.reject(new Error(l10n.t('The explorer was closed.')));
    if (options.signal?.aborted) return Promise.reject(new CancelledError());
    return new Promise<R>((resolve, reject) => {
      const task: Task = { job, ...options, resolve: resolve as (r: JobResult) => void, reject };
      options.signal?.addEventListener('abort', () => this.cancel(task), { once: true });
      this.queue.push(task);
      this.pump();
    });
  }

  private cancel(task: Task): void {
    const queued = this.queue.indexOf(task);
    if (queued !== -1) {
      this.queue.splice(queued, 1);
      task.reject(new CancelledError());
      return;
    }
    const slot = this.slots.find((s) => s.task === task);
    if (slot?.cancel) Atomics.store(slot.cancel, 0, 1);
  }

  private pump(): void {
    while (this.queue.length) {
      let slot = this.slots.find((s) => !s.task);
      if (!slot && this.slots.length < this.size) slot = this.spawn();
      if (!slot) return;
      const task = this.queue.shift()!;
      clearTimeout(slot.idleTimer);
      slot.task = task;
      slot.cancel = new Int32Array(new SharedArrayBuffer(4));
      slot.worker.ref();
      slot.worker.postMessage({ job: task.job, cancel: slot.cancel.buffer });
    }
  }

  private spawn(): Slot {
    // a small young generation: parsing a gigabyte makes garbage fast, and the default lets each
    // worker hold tens of MB of it between collections (the extension host's memory)
    // a worker has its own globalThis: it speaks the user's language only with the bundle passed to it
    const workerData: ExploreWorkerData = { oneupExplore: true, l10n: l10nContents() };
    const worker = new Worker(this.script, { workerData, resourceLimits: { maxYoungGenerationSizeMb: 4 } });
    const slot: Slot = { worker };
    worker.on('message', (m: WorkerReply) => this.onReply(slot, m));
    worker.on('error', (e) => this.onExit(slot, e));
    worker.on('exit', (code) => this.onExit(slot, new Error(l10n.t('An explorer worker stopped (exit code {0}).', code))));
    this.slots.push(slot);
    return slot;
  }

  private onReply(slot: Slot, m: WorkerReply): void {
    const task = slot.task;
    if (!task) return;
    if (m.type === 'progress') {
      task.onProgress?.({ bytes: m.bytes, rows: m.rows, matched: m.matched });
      return;
    }
    slot.task = undefined;
    if (m.type === 'done') task.resolve(m.result);
    else if (m.type === 'cancelled') task.reject(new CancelledError());
    else task.reject(new Error(m.message));
    this.idle(slot);
    this.pump();
  }

  private idle(slot: Slot): void {
    if (slot.task) return;
    // an idle worker must not keep the process alive, and is stopped after a while
    slot.worker.unref();
    slot.idleTimer = setTimeout(() => void slot.worker.terminate(), this.idleMs);
    slot.idleTimer.unref();
  }

  private onExit(slot: Slot, error: Error): void {
    const i = this.slots.indexOf(slot);
    if (i === -1) return;
    this.slots.splice(i, 1);
    clearTimeout(slot.idleTimer);
    const task = slot.task;
    slot.task = undefined;
    task?.reject(task.signal?.aborted ? new CancelledError() : error);
    if (!this.closed) this.pump();
  }

  /** Stops every worker; queued and running jobs are cancelled. */
  async close(): Promise<void> {
    this.closed = true;
    for (const t of this.queue.splice(0)) t.reject(new CancelledError());
    const slots = [...this.slots];
    await Promise.all(slots.map((s) => s.worker.terminate()));
  }
}
