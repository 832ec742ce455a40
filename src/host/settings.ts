import * as vscode from 'vscode';
import { Settings } from '../constants';

/** Typed reads of the extension's settings; read on every use so changes apply at once. */
export const settings = {
  environments(): Record<string, unknown> {
    return vscode.workspace.getConfiguration().get<Record<string, unknown>>(Settings.environments) ?? {};
  },
  activeEnvironment(): string {
    return vscode.workspace.getConfiguration().get<string>(Settings.activeEnvironment) ?? '';
  },
  async setActiveEnvironment(name: string): Promise<void> {
    await vscode.workspace.getConfiguration().update(Settings.activeEnvironment, name, vscode.ConfigurationTarget.Global);
  },
  requestTimeoutSeconds(): number {
    return clamp(vscode.workspace.getConfiguration().get<number>(Settings.requestTimeoutSeconds) ?? 30, 1, 600);
  },
  maxTries(): number {
    return clamp(Math.round(vscode.workspace.getConfiguration().get<number>(Settings.maxTries) ?? 3), 1, 10);
  },
  logQueryValues(): boolean {
    return vscode.workspace.getConfiguration().get<boolean>(Settings.logQueryValues) ?? false;
  },
  sandboxPort(): number {
    return clamp(Math.round(vscode.workspace.getConfiguration().get<number>(Settings.sandboxPort) ?? 0), 0, 65535);
  },
  sandboxPatients(): number {
    return clamp(Math.round(vscode.workspace.getConfiguration().get<number>(Settings.sandboxPatients) ?? 20), 0, 100000);
  },
  sandboxAutoStart(): boolean {
    return vscode.workspace.getConfiguration().get<boolean>(Settings.sandboxAutoStart) ?? false;
  },
  exportParallelDownloads(): number {
    return clamp(Math.round(vscode.workspace.getConfiguration().get<number>(Settings.exportParallelDownloads) ?? 4), 1, 16);
  },
  /** The largest JSON or text answer the client reads into memory, in bytes (setting in MB). */
  maxResponseBytes(): number {
    return clamp(vscode.workspace.getConfiguration().get<number>(Settings.maxResponseSizeMB) ?? 64, 1, 4096) * 1024 * 1024;
  },
  /** Machine-scoped: a workspace cannot turn it on. */
  toolsAllowRealPatientData(): boolean {
    return vscode.workspace.getConfiguration().get<boolean>(Settings.toolsAllowRealPatientData) === true;
  },
};

function clamp(n: number, min: number, max: number): number {
  return Number.isFinite(n) ? Math.min(max, Math.max(min, n)) : min;
}
