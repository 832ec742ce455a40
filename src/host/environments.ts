import * as vscode from 'vscode';
import { Settings } from '../constants';
import {
  DEFAULT_ENVIRONMENT, DEFAULT_ENVIRONMENT_NAME, Environment, SANDBOX_ENVIRONMENT_NAME, validateEnvironment,
} from '../core/environments';
import type { Logger } from '../core/log';
import { Disposable } from './disposable';
import { settings } from './settings';

/**
 * The environments the user can pick: the built-in 1upHealth one, those in `oneup.environments`,
 * and the local sandbox while it runs. Fires once when the list or the active one changes (not
 * for other settings, and not twice when selecting one also changes `oneup.activeEnvironment`).
 */
export class EnvironmentService extends Disposable {
  private readonly changed = this._register(new vscode.EventEmitter<void>());
  readonly onDidChange = this.changed.event;
  private sandbox: Environment | undefined;
  private reported = '';
  /** The list and the active name as last announced. */
  private announced: string;

  constructor(private readonly logger: Logger) {
    super();
    this.announced = this.state();
    this._register(vscode.workspace.onDidChangeConfiguration((e) => {
      if (e.affectsConfiguration(Settings.environments) || e.affectsConfiguration(Settings.activeEnvironment)) this.announce();
    }));
  }

  private state(): string {
    return JSON.stringify([this.activeName(), [...this.all().values()]]);
  }

  private announce(): void {
    const now = this.state();
    if (now === this.announced) return;
    this.announced = now;
    this.changed.fire();
  }

  /** All valid environments by name; invalid entries are logged once and left out. */
  all(): Map<string, Environment> {
    const out = new Map<string, Environment>([[DEFAULT_ENVIRONMENT_NAME, DEFAULT_ENVIRONMENT]]);
    const problems: string[] = [];
    for (const [name, raw] of Object.entries(settings.environments())) {
      if (name === SANDBOX_ENVIRONMENT_NAME) { problems.push(`"${name}" is reserved for the local sandbox`); continue; }
      const { env, problems: p } = validateEnvironment(name, raw);
      if (env) out.set(name, env);
      problems.push(...p);
    }
    const text = problems.join('; ');
    if (text && text !== this.reported) this.logger.warn(`oneup.environments: ${text}`);
    this.reported = text;
    if (this.sandbox) out.set(this.sandbox.name, this.sandbox);
    return out;
  }

  activeName(): string {
    return settings.activeEnvironment() || DEFAULT_ENVIRONMENT_NAME;
  }

  /** The active environment, or undefined when it names one that does not exist (e.g. a stopped sandbox). */
  active(): Environment | undefined {
    return this.all().get(this.activeName());
  }

  async select(name: string): Promise<void> {
    if (!this.all().has(name)) throw new Error(vscode.l10n.t('There is no environment named "{0}".', name));
    if (settings.activeEnvironment() !== name) await settings.setActiveEnvironment(name);
    this.announce();
  }

  setSandbox(env: Environment | undefined): void {
    this.sandbox = env;
    this.announce();
  }

  get sandboxEnvironment(): Environment | undefined {
    return this.sandbox;
  }
}
