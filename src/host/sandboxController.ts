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
  async start(options: { port?: number; patients?: number; seed?: number; select?: boolean } = {}): Promise<Running> {
    if (this.running) return this.running;
    this.starting ??= (async () => {
      const mod = loadLazy<typeof SandboxModule>('sandbox');
      const sandbox = await mod.startSandbox({
        port: options.port,
        patients: options.patients,
        seed: options.seed,
        logger: scoped(this.logger, 'sandbox'),
      });
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
