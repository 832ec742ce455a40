import type { Environment } from '../core/environments';
import type { HealthSystem } from '../core/api';
import type { Input } from '../core/tools/inputs';
import type { ExportJobs } from '../core/tools/jobs';
import type { Confirmations, PageCursors, RecentToolCalls } from '../core/tools/state';
import type { Services } from '../host/services';

/** Where running exports are announced (the Exports view shows them as running). */
export interface ExportActivity {
  add(folder: string): void;
  delete(folder: string): void;
}

/** What the tools keep between calls, for this window. */
export interface ToolsState {
  readonly cursors: PageCursors;
  readonly calls: RecentToolCalls;
  readonly confirmations: Confirmations;
  readonly exports: ExportJobs;
  /** The last health-system list, so paging through it does not download it again. */
  healthSystems?: { key: string; at: number; systems: HealthSystem[] };
}

/** One tool call, as the implementations (dist/lazy/tools.js) get it. */
export interface ToolRun {
  readonly s: Services;
  readonly state: ToolsState;
  readonly input: Input;
  /** The input as given (for the curl and export tools' own reading). */
  readonly raw: unknown;
  readonly signal: AbortSignal;
  /** How long the answer may be. */
  readonly maxChars: number;
  readonly environment: Environment;
  /** The active environment is the Local Sandbox (synthetic data). */
  readonly sandbox: boolean;
  readonly exportActivity: ExportActivity;
}

/** The lazily loaded implementations: one function per tool, answering the text for the model. */
export interface ToolImplementations {
  runTool(name: string, run: ToolRun): Promise<string>;
}
