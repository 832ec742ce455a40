import * as vscode from 'vscode';
import { Walkthrough } from '../constants';
import { SANDBOX_ENVIRONMENT_NAME } from '../core/environments';
import { actionOf } from '../core/tools/actions';
import { answerChars } from '../core/tools/budget';
import { TOOL_TRAITS, type ToolName, ToolNames } from '../core/tools/catalog';
import { errorForModel } from '../core/tools/errors';
import { decide, type GuardContext } from '../core/tools/guard';
import { Input } from '../core/tools/inputs';
import { maskForModel } from '../core/tools/mask';
import type { RecordedRequest } from '../core/tools/state';
import { loadLazy } from '../host/lazy';
import { completeWalkthroughStep } from '../host/walkthrough';
import type { Services } from '../host/services';
import { settings } from '../host/settings';
import type { ExportActivity, ToolImplementations, ToolsState } from './context';

/**
 * One 1upHealth tool as VS Code sees it. `prepareInvocation` applies the PHI guard and asks VS
 * Code for a confirmation where one is due; `invoke` applies the guard again (the environment may
 * have changed meanwhile), runs the implementation from the lazily loaded bundle in a call scope
 * of its own (its requests become a numbered call for the curl tool), and answers plain text,
 * masked like the log. Errors are answered as text for the model, never thrown.
 */
export class OneUpTool implements vscode.LanguageModelTool<unknown> {
  constructor(
    readonly name: ToolName,
    private readonly s: Services,
    private readonly state: ToolsState,
    private readonly exportActivity: ExportActivity,
  ) {}

  prepareInvocation(options: vscode.LanguageModelToolInvocationPrepareOptions<unknown>): vscode.PreparedToolInvocation {
    const action = actionOf(this.name, options.input);
    const ctx = this.guardContext();
    if (!ctx) return { invocationMessage: vscode.l10n.t({ message: '1upHealth: {0}', args: [action], comment: ['{0}: what the tool does, e.g. "search Observation"'] }) };
    const d = decide(this.name, ctx, action);
    if (d.kind === 'refuse') return { invocationMessage: vscode.l10n.t('1upHealth: not allowed in “{0}”: {1}', ctx.environment, action) };
    const invocationMessage = vscode.l10n.t({ message: '1upHealth ({0}): {1}', args: [ctx.environment, action], comment: ['{0}: the environment; {1}: what the tool does, e.g. "search Observation"'] });
    if (!d.confirm) return { invocationMessage };
    this.state.confirmations.note(this.name, ctx.environment, options.input);
    return {
      invocationMessage,
      confirmationMessages: { title: d.confirm.title, message: new vscode.MarkdownString(d.confirm.message) },
    };
  }

  async invoke(options: vscode.LanguageModelToolInvocationOptions<unknown>, token: vscode.CancellationToken): Promise<vscode.LanguageModelToolResult> {
    const started = performance.now();
    let outcome = 'success';
    let text: string;
    const controller = new AbortController();
    const sub = token.onCancellationRequested(() => controller.abort());
    try {
      text = await this.run(options, controller.signal);
      if (text.startsWith('Refused:')) outcome = 'refused';
      else completeWalkthroughStep(Walkthrough.steps.chatTools);
    } catch (e) {
      outcome = controller.signal.aborted ? 'cancelled' : 'error';
      if (!controller.signal.aborted) this.s.logger.warn(`[tools] ${this.name} failed: ${e instanceof Error ? `${e.name}: ${e.message}` : String(e)}`);
      text = errorForModel(e, lowerFirst(TOOL_TRAITS[this.name].running));
    } finally {
      sub.dispose();
    }
    const ms = Math.round(performance.now() - started);
    this.s.logger.info(`[tools] ${this.name}: ${outcome} in ${ms} ms`);
    this.s.telemetry.sendEvent('tool', { id: this.name, outcome }, { durationMs: ms });
    return new vscode.LanguageModelToolResult([new vscode.LanguageModelTextPart(maskForModel(text, this.s.logger.masker))]);
  }

  private async run(options: vscode.LanguageModelToolInvocationOptions<unknown>, signal: AbortSignal): Promise<string> {
    const environment = this.s.clients.environment();
    const ctx = this.guardContext()!;
    const d = decide(this.name, ctx, actionOf(this.name, options.input));
    if (d.kind === 'refuse') return d.reason;
    if (d.confirm && !this.state.confirmations.take(this.name, ctx.environment, options.input)) {
      return `Refused: this call needs the user's confirmation for “${ctx.environment}”, and none was given for it (or the active environment changed after it was given). Call the tool again so VS Code can ask the user.`;
    }
    const impl = loadLazy<ToolImplementations>('tools');
    const { value, calls } = await this.s.clients.calls.recording(() => this.s.clients.calls.command(() => impl.runTool(this.name, {
      s: this.s, state: this.state, input: new Input(options.input), raw: options.input, signal,
      maxChars: answerChars(options.tokenizationOptions?.tokenBudget),
      environment, sandbox: ctx.sandbox, exportActivity: this.exportActivity,
    })));
    const n = this.state.calls.record(this.name, environment.name, calls);
    return n === undefined ? value : `${value}\n${footer(n, calls)}`;
  }

  /** The guard's view of the active environment; undefined when there is none (the call then says so). */
  private guardContext(): GuardContext | undefined {
    const env = this.s.environments.active();
    if (!env) return undefined;
    let origin: string | undefined;
    try {
      origin = new URL(env.apiUrl).origin;
    } catch {
      origin = undefined;
    }
    return {
      environment: env.name,
      origin,
      sandbox: env.name === SANDBOX_ENVIRONMENT_NAME && env === this.s.environments.sandboxEnvironment,
      allowRealPatientData: settings.toolsAllowRealPatientData(),
    };
  }
}

/** Which requests the call made, and how to get one as curl. */
function footer(n: number, calls: readonly RecordedRequest[]): string {
  const last = calls[calls.length - 1];
  const path = last.target.split('?')[0];
  const what = `${last.method} ${path} → ${last.status ?? last.error ?? 'no answer'}`;
  return `(Call #${n}: ${calls.length > 1 ? `${calls.length} requests, the last ` : ''}${what}. ${ToolNames.curl} with {"call":${n}} gives it as a curl command.)`;
}

function lowerFirst(s: string): string {
  return s ? s[0].toLowerCase() + s.slice(1) : s;
}
