import * as vscode from 'vscode';
import type { Services } from '../host/services';
import { BaseTreeProvider, CommonNode } from './baseProvider';

export type UserNode = { kind: 'user'; oneupUserId: string; appUserId: string; active: boolean };

/** The app's users. */
export class UsersTree extends BaseTreeProvider<UserNode> {
  constructor(private readonly s: Services) {
    super();
    this._register(s.environments.onDidChange(() => this.refresh()));
    this._register(s.credentials.onDidChange(() => this.refresh()));
  }

  protected async loadChildren(node: UserNode | undefined): Promise<(UserNode | CommonNode)[]> {
    if (node) return [];
    const env = this.s.environments.active();
    if (!env || !(await this.s.credentials.get(env.name))) return [];
    return [];
  }

  protected itemFor(node: UserNode): vscode.TreeItem {
    const item = new vscode.TreeItem(node.appUserId, vscode.TreeItemCollapsibleState.Collapsed);
    item.id = `user/${node.oneupUserId}`;
    item.iconPath = new vscode.ThemeIcon(node.active ? 'account' : 'circle-slash');
    item.contextValue = node.active ? 'user' : 'user.inactive';
    return item;
  }
}
