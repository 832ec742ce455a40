import * as vscode from 'vscode';
import { ContextKeys } from '../constants';
import { sandboxEnvironment, SANDBOX_ENVIRONMENT_NAME } from '../core/environments';
import type { Logger } from '../core/log';
import { scoped } from '../core/log';
import type * as SandboxModule from '../lazy/sandbox';
import type { CredentialStore } from './credentials';
import { Disposable } from './disposable';
import type { EnvironmentService } from './environments';
import { loadLazy } from './lazy';

type Running = Awaited<ReturnType<typeof SandboxModule.startSandbox>>;

/** What the Start Local Sandbox command may set (the sandbox's own options, minus logging). */
export interface SandboxStartOptions {
  port?: number;
  patients?: number;
  seed?: number;
  users?: number;
  rateLimitPerHour?: number;
  tokenLifetimeSeconds?: number;
  exportStyle?: 'direct' | 'async';
  /** Select the sandbox as the active environment (default true). */
  select?: boolean;
}

/** Runs the local sandbox inside the extension host and makes it the "Local Sandbox" environment. */
export class SandboxController extends Disposable {
  private running: Running | undefined;
  private starting: Promise<Running> | undefined;

  constructor(
    private readonly environments: EnvironmentService,
    private readonly credentials: CredentialStore,
    private readonly logger: Logger,
  ) {
    super();
  }

  get url(): string | undefined {
    return this.running?.url;
  }

  get isRunning(): boolean {
    return !!this.running;
  }

  /** Starts (or returns the running) sandbox, stores its demo credentials and selects it. */
  /** Read-only views of the running sandbox's state (users, resources, calls), e.g. for tests. */
  get state(): Running['state'] | undefined {
    return this.running?.state;
  }

  /** Makes the running sandbox misbehave on purpose (see its faults), to try error handling. */
  addFault(rule: Parameters<Running['addFault']>[0]): void {
    if (!this.running) throw new Error(vscode.l10n.t('The local sandbox is not running.'));
    this.running.addFault(rule);
  }

  /** Fault rules not used up yet (0 once every request they were meant for has arrived). */
  pendingFaults(): number {
    return this.running?.pendingFaults() ?? 0;
  }

  /**
   * Lets the sandbox answer a browser that reaches it through a forwarded address (VS Code in a
   * browser: `vscode.env.asExternalUri` gives `http://<workbench host>/proxy/<port>/`).
   */
  allowForwardedHost(host: string): void {
    if (!this.running) throw new Error(vscode.l10n.t('The local sandbox is not running.'));
    this.running.allowHost(host);
  }

  async start(options: SandboxStartOptions = {}): Promise<Running> {
    if (this.running) return this.running;
    this.starting ??= (async () => {
      const mod = loadLazy<typeof SandboxModule>('sandbox');
      const { select: _select, ...sandboxOptions } = options;
      const sandbox = await mod.startSandbox({ ...sandboxOptions, logger: scoped(this.logger, 'sandbox') });
      this.running = sandbox;
      await this.credentials.set(SANDBOX_ENVIRONMENT_NAME, sandbox.credentials);
      this.environments.setSandbox(sandboxEnvironment(sandbox.url));
      await vscode.commands.executeCommand('setContext', ContextKeys.sandboxRunning, true);
      this.logger.info(`[sandbox] listening on ${sandbox.url}`);
      return sandbox;
    })().finally(() => { this.starting = undefined; });
    const sandbox = await this.starting;
    if (options.select !== false) await this.environments.select(SANDBOX_ENVIRONMENT_NAME);
    return sandbox;
  }

  async stop(): Promise<void> {
    const sandbox = this.running ?? (this.starting && await this.starting.catch(() => undefined));
    if (!sandbox) return;
    this.running = undefined;
    await sandbox.close();
    await this.credentials.delete(SANDBOX_ENVIRONMENT_NAME);
    this.environments.setSandbox(undefined);
    await vscode.commands.executeCommand('setContext', ContextKeys.sandboxRunning, false);
    this.logger.info('[sandbox] stopped');
  }

  override dispose(): void {
    const sandbox = this.running;
    this.running = undefined;
    void sandbox?.close();
    super.dispose();
  }

  /** For deactivate(): waits until the server is closed. */
  async closeForShutdown(): Promise<void> {
    const sandbox = this.running;
    this.running = undefined;
    await sandbox?.close();
  }
}
