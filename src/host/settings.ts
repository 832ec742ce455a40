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
  /** Machine-scoped: a workspace cannot turn it on. */
  toolsAllowRealPatientData(): boolean {
    return vscode.workspace.getConfiguration().get<boolean>(Settings.toolsAllowRealPatientData) === true;
  },
  /** VS Code's own proxy settings, passed to the API client. */
  proxy(): { proxy?: string; strictSSL: boolean } {
    const http = vscode.workspace.getConfiguration('http');
    const proxy = http.get<string>('proxy') || undefined;
    return { proxy, strictSSL: http.get<boolean>('proxyStrictSSL') ?? true };
  },
};

function clamp(n: number, min: number, max: number): number {
  return Number.isFinite(n) ? Math.min(max, Math.max(min, n)) : min;
}
