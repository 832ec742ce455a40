import * as vscode from 'vscode';
import type { Services } from '../host/services';
import { BaseTreeProvider, CommonNode } from './baseProvider';

export type HealthSystemNode = { kind: 'system'; id: string; name: string };

/** The health systems users can connect. */
export class HealthSystemsTree extends BaseTreeProvider<HealthSystemNode> {
  constructor(private readonly s: Services) {
    super();
    this._register(s.environments.onDidChange(() => this.refresh()));
    this._register(s.credentials.onDidChange(() => this.refresh()));
  }

  protected async loadChildren(node: HealthSystemNode | undefined): Promise<(HealthSystemNode | CommonNode)[]> {
    if (node) return [];
    const env = this.s.environments.active();
    if (!env || !(await this.s.credentials.get(env.name))) return [];
    return [];
  }

  protected itemFor(node: HealthSystemNode): vscode.TreeItem {
    const item = new vscode.TreeItem(node.name);
    item.id = `system/${node.id}`;
    item.iconPath = new vscode.ThemeIcon('organization');
    return item;
  }
}
