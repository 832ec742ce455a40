import * as assert from 'node:assert/strict';
import type * as vscode from 'vscode';
import type { BaseTreeProvider, CommonNode } from '../../src/tree/baseProvider';

/**
 * Typed access to the views' nodes for tests: every node a provider hands out is one of its own
 * union (`UserNode`, `ResourceNode`, …) or a `CommonNode`, and these helpers narrow by `kind`, so a
 * test passes a node back to `getChildren`/`getTreeItem` without casting it.
 */

type Node = { kind: string };
/** The nodes a provider of `N` hands out: its own union and the common ones (load more, error, message). */
export type TreeNode<N extends Node> = N | CommonNode;
/** Those of kind `K`. */
export type NodeOfKind<N extends Node, K extends string> = Extract<TreeNode<N>, { kind: K }>;

/** The nodes of `kind` among `nodes` (as `getChildren` or `loadAll` answered them). */
export function ofKind<N extends Node, K extends TreeNode<N>['kind']>(nodes: readonly TreeNode<N>[], kind: K): NodeOfKind<N, K>[] {
  const matching: readonly Node[] = nodes.filter((n) => n.kind === kind);
  // the filter kept exactly the union members whose `kind` is K
  return matching as unknown as NodeOfKind<N, K>[];
}

/** The provider's children of `parent` (the roots without it) that are of `kind`. */
export async function childrenOf<N extends Node, K extends TreeNode<N>['kind']>(
  provider: BaseTreeProvider<N>, parent: TreeNode<N> | undefined, kind: K,
): Promise<NodeOfKind<N, K>[]> {
  const nodes: readonly Node[] = await provider.getChildren(parent);
  return nodes.filter((n) => n.kind === kind) as unknown as NodeOfKind<N, K>[];
}

/** The first child of `parent` of `kind` that `where` accepts; fails the test when there is none. */
export async function child<N extends Node, K extends TreeNode<N>['kind']>(
  provider: BaseTreeProvider<N>, parent: TreeNode<N> | undefined, kind: K, where: (n: NodeOfKind<N, K>) => boolean = () => true,
): Promise<NodeOfKind<N, K>> {
  const nodes: readonly Node[] = await provider.getChildren(parent);
  const found = (nodes.filter((n) => n.kind === kind) as unknown as NodeOfKind<N, K>[]).find((n) => where(n));
  assert.ok(found, `no ${String(kind)} node under ${parent ? parent.kind : 'the root'}`);
  return found;
}

/** The tree item VS Code would show for `node`. */
export async function treeItem<N extends Node>(provider: BaseTreeProvider<N>, node: TreeNode<N>): Promise<vscode.TreeItem> {
  return provider.getTreeItem(node);
}
