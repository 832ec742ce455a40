import * as vscode from 'vscode';
import { Commands } from '../constants';
import { interactiveLoad } from '../core/api/interactive';
import { isAuthError, isCancellation } from '../core/errors';
import { describeError } from '../host/commands';
import { Disposable } from '../host/disposable';
import { settings } from '../host/settings';

/** Nodes every view can show besides its own. */
export type CommonNode =
  | { kind: 'loadMore'; owner: object; parent: unknown; label: string }
  | { kind: 'error'; owner: object; parent: unknown; message: string; retryMore?: boolean; credentials?: boolean }
  | { kind: 'message'; text: string; icon?: string };

/** Children of a node: one page, and how to get the next one when there is more. */
export interface Page<N> {
  items: (N | CommonNode)[];
  /** The next page; `signal` is an interactive load's (one try, a deadline: see interactiveLoad). */
  next?: (signal: AbortSignal) => Promise<Page<N>>;
  /** Shown on the "Load more…" node, e.g. "50 of 250". */
  moreLabel?: string;
}

export const RETRY_COMMAND = Commands.treeRetry;

interface Loaded<N> {
  items: (N | CommonNode)[];
  next?: (signal: AbortSignal) => Promise<Page<N>>;
  moreLabel?: string;
  tail?: CommonNode;
  loadingMore?: Promise<void>;
}

/**
 * A lazy tree: children load on demand, page by page with a "Load more…" node; a failed load is
 * an error node with Retry, not a pop-up; concurrent loads of the same node share one request.
 * A refresh (or Retry) drops the loads started before it: a slow answer to an old load never
 * replaces what the refresh loaded, and whoever waited on it gets the fresh children instead.
 * Loads fail fast: each gets one try and a deadline (interactiveLoad), then an error node that
 * says how long it waited and retries on a click; a full refresh aborts the loads under way.
 */
export abstract class BaseTreeProvider<N extends { kind: string }> extends Disposable implements vscode.TreeDataProvider<N | CommonNode> {
  private readonly changed = this._register(new vscode.EventEmitter<N | CommonNode | undefined>());
  readonly onDidChangeTreeData = this.changed.event;
  private readonly loaded = new Map<unknown, Loaded<N>>();
  /** The current load of each node; a load that is no longer listed here was dropped by a refresh. */
  private readonly inflight = new Map<unknown, Promise<(N | CommonNode)[]>>();
  /** Aborted by a full refresh: the loads started before it stop sending requests. */
  private generation = new AbortController();

  /** Loads a node's children; requests take `signal` (one try, a deadline). */
  protected abstract loadChildren(node: N | undefined, signal: AbortSignal): Promise<Page<N> | (N | CommonNode)[]>;
  protected abstract itemFor(node: N): vscode.TreeItem | Promise<vscode.TreeItem>;

  /** Who a load waits for, as a timeout message names it ("api.1up.health"). */
  protected loadTarget(): string {
    return vscode.l10n.t('The server');
  }

  refresh(node?: N): void {
    if (node) {
      this.loaded.delete(node);
      this.inflight.delete(node);
    } else {
      this.generation.abort();
      this.generation = new AbortController();
      this.loaded.clear();
      this.inflight.clear();
    }
    this.changed.fire(node);
  }

  /** Runs one load with an interactive signal; a deadline that ended it becomes its error. */
  private async interactive<T>(work: (signal: AbortSignal) => Promise<T>): Promise<T> {
    const seconds = settings.requestTimeoutSeconds();
    const load = interactiveLoad(Math.min(seconds, Math.max(10, seconds / 3)), this.loadTarget(), this.generation.signal);
    try {
      return await work(load.signal);
    } catch (e) {
      throw load.timedOut() ?? e;
    } finally {
      load.done();
    }
  }

  private errorNode(parent: unknown, e: unknown, retryMore = false): CommonNode {
    const credentials = isAuthError(e) && (e.problem === 'missing-credentials' || e.problem === 'invalid-credentials');
    return { kind: 'error', owner: this, parent, message: describeError(e), ...(retryMore ? { retryMore } : {}), ...(credentials ? { credentials } : {}) };
  }

  /** Redraws a node (its label, description) keeping its loaded children. */
  protected repaint(node: N): void {
    this.changed.fire(node);
  }

  getChildren(node?: N | CommonNode): Promise<(N | CommonNode)[]> {
    if (node && isCommon(node)) return Promise.resolve([]);
    const key = node ?? ROOT;
    const done = this.loaded.get(key);
    if (done) return Promise.resolve(this.childrenView(node, done));
    const running = this.inflight.get(key);
    if (running) return running;
    const current = () => this.inflight.get(key) === p;
    const p: Promise<(N | CommonNode)[]> = this.interactive((signal) => this.loadChildren(node as N | undefined, signal)).then((page) => {
      if (!current()) return this.getChildren(node);
      const loaded: Loaded<N> = Array.isArray(page) ? { items: page } : { ...page };
      this.loaded.set(key, loaded);
      return this.childrenView(node, loaded);
    }, (e): (N | CommonNode)[] | Promise<(N | CommonNode)[]> => {
      if (!current()) return this.getChildren(node);
      if (isCancellation(e)) return [];
      return [this.errorNode(node, e)];
    }).finally(() => {
      if (current()) this.inflight.delete(key);
    });
    this.inflight.set(key, p);
    return p;
  }

  getTreeItem(node: N | CommonNode): vscode.TreeItem | Promise<vscode.TreeItem> {
    if (isCommon(node)) return commonItem(node);
    return this.itemFor(node as N);
  }

  getParent(): undefined {
    return undefined;
  }

  /** Retry after an error, or fetch the next page ("Load more…"). */
  async retry(node: CommonNode): Promise<void> {
    if (node.kind === 'message') return;
    const key = node.parent ?? ROOT;
    const state = this.loaded.get(key);
    if (node.kind === 'loadMore' || (node.kind === 'error' && node.retryMore && state)) {
      if (state) await this.loadMore(key, state);
      return;
    }
    this.loaded.delete(key);
    this.inflight.delete(key);
    this.changed.fire(node.parent as N | undefined);
  }

  /** Loads every remaining page of a node (tests and "expand all" use it). */
  async loadAll(node: N | undefined, maxPages = 1000): Promise<(N | CommonNode)[]> {
    await this.getChildren(node);
    const key = node ?? ROOT;
    for (let i = 0; i < maxPages; i++) {
      const state = this.loaded.get(key);
      if (!state?.next || state.tail) break;
      await this.loadMore(key, state);
    }
    return this.getChildren(node);
  }

  private loadMore(key: unknown, state: Loaded<N>): Promise<void> {
    state.loadingMore ??= (async () => {
      const next = state.next;
      if (!next) return;
      state.tail = undefined;
      try {
        const page = await this.interactive(next);
        state.items.push(...page.items);
        state.next = page.next;
        state.moreLabel = page.moreLabel;
      } catch (e) {
        if (!isCancellation(e)) state.tail = this.errorNode(key === ROOT ? undefined : key, e, true);
      }
    })().finally(() => {
      state.loadingMore = undefined;
      this.changed.fire(key === ROOT ? undefined : key as N);
    });
    return state.loadingMore;
  }

  private childrenView(node: N | undefined, state: Loaded<N>): (N | CommonNode)[] {
    const out = [...state.items];
    if (state.tail) out.push(state.tail);
    else if (state.next) out.push({ kind: 'loadMore', owner: this, parent: node, label: state.moreLabel ? vscode.l10n.t('Load more… ({0})', state.moreLabel) : vscode.l10n.t('Load more…') });
    return out;
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
      // app keys that are missing or refused: a click asks for them (Retry stays on the row)
      item.tooltip = `${node.message}\n\n${node.credentials ? vscode.l10n.t('Click to set the credentials; the Retry button tries again.') : vscode.l10n.t('Click to retry.')}`;
      item.contextValue = node.credentials ? 'error.credentials' : 'error';
      item.command = node.credentials
        ? { command: Commands.setCredentials, title: vscode.l10n.t('Set Credentials'), arguments: [] }
        : { command: RETRY_COMMAND, title: vscode.l10n.t('Retry'), arguments: [node] };
      return item;
    }
    case 'loadMore': {
      const item = new vscode.TreeItem(node.label);
      item.iconPath = new vscode.ThemeIcon('ellipsis');
      item.contextValue = 'loadMore';
      item.command = { command: RETRY_COMMAND, title: vscode.l10n.t('Load more'), arguments: [node] };
      return item;
    }
    case 'message': {
      const item = new vscode.TreeItem(node.text);
      if (node.icon) item.iconPath = new vscode.ThemeIcon(node.icon);
      return item;
    }
  }
}
