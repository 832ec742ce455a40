import type { ExportView } from './exportAnswers';

/** The bulk exports tools started in this window, live: the status tool reads them. */
export class ExportJobs {
  private readonly jobs: { key: string; view: ExportView }[] = [];
  private n = 0;

  /** Registers a starting export; answers its key, an id to use until its folder is known. */
  start(environment: string): { key: string; view: ExportView } {
    const key = `tool-export-${++this.n}`;
    const job = { key, view: { id: key, folder: '', environment, state: 'starting' } as ExportView };
    this.jobs.push(job);
    const done = this.jobs.findIndex((j) => j.view.state !== 'running' && j.view.state !== 'starting');
    if (this.jobs.length > 50 && done >= 0) this.jobs.splice(done, 1);
    return job;
  }

  /** By folder name, folder path or key. */
  get(id: string): ExportView | undefined {
    return this.jobs.find((j) => j.key === id || j.view.id === id || (j.view.folder && j.view.folder === id))?.view;
  }

  all(): ExportView[] {
    return this.jobs.map((j) => j.view);
  }
}
