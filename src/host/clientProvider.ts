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
import { networkSettingsKey, vscodeNetwork } from './network';
import type { ProxyLogins } from './proxyLogin';
import { settings } from './settings';

export type ApiModule = typeof Api;

/** A client held by long work (a bulk export): it stays open, even once superseded, until released. */
export interface ClientLease {
  readonly client: Api.OneUpClient;
  /** Releases the client; a superseded one closes when its last lease is released. */
  release(): void;
}

/**
 * Answers the API client of the active environment, built on first use (the HTTP stack is a
 * lazily loaded bundle) and rebuilt when the environment, its credentials or a setting it
 * depends on changes. A superseded client closes at once unless work holds a lease on it
 * (`acquire`): then it closes when that work ends, so a running export is not cut off by a
 * settings change.
 */
export class ClientProvider extends Disposable {
  private current: { key: string; client: Api.OneUpClient; env: Environment } | undefined;
  private readonly budgetChanged = this._register(new vscode.EventEmitter<Api.BudgetState>());
  /** The user-management call budget of the active environment's app. */
  readonly onDidChangeBudget = this.budgetChanged.event;
  private budgetSub: Api.Subscription | undefined;
  /** Clients with leases, and how many each has. */
  private readonly leases = new Map<Api.OneUpClient, number>();
  /** Which requests each command made (the client reports every request it sends). */
  readonly calls = new CallRecorder();

  constructor(
    private readonly environments: EnvironmentService,
    private readonly credentials: CredentialStore,
    private readonly logger: ChannelLogger,
    private readonly version: string,
    private readonly proxyLogins: ProxyLogins,
  ) {
    super();
    this._register(environments.onDidChange(() => this.invalidate()));
    // the environments themselves come through `environments.onDidChange`; here only a setting
    // the client is built with (its key) rebuilds it
    this._register(vscode.workspace.onDidChangeConfiguration(() => {
      if (this.current && this.current.key !== this.keyOf(this.current.env)) this.invalidate();
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
      ? vscode.l10n.t('The local sandbox is not running. Start it with "1upHealth: Start Local Sandbox".')
      : vscode.l10n.t('The environment "{0}" does not exist: pick one with "1upHealth: Select Environment…".', name));
  }

  get(): Api.OneUpClient {
    const env = this.environment();
    const key = this.keyOf(env);
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
      maxResponseBytes: settings.maxResponseBytes(),
      network: vscodeNetwork(this.logger, this.logger.masker, this.proxyLogins),
    });
    this.budgetSub = client.budget.onDidChange((b) => this.budgetChanged.fire(b));
    this.current = { key, client, env };
    return client;
  }

  /**
   * The active client, kept open for the caller until `release()` even when settings or the
   * environment change meanwhile (later calls of `get()` answer a new client then).
   */
  acquire(): ClientLease {
    const client = this.get();
    this.leases.set(client, (this.leases.get(client) ?? 0) + 1);
    let released = false;
    return {
      client,
      release: () => {
        if (released || this.isDisposed) return;
        released = true;
        const left = (this.leases.get(client) ?? 1) - 1;
        if (left > 0) {
          this.leases.set(client, left);
          return;
        }
        this.leases.delete(client);
        if (this.current?.client !== client) this.close(client);
      },
    };
  }

  /** What the client is built from: the environment and every setting it reads; a change rebuilds it. */
  private keyOf(env: Environment): string {
    return JSON.stringify([env, networkSettingsKey(), settings.requestTimeoutSeconds(), settings.maxTries(), settings.logQueryValues(), settings.maxResponseBytes()]);
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
    if (!old) return;
    const held = this.leases.get(old.client);
    if (held) this.logger.info(`[client] settings or environment changed: the previous client closes when ${held} running task${held > 1 ? 's' : ''} finish${held > 1 ? '' : 'es'}`);
    else this.close(old.client);
  }

  private close(client: Api.OneUpClient): void {
    client.dispose().catch((e: unknown) => this.logger.warn(`[client] closing a client failed: ${e instanceof Error ? e.message : String(e)}`));
  }

  /** On shutdown every client closes, leased or not. */
  override dispose(): void {
    this.invalidate();
    for (const client of this.leases.keys()) this.close(client);
    this.leases.clear();
    super.dispose();
  }
}
