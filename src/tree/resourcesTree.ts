import * as vscode from 'vscode';
import { FHIR_VERSIONS, FhirVersion } from '../core/environments';
import { linkedSignal } from '../core/api/interactive';
import { isApiError } from '../core/errors';
import { CLINICAL_TYPES, resourceTypes } from '../core/fhir/resourceTypes';
import { linkUrl, type Bundle } from '../core/fhir/types';
import { mapLimit } from '../core/util/async';
import { fhirAs } from '../host/acting';
import type { Services } from '../host/services';
import { BaseTreeProvider, CommonNode, Page } from './baseProvider';
import { resourceLabel } from './labels';
import { resourceItem, type UserNode } from './usersTree';

type ResourceLeaf = Extract<UserNode, { kind: 'resource' }>;

export type ResourceNode =
  | { kind: 'version'; version: FhirVersion }
  /** `countError`: the server would not count this type (the type's own answer, shown in its tooltip) */
  | { kind: 'type'; version: FhirVersion; type: string; count?: number; countError?: string }
  | { kind: 'moreTypes'; version: FhirVersion }
  | ResourceLeaf;

const PAGE = 20;

/** FHIR version → resource types (common ones with counts, the rest folded) → resources, app-wide. */
export class ResourcesTree extends BaseTreeProvider<ResourceNode> {
  constructor(private readonly s: Services) {
    super();
  }

  protected override loadTarget(): string {
    const env = this.s.environments.active();
    return env ? new URL(env.fhirUrl).host : super.loadTarget();
  }

  protected async loadChildren(node: ResourceNode | undefined, signal: AbortSignal): Promise<Page<ResourceNode> | (ResourceNode | CommonNode)[]> {
    if (!node) {
      const env = this.s.environments.active();
      if (!env || !(await this.s.credentials.get(env.name))) return [];
      return [env.fhirVersion, ...FHIR_VERSIONS.filter((v) => v !== env.fhirVersion)].map((version) => ({ kind: 'version', version }));
    }
    switch (node.kind) {
      case 'version': {
        const fhir = fhirAs(this.s, node.version);
        // counts are cheap for the common types: a page of one answers the total. A type the
        // server refuses to search (4xx) shows without a count and says why; anything else (no
        // answer, refused credentials, a server error) fails the node: an error node with Retry
        const counting = linkedSignal(signal);
        try {
          const types = await mapLimit(CLINICAL_TYPES[node.version], 4, async (type): Promise<ResourceNode> => {
            try {
              return { kind: 'type', version: node.version, type, count: (await fhir.search(type, { _count: 1 }, counting.signal)).total };
            } catch (e) {
              if (!isApiError(e) || e.status < 400 || e.status >= 500 || e.status === 401 || e.status === 429) throw e;
              return { kind: 'type', version: node.version, type, countError: e.message };
            }
          });
          return [...types, { kind: 'moreTypes', version: node.version }];
        } catch (e) {
          counting.abort(); // the node failed: the counts not sent yet are not sent
          throw e;
        }
      }
      case 'moreTypes': {
        const clinical = new Set(CLINICAL_TYPES[node.version]);
        return resourceTypes(node.version).filter((t) => !clinical.has(t)).map((type) => ({ kind: 'type', version: node.version, type }));
      }
      case 'type': {
        const fhir = fhirAs(this.s, node.version);
        const toPage = (b: Bundle, shown: number): Page<ResourceNode> => {
          const items: ResourceNode[] = (b.entry ?? []).flatMap((e) => (e.resource?.id ? [{ kind: 'resource' as const, version: node.version, type: e.resource.resourceType, id: e.resource.id, ...resourceLabel(e.resource) }] : []));
          const next = linkUrl(b, 'next');
          const total = shown + items.length;
          return { items, moreLabel: b.total !== undefined ? vscode.l10n.t('{0} of {1}', total, b.total) : undefined, next: next ? async (sig) => toPage(await fhir.fetchPage(next, sig), total) : undefined };
        };
        const first = await fhir.search(node.type, { _count: PAGE }, signal);
        if (!first.entry?.length) return [{ kind: 'message', text: vscode.l10n.t('No {0} resources', node.type), icon: 'info' }];
        return toPage(first, 0);
      }
      case 'resource':
        return [];
    }
  }

  protected itemFor(node: ResourceNode): vscode.TreeItem {
    switch (node.kind) {
      case 'version': {
        const item = new vscode.TreeItem(node.version.toUpperCase(), vscode.TreeItemCollapsibleState.Collapsed);
        item.id = `version/${node.version}`;
        item.iconPath = new vscode.ThemeIcon('versions');
        item.description = node.version === this.s.environments.active()?.fhirVersion ? vscode.l10n.t({ message: 'default', comment: ['beside the FHIR version that is the active environment\'s default'] }) : undefined;
        item.contextValue = 'fhirVersion';
        return item;
      }
      case 'moreTypes': {
        const item = new vscode.TreeItem(vscode.l10n.t('All resource types'), vscode.TreeItemCollapsibleState.Collapsed);
        item.id = `more/${node.version}`;
        item.iconPath = new vscode.ThemeIcon('list-tree');
        return item;
      }
      case 'type': {
        const item = new vscode.TreeItem(node.type, node.count === 0 ? vscode.TreeItemCollapsibleState.None : vscode.TreeItemCollapsibleState.Collapsed);
        item.id = `type/${node.version}/${node.type}`;
        item.description = node.count !== undefined ? String(node.count) : node.countError ? vscode.l10n.t('not counted') : undefined;
        if (node.countError) item.tooltip = vscode.l10n.t('The server did not count {0}: {1}', node.type, node.countError);
        item.iconPath = new vscode.ThemeIcon('symbol-class');
        item.contextValue = 'resourceType';
        return item;
      }
      case 'resource':
        return resourceItem(node, this.s.environments.activeName());
    }
  }
}
