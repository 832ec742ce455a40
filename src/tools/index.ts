import * as vscode from 'vscode';
import { ToolNames } from '../core/tools/catalog';
import { ExportJobs } from '../core/tools/jobs';
import { Confirmations, PageCursors, RecentToolCalls } from '../core/tools/state';
import type { Services } from '../host/services';
import type { ExportActivity, ToolsState } from './context';
import { OneUpTool } from './tool';

/** What tests reach through the extension's test-mode API. */
export interface ToolsApi {
  readonly tools: ReadonlyMap<string, OneUpTool>;
  readonly state: ToolsState;
}

/**
 * Registers the 1upHealth language-model tools (declared in package.json's
 * `contributes.languageModelTools`). Only the thin tool objects load here; what they do is in
 * dist/lazy/tools.js, loaded on the first call.
 */
export function registerTools(s: Services, exportActivity: ExportActivity): ToolsApi {
  const state: ToolsState = { cursors: new PageCursors(), calls: new RecentToolCalls(), confirmations: new Confirmations(), exports: new ExportJobs() };
  const tools = new Map<string, OneUpTool>();
  for (const name of Object.values(ToolNames)) {
    const tool = new OneUpTool(name, s, state, exportActivity);
    tools.set(name, tool);
    s.context.subscriptions.push(vscode.lm.registerTool(name, tool));
  }
  return { tools, state };
}
