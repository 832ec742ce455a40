import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { EXTENSION_ID } from '../../src/constants';
import type { Services } from '../../src/host/services';

/** Activates the extension under test and answers what activate() returned. */
export async function activateExtension(): Promise<Services> {
  const ext = vscode.extensions.getExtension<Services>(EXTENSION_ID);
  assert.ok(ext, `extension ${EXTENSION_ID} is not loaded`);
  return ext.activate();
}

/** Polls until `check` answers a truthy value (UI state settles asynchronously). */
export async function eventually<T>(check: () => T | Promise<T>, what: string, timeoutMs = 10000): Promise<NonNullable<T>> {
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
