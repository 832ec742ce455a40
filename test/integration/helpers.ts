import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { EXTENSION_ID } from '../../src/constants';
import type { ExtensionApi } from '../../src/extension';

/** Activates the extension under test and answers what activate() returned. */
export async function activateExtension(): Promise<ExtensionApi> {
  const ext = vscode.extensions.getExtension<ExtensionApi | undefined>(EXTENSION_ID);
  assert.ok(ext, `extension ${EXTENSION_ID} is not loaded`);
  const api = await ext.activate();
  assert.ok(api, 'activate() answers the services when VS Code runs the extension in Test mode');
  return api;
}

/** Polls until `check` answers a truthy value (UI state settles asynchronously). */
export async function eventually<T>(check: () => T | Promise<T>, what: string, timeoutMs = 20000): Promise<NonNullable<T>> {
  const end = Date.now() + timeoutMs;
  let last: unknown;
  while (Date.now() < end) {
    try {
      const v = await check();
      if (v) return v as NonNullable<T>;
    } catch (e) {
      last = e;
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`timed out waiting for ${what}${last ? `: ${String(last)}` : ''}`);
}

/**
 * Starts the extension's local sandbox (in the extension host) and makes it the active environment;
 * a sandbox already running is kept as it is (see restartSandbox).
 */
export async function startSandbox(options: Record<string, unknown> = {}): Promise<{ api: ExtensionApi; url: string }> {
  const api = await activateExtension();
  const url = await vscode.commands.executeCommand<string>('oneup.startSandbox', { port: 0, patients: 3, ...options });
  assert.match(String(url), /^http:\/\/127\.0\.0\.1:\d+$/, 'the sandbox started');
  return { api, url };
}

export async function stopSandbox(): Promise<void> {
  await vscode.commands.executeCommand('oneup.stopSandbox');
}

/**
 * A new sandbox with exactly these options (Start Local Sandbox answers the running one as it is,
 * whatever options it is given): for a test that needs a given number of users or patients.
 */
export async function restartSandbox(options: Record<string, unknown> = {}): Promise<{ api: ExtensionApi; url: string }> {
  await stopSandbox();
  return startSandbox(options);
}

/** Labels of tree items, resolved as VS Code would show them. */
export async function labels(provider: { getTreeItem(n: unknown): vscode.TreeItem | Thenable<vscode.TreeItem> }, nodes: readonly unknown[]): Promise<string[]> {
  const out: string[] = [];
  for (const n of nodes) {
    const item = await provider.getTreeItem(n);
    out.push(typeof item.label === 'string' ? item.label : item.label?.label ?? '');
  }
  return out;
}

/**
 * Replaces one `vscode.window` function while `work` runs: to answer a prompt the way a user
 * would, to see that none is shown, or to read a notification's text.
 */
export async function stubWindow<K extends keyof typeof vscode.window, T>(name: K, fake: (...args: never[]) => unknown, work: () => Promise<T>): Promise<T> {
  const window = vscode.window as unknown as Record<string, unknown>;
  const real = window[name];
  window[name] = fake;
  try {
    return await work();
  } finally {
    window[name] = real;
  }
}

/** A prompt that must not be shown: records that it was. */
export function noPrompt(shown: string[]): (...args: unknown[]) => Promise<undefined> {
  return async (...args: unknown[]) => {
    const options = args.find((a): a is { title?: string; prompt?: string } => typeof a === 'object' && a !== null && !Array.isArray(a) && ('title' in a || 'prompt' in a));
    shown.push(options?.title ?? options?.prompt ?? 'a prompt');
    return undefined;
  };
}
