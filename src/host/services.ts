import * as vscode from 'vscode';
import type { Telemetry } from '../core/telemetry';
import type { CredentialStore } from './credentials';
import type { EnvironmentService } from './environments';
import type { ChannelLogger } from './logger';
import type { SandboxController } from './sandboxController';

/** What the UI layers are given; built once in extension.ts. */
export interface Services {
  readonly context: vscode.ExtensionContext;
  readonly logger: ChannelLogger;
  readonly telemetry: Telemetry;
  readonly environments: EnvironmentService;
  readonly credentials: CredentialStore;
  readonly sandbox: SandboxController;
  /** Fired by the Refresh command; views reload from the server. */
  readonly refresh: vscode.EventEmitter<string | undefined>;
}
