import * as vscode from 'vscode';
import { FHIR_VERSIONS, FhirVersion } from '../core/environments';
import { CLINICAL_TYPES, resourceTypes } from '../core/fhir/resourceTypes';
import type { Services } from '../host/services';
import { BaseTreeProvider, CommonNode } from './baseProvider';

export type ResourceNode =
  | { kind: 'version'; version: FhirVersion }
  | { kind: 'type'; version: FhirVersion; type: string }
  | { kind: 'moreTypes'; version: FhirVersion };

/** FHIR version → resource types (clinical ones first, the rest folded) → resources. */
export class ResourcesTree extends BaseTreeProvider<ResourceNode> {
  constructor(private readonly s: Services) {
    super();
    this._register(s.environments.onDidChange(() => this.refresh()));
    this._register(s.credentials.onDidChange(() => this.refresh()));
  }

  protected async loadChildren(node: ResourceNode | undefined): Promise<(ResourceNode | CommonNode)[]> {
    const env = this.s.environments.active();
    if (!env || !(await this.s.credentials.get(env.name))) return [];
    if (!node) {
      // the environment's default version first
      return [env.fhirVersion, ...FHIR_VERSIONS.filter((v) => v !== env.fhirVersion)].map((version) => ({ kind: 'version', version }));
    }
    switch (node.kind) {
      case 'version': {
        const clinical = CLINICAL_TYPES[node.version];
        return [...clinical.map((type) => ({ kind: 'type' as const, version: node.version, type })), { kind: 'moreTypes', version: node.version }];
      }
      case 'moreTypes': {
        const clinical = new Set(CLINICAL_TYPES[node.version]);
        return resourceTypes(node.version).filter((t) => !clinical.has(t)).map((type) => ({ kind: 'type', version: node.version, type }));
      }
      case 'type':
        return [];
    }
  }

  protected itemFor(node: ResourceNode): vscode.TreeItem {
    switch (node.kind) {
      case 'version': {
        const item = new vscode.TreeItem(node.version.toUpperCase(), vscode.TreeItemCollapsibleState.Collapsed);
        item.id = `version/${node.version}`;
        item.iconPath = new vscode.ThemeIcon('versions');
        item.description = node.version === this.s.environments.active()?.fhirVersion ? 'default' : undefined;
        item.contextValue = 'fhirVersion';
        return item;
      }
      case 'moreTypes': {
        const item = new vscode.TreeItem('All resource types', vscode.TreeItemCollapsibleState.Collapsed);
        item.id = `more/${node.version}`;
        item.iconPath = new vscode.ThemeIcon('list-tree');
        return item;
      }
      case 'type': {
        const item = new vscode.TreeItem(node.type, vscode.TreeItemCollapsibleState.Collapsed);
        item.id = `type/${node.version}/${node.type}`;
        item.iconPath = new vscode.ThemeIcon('symbol-class');
        item.contextValue = 'resourceType';
        return item;
      }
    }
  }
}
