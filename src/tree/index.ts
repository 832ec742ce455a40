import * as vscode from 'vscode';
import { Views } from '../constants';
import type { Command } from '../host/commands';
import { LogoCache } from '../host/logoCache';
import type { Services } from '../host/services';
import { BaseTreeProvider, CommonNode, RETRY_COMMAND } from './baseProvider';
import { ExportsTree } from './exports';
import { HealthSystemsTree } from './healthSystemsTree';
import { ResourcesTree } from './resourcesTree';
import { UsersTree } from './usersTree';

export interface Trees {
  users: UsersTree;
  healthSystems: HealthSystemsTree;
  resources: ResourcesTree;
  exports: ExportsTree;
}

/** Creates the three views; answers the tree commands for the command table. */
export function registerTrees(s: Services): { trees: Trees; commands: Command[] } {
  const logos = new LogoCache(vscode.Uri.joinPath(s.context.globalStorageUri, 'logos'), (url, o) => s.clients.get().transport.getPublic(url, o));
  const trees: Trees = { users: new UsersTree(s), healthSystems: new HealthSystemsTree(s, logos), resources: new ResourcesTree(s), exports: new ExportsTree((environment, id) => s.memory.nameOf(environment, id)) };
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  const views: [string, BaseTreeProvider<any>][] = [
    [Views.users, trees.users], [Views.healthSystems, trees.healthSystems], [Views.resources, trees.resources], [Views.exports, trees.exports],
  ];
  for (const [id, provider] of views) {
    const view = vscode.window.createTreeView(id, { treeDataProvider: provider, showCollapseAll: true });
    if (provider === trees.users) trees.users.view = view;
    if (provider === trees.healthSystems) trees.healthSystems.view = view;
    s.context.subscriptions.push(provider, view);
  }
  // the views that read from the API reload once per change of the active environment or of its credentials
  const fromApi = [trees.users, trees.healthSystems, trees.resources];
  s.context.subscriptions.push(
    s.refresh.event((view) => {
      for (const [id, provider] of views) if (!view || view === id) provider.refresh();
    }),
    s.environments.onDidChange(() => fromApi.forEach((t) => t.refresh())),
    s.credentials.onDidChange((environment) => {
      if (environment === s.environments.activeName()) fromApi.forEach((t) => t.refresh());
    }),
  );
  const retry: Command<CommonNode> = {
    id: RETRY_COMMAND,
    run: (node) => {
      if (node && 'owner' in node && node.owner instanceof BaseTreeProvider) return node.owner.retry(node);
    },
  };
  return { trees, commands: [retry] };
}
