import * as vscode from 'vscode';
import { Commands } from '../constants';
import { isCancellation } from '../core/errors';
import { describeError } from '../host/commands';
import { Disposable } from '../host/disposable';

/** Nodes every view can show besides its own. */
export type CommonNode =
  | { kind: 'loadMore'; owner: object; parent: unknown; label?: string }
  | { kind: 'error'; owner: object; parent: unknown; message: string }
  | { kind: 'message'; text: string; icon?: string };

export const RETRY_COMMAND = Commands.treeRetry;

/**
 * A lazy tree whose children are loaded on demand. A failed load becomes an error node with
 * a Retry action instead of a pop-up; concurrent loads of the same node share one request.
 */
export abstract class BaseTreeProvider<N extends { kind: string }> extends Disposable implements vscode.TreeDataProvider<N | CommonNode> {
  private readonly changed = this._register(new vscode.EventEmitter<N | CommonNode | undefined>());
  readonly onDidChangeTreeData = this.changed.event;
  private readonly inflight = new Map<unknown, Promise<(N | CommonNode)[]>>();

  protected abstract loadChildren(node: N | undefined): Promise<(N | CommonNode)[]>;
  protected abstract itemFor(node: N): vscode.TreeItem;

  refresh(node?: N): void {
    this.inflight.clear();
    this.changed.fire(node);
  }

  /** Reloads the part of the tree under `parent` (after Retry or Load more). */
  protected reload(parent: unknown): void {
    this.inflight.delete(parent);
    this.changed.fire(parent as N | undefined);
  }

  getChildren(node?: N | CommonNode): Promise<(N | CommonNode)[]> {
    if (node && isCommon(node)) return Promise.resolve([]);
    const key = node ?? ROOT;
    let p = this.inflight.get(key);
    if (!p) {
      p = this.loadChildren(node as N | undefined).catch((e): (N | CommonNode)[] => {
        if (isCancellation(e)) return [];
        return [{ kind: 'error', owner: this, parent: node, message: describeError(e) }];
      }).finally(() => this.inflight.delete(key));
      this.inflight.set(key, p);
    }
    return p;
  }

  getTreeItem(node: N | CommonNode): vscode.TreeItem {
    if (isCommon(node)) return commonItem(node);
    return this.itemFor(node as N);
  }

  /** Called by the Retry / Load more commands. */
  retry(node: CommonNode): void {
    if (node.kind === 'error' || node.kind === 'loadMore') this.reload(node.parent);
  }
}

const ROOT = Symbol('root');

function isCommon(n: { kind: string }): n is CommonNode {
  return n.kind === 'loadMore' || n.kind === 'error' || n.kind === 'message';
}

function commonItem(node: CommonNode): vscode.TreeItem {
  switch (node.kind) {
    case 'error': {
      const item = new vscode.TreeItem(node.message);
      item.iconPath = new vscode.ThemeIcon('error', new vscode.ThemeColor('errorForeground'));
      item.tooltip = `${node.message}\n\nClick to retry.`;
      item.contextValue = 'error';
      item.command = { command: RETRY_COMMAND, title: 'Retry', arguments: [node] };
      return item;
    }
    case 'loadMore': {
      const item = new vscode.TreeItem(node.label ?? 'Load more…');
      item.iconPath = new vscode.ThemeIcon('ellipsis');
      item.contextValue = 'loadMore';
      item.command = { command: RETRY_COMMAND, title: 'Load more', arguments: [node] };
      return item;
    }
    case 'message': {
      const item = new vscode.TreeItem(node.text);
      if (node.icon) item.iconPath = new vscode.ThemeIcon(node.icon);
      return item;
    }
  }
}
