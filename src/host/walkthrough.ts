import * as vscode from 'vscode';
import { EXTENSION_ID, Walkthrough } from '../constants';

type Step = (typeof Walkthrough.steps)[keyof typeof Walkthrough.steps];

/**
 * Ticks a step of the getting-started walkthrough. Its completion events alone miss what
 * happened before VS Code first opened the walkthrough page (that is when it starts listening,
 * and a context key that is already true then never ticks its step), so the extension says so
 * itself. VS Code's own `welcome.markStepComplete` does it; where it is missing, nothing happens.
 */
export function completeWalkthroughStep(step: Step): void {
  void vscode.commands.executeCommand('welcome.markStepComplete', `${EXTENSION_ID}#${Walkthrough.id}#${step}`).then(undefined, () => undefined);
}
