import * as vscode from 'vscode';
import type { HealthSystem } from '../core/api';
import { healthSystemTooltip } from '../core/render/tooltips';
import type { Services } from '../host/services';
import type { LogoCache } from '../host/logoCache';
import { BaseTreeProvider, CommonNode, Page } from './baseProvider';

export type HealthSystemNode = { kind: 'system'; system: HealthSystem };

const PAGE = 100;

/** The health systems users can connect, with logos, status and API version. */
export class HealthSystemsTree extends BaseTreeProvider<HealthSystemNode> {
  private filter: { name?: string; healthSystemsOnly?: boolean } = {};
  view: vscode.TreeView<unknown> | undefined;

  constructor(private readonly s: Services, private readonly logos: LogoCache) {
    super();
  }

  setFilter(filter: { name?: string; healthSystemsOnly?: boolean }): void {
    this.filter = filter;
    if (this.view) this.view.description = [filter.name && vscode.l10n.t('“{0}”', filter.name), filter.healthSystemsOnly && vscode.l10n.t('health systems only')].filter(Boolean).join(' · ') || undefined;
    this.refresh();
  }

  protected override loadTarget(): string {
    const env = this.s.environments.active();
    return env ? new URL(env.apiUrl).host : super.loadTarget();
  }

  protected async loadChildren(node: HealthSystemNode | undefined, signal: AbortSignal): Promise<Page<HealthSystemNode> | (HealthSystemNode | CommonNode)[]> {
    if (node) return [];
    const env = this.s.environments.active();
    if (!env || !(await this.s.credentials.get(env.name))) return [];
    const all = await this.s.clients.get().connect.listHealthSystems(this.filter, signal);
    if (!all.length) return [{ kind: 'message', text: this.filter.name ? vscode.l10n.t('No health system matches') : vscode.l10n.t('No health systems'), icon: 'info' }];
    const page = (from: number): Page<HealthSystemNode> => {
      const items = all.slice(from, from + PAGE).map((system) => ({ kind: 'system' as const, system }));
      const shown = from + items.length;
      return { items, moreLabel: vscode.l10n.t('{0} of {1}', shown, all.length), next: shown < all.length ? async () => page(shown) : undefined };
    };
    return page(0);
  }

  protected async itemFor(node: HealthSystemNode): Promise<vscode.TreeItem> {
    const sys = node.system;
    const item = new vscode.TreeItem(sys.name || vscode.l10n.t('System {0}', sys.id), vscode.TreeItemCollapsibleState.None);
    item.id = `system/${sys.id}`;
    item.description = [sys.status, sys.apiVersion && vscode.l10n.t('FHIR {0}', sys.apiVersion)].filter(Boolean).join(' · ') || undefined;
    item.tooltip = new vscode.MarkdownString(healthSystemTooltip(sys), false);
    item.iconPath = (await this.logos.get(sys.logo)) ?? new vscode.ThemeIcon('organization');
    item.contextValue = 'healthSystem';
    return item;
  }
}
