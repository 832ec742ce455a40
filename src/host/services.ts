import * as vscode from 'vscode';
import type { Telemetry } from '../core/telemetry';
import type { ClientProvider } from './clientProvider';
import type { CredentialStore } from './credentials';
import type { EnvironmentService } from './environments';
import type { ChannelLogger } from './logger';
import type { SandboxController } from './sandboxController';
import type { UserMemory } from './userMemory';

/** What the UI layers are given; built once in extension.ts. */
export interface Services {
  readonly context: vscode.ExtensionContext;
  readonly logger: ChannelLogger;
  readonly telemetry: Telemetry;
  readonly environments: EnvironmentService;
  readonly credentials: CredentialStore;
  readonly sandbox: SandboxController;
  /** The API client of the active environment (built lazily). */
  readonly clients: ClientProvider;
  readonly memory: UserMemory;
  /** Fired by the Refresh command; views reload from the server. */
  readonly refresh: vscode.EventEmitter<string | undefined>;
}
