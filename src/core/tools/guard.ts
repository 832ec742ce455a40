import * as l10n from '@vscode/l10n';
import { escapeMarkdown as escapeMd } from '../util/markdown';
import { TOOL_TRAITS, type ToolName } from './catalog';

/** Where a tool call would run, as the guard needs to know it. */
export interface GuardContext {
  /** The active environment's name (`Local Sandbox`, `1upHealth`, …). */
  environment: string;
  /** Where it lives (shown in the confirmation). */
  origin?: string;
  /** The active environment is the Local Sandbox this extension runs (synthetic data only). */
  sandbox: boolean;
  /** `oneup.tools.allowRealPatientData` */
  allowRealPatientData: boolean;
}

export interface Confirmation {
  title: string;
  /** Markdown. */
  message: string;
}

export type GuardDecision =
  | { kind: 'refuse'; reason: string }
  | { kind: 'allow'; confirm?: Confirmation };

export const ALLOW_SETTING = 'oneup.tools.allowRealPatientData';

/**
 * The PHI guard. In the Local Sandbox every tool runs (its data is synthetic); only write actions
 * are confirmed. Anywhere else sandbox-only tools are refused, tools that answer patient data are
 * refused unless the user turned on `oneup.tools.allowRealPatientData` and then confirmed one call
 * at a time, and write actions are confirmed. `action` says what this call does, in a few words.
 */
export function decide(tool: ToolName, ctx: GuardContext, action: string): GuardDecision {
  const t = TOOL_TRAITS[tool];
  const where = `“${ctx.environment}”${ctx.origin ? ` (${ctx.origin})` : ''}`;
  if (!ctx.sandbox && t.sandboxOnly) {
    return { kind: 'refuse', reason: `Refused: ${tool} only works in the Local Sandbox, and the active 1upHealth environment is ${where}. Ask the user to switch with “1upHealth: Select Environment…” or start it with “1upHealth: Start Local Sandbox”; for a real app the user does this in the 1upHealth views.` };
  }
  if (!ctx.sandbox && t.patientData && !ctx.allowRealPatientData) {
    return { kind: 'refuse', reason: `Refused: the active 1upHealth environment ${where} is not the Local Sandbox, so its answers may hold real patient data, and the user has not allowed sending patient data to a language model (setting ${ALLOW_SETTING} is off). Nothing was requested. Work in the Local Sandbox instead (“1upHealth: Start Local Sandbox”), or let the user decide to turn the setting on.` };
  }
  // the confirmation is the user's to read (VS Code's dialog): in their language; refusals above are the model's
  const env = escapeMd(ctx.environment);
  const origin = ctx.origin ? escapeMd(ctx.origin) : '';
  const receives = l10n.t('The language model will receive: {0}.', t.sends);
  // what the call does holds what the model wrote (ids, search values, names): shown as text, never as links or images
  const act = escapeMd(capitalize(action));
  if (!ctx.sandbox && t.patientData) {
    return { kind: 'allow', confirm: {
      title: l10n.t('Send patient data from {0} to the language model?', ctx.environment),
      message: `${origin
        ? l10n.t('{0} in the 1upHealth environment **{1}** ({2}), which is not the Local Sandbox and may hold **real patient data**.', act, env, origin)
        : l10n.t('{0} in the 1upHealth environment **{1}**, which is not the Local Sandbox and may hold **real patient data**.', act, env)}\n\n${receives}`,
    } };
  }
  if (t.write) {
    const where = ctx.sandbox
      ? origin ? l10n.t('{0} in the 1upHealth environment **{1}** ({2}) (synthetic data).', act, env, origin) : l10n.t('{0} in the 1upHealth environment **{1}** (synthetic data).', act, env)
      : origin ? l10n.t('{0} in the 1upHealth environment **{1}** ({2}).', act, env, origin) : l10n.t('{0} in the 1upHealth environment **{1}**.', act, env);
    return { kind: 'allow', confirm: { title: l10n.t('{0}?', capitalize(action)), message: `${where}\n\n${receives}` } };
  }
  return { kind: 'allow' };
}

function capitalize(s: string): string {
  return s ? s[0].toUpperCase() + s.slice(1) : s;
}
