import type { ExportPhase, ExportProgress } from './types';

const WINDOW_MS = 3000;

/**
 * Collects progress from every download and hands it on a few times a second: the phase, files
 * done, bytes and a rate over the last few seconds (steadier than per chunk, livelier than the
 * average since the start). Phase changes, the file total and the last file report at once.
 */
export class ProgressReporter {
  private phase: ExportPhase = 'kick-off';
  private message: string | undefined;
  private filesDone = 0;
  private filesTotal = 0;
  private bytes = 0;
  private lastEmit = 0;
  private readonly samples: { at: number; bytes: number }[] = [];

  constructor(
    private readonly folder: string,
    private readonly sink: ((p: ExportProgress) => void) | undefined,
    private readonly intervalMs = 250,
    private readonly now: () => number = Date.now,
  ) {}

  setPhase(phase: ExportPhase, message?: string): void {
    this.phase = phase;
    this.message = message;
    this.emit(true);
  }

  /** Files done: reported at once when the count is new to the UI's scale (the first, the last), else at the byte pace (10,000 small files would otherwise send 10,000 events). */
  setFiles(done: number, total: number): void {
    const first = this.filesTotal !== total;
    this.filesDone = done;
    this.filesTotal = total;
    this.emit(first || done === total);
  }

  addBytes(n: number): void {
    this.bytes += n;
    this.emit(false);
  }

  get totalBytes(): number {
    return this.bytes;
  }

  snapshot(): ExportProgress {
    return {
      folder: this.folder, phase: this.phase, message: this.message, filesDone: this.filesDone, filesTotal: this.filesTotal,
      bytes: this.bytes, bytesPerSecond: this.rate(),
    };
  }

  private rate(): number {
    const first = this.samples[0];
    const last = this.samples[this.samples.length - 1];
    if (!first || !last || last.at - first.at < 200) return 0;
    return Math.round(((last.bytes - first.bytes) * 1000) / (last.at - first.at));
  }

  private emit(force: boolean): void {
    const t = this.now();
    if (!force && t - this.lastEmit < this.intervalMs) return;
    this.lastEmit = t;
    this.samples.push({ at: t, bytes: this.bytes });
    while (this.samples.length > 2 && t - this.samples[0].at > WINDOW_MS) this.samples.shift();
    this.sink?.(this.snapshot());
  }
}
