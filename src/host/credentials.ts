import { createHash } from 'node:crypto';
import * as vscode from 'vscode';
import { SecretKeys } from '../constants';
import type { SecretMasker } from '../core/log';
import { Disposable } from './disposable';

export interface AppCredentials {
  clientId: string;
  clientSecret: string;
}

/**
 * App credentials and user tokens in SecretStorage, one entry per environment (tokens per
 * environment and user). Every client secret read or written is handed to the log masker.
 */
export class CredentialStore extends Disposable {
  private readonly changed = this._register(new vscode.EventEmitter<string>());
  /** Fires with the environment name whose credentials changed, once per change. */
  readonly onDidChange = this.changed.event;
  /** A hash of the credentials last seen per environment: SecretStorage echoes our own writes. */
  private readonly seen = new Map<string, string>();

  constructor(private readonly secrets: vscode.SecretStorage, private readonly masker: SecretMasker) {
    super();
    this._register(secrets.onDidChange(async (e) => {
      const prefix = SecretKeys.credentials('');
      if (!e.key.startsWith(prefix)) return;
      // our own store/delete, echoed, or a change made in another window
      const environment = e.key.slice(prefix.length);
      this.saw(environment, await secrets.get(e.key));
    }));
  }

  private saw(environment: string, raw: string | undefined): void {
    const hash = raw === undefined ? '' : createHash('sha256').update(raw).digest('hex');
    if (this.seen.get(environment) === hash) return;
    this.seen.set(environment, hash);
    this.changed.fire(environment);
  }

  async get(environment: string): Promise<AppCredentials | undefined> {
    const raw = await this.secrets.get(SecretKeys.credentials(environment));
    if (!raw) return undefined;
    try {
      const c = JSON.parse(raw) as AppCredentials;
      if (typeof c.clientId !== 'string' || typeof c.clientSecret !== 'string') return undefined;
      this.masker.add(c.clientSecret);
      return c;
    } catch {
      return undefined;
    }
  }

  async set(environment: string, credentials: AppCredentials): Promise<void> {
    this.masker.add(credentials.clientSecret);
    const raw = JSON.stringify(credentials);
    await this.secrets.store(SecretKeys.credentials(environment), raw);
    this.saw(environment, raw);
  }

  /** Removes the environment's app credentials and every user token kept for it. */
  async delete(environment: string): Promise<void> {
    await this.secrets.delete(SecretKeys.credentials(environment));
    const tokenPrefix = SecretKeys.tokens(environment, '');
    for (const key of await this.secrets.keys()) {
      if (key.startsWith(tokenPrefix)) await this.secrets.delete(key);
    }
    this.saw(environment, undefined);
  }

  /**
   * A key/value store for one environment's user tokens (the API client's TokenStore); the client
   * masks the tokens of every set it loads or keeps.
   */
  tokenStore(environment: string): { get(key: string): Promise<string | undefined>; set(key: string, value: string): Promise<void>; delete(key: string): Promise<void> } {
    return {
      get: (key) => Promise.resolve(this.secrets.get(SecretKeys.tokens(environment, key))),
      set: (key, value) => Promise.resolve(this.secrets.store(SecretKeys.tokens(environment, key), value)),
      delete: (key) => Promise.resolve(this.secrets.delete(SecretKeys.tokens(environment, key))),
    };
  }
}
