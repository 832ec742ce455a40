import * as vscode from 'vscode';
import type * as Api from '../core/api';
import { AuthError } from '../core/errors';
import { SANDBOX_ENVIRONMENT_NAME, type Environment } from '../core/environments';
import { CallRecorder } from './callRecorder';
import type { CredentialStore } from './credentials';
import { Disposable } from './disposable';
import type { EnvironmentService } from './environments';
import { loadLazy } from './lazy';
import type { ChannelLogger } from './logger';
import { settings } from './settings';

export type ApiModule = typeof Api;

/**
 * Answers the API client of the active environment, built on first use (the HTTP stack is a
 * lazily loaded bundle) and rebuilt when the environment, its credentials or a setting it
 * depends on changes.
 */
export class ClientProvider extends Disposable {
  private current: { key: string; client: Api.OneUpClient; env: Environment } | undefined;
  private readonly budgetChanged = this._register(new vscode.EventEmitter<Api.BudgetState>());
  /** The user-management call budget of the active environment's app. */
  readonly onDidChangeBudget = this.budgetChanged.event;
  private budgetSub: Api.Subscription | undefined;
  /** Which requests each command made (the client reports every request it sends). */
  readonly calls = new CallRecorder();

  constructor(
    private readonly environments: EnvironmentService,
    private readonly credentials: CredentialStore,
    private readonly logger: ChannelLogger,
    private readonly version: string,
  ) {
    super();
    this._register(environments.onDidChange(() => this.invalidate()));
    this._register(vscode.workspace.onDidChangeConfiguration((e) => {
      if (e.affectsConfiguration('oneup') || e.affectsConfiguration('http.proxy') || e.affectsConfiguration('http.proxyStrictSSL')) this.invalidate();
    }));
  }

  get api(): ApiModule {
    return loadLazy<ApiModule>('api');
  }

  /** The active environment, or a clear error when there is none (e.g. a stopped sandbox). */
  environment(): Environment {
    const env = this.environments.active();
    if (env) return env;
    const name = this.environments.activeName();
    throw new AuthError('missing-credentials', name === SANDBOX_ENVIRONMENT_NAME
      ? 'The local sandbox is not running. Start it with "1upHealth: Start Local Sandbox".'
      : `The environment "${name}" does not exist: pick one with "1upHealth: Select Environment…".`);
  }

  get(): Api.OneUpClient {
    const env = this.environment();
    const proxy = settings.proxy();
    const key = JSON.stringify([env, proxy, settings.requestTimeoutSeconds(), settings.maxTries(), settings.logQueryValues()]);
    if (this.current?.key === key) return this.current.client;
    this.invalidate();
    const api = this.api;
    const client = api.createOneUpClient({
      environment: env,
      userAgent: `vscode-oneup-health/${this.version} VSCode/${vscode.version}`,
      credentials: () => this.credentials.get(env.name),
      tokenStore: this.credentials.tokenStore(env.name),
      logger: this.logger,
      masker: this.logger.masker,
      onCall: (call) => this.calls.sent(call),
      requestTimeoutSeconds: settings.requestTimeoutSeconds(),
      maxTries: settings.maxTries(),
      logQueryValues: settings.logQueryValues(),
      proxy: proxy.proxy,
      strictSSL: proxy.strictSSL,
    });
    this.budgetSub = client.budget.onDidChange((b) => this.budgetChanged.fire(b));
    this.current = { key, client, env };
    return client;
  }

  /** The last request the active client sent, by anyone (a command, a view, a panel). */
  get lastCall(): Api.LastCall | undefined {
    return this.current?.client.lastCall;
  }

  private invalidate(): void {
    const old = this.current;
    this.current = undefined;
    this.calls.forget();
    this.budgetSub?.dispose();
    this.budgetSub = undefined;
    if (old) void old.client.dispose();
  }

  override dispose(): void {
    this.invalidate();
    super.dispose();
  }
}
