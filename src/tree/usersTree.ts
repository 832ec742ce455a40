import * as vscode from 'vscode';
import type { AppUser, TokenManager, UserFilter } from '../core/api';
import { Commands, ContextKeys, Walkthrough } from '../constants';
import { linkedSignal } from '../core/api/interactive';
import { CLINICAL_TYPES } from '../core/fhir/resourceTypes';
import { linkUrl, type Bundle } from '../core/fhir/types';
import { mapLimit } from '../core/util/async';
import { userTooltip } from '../core/render/tooltips';
import { fhirAs, tokenRefusal, tokensOf } from '../host/acting';
import type { Services } from '../host/services';
import { completeWalkthroughStep } from '../host/walkthrough';
import { BaseTreeProvider, CommonNode, Page } from './baseProvider';
import { resourceLabel } from './labels';

type U = { oneupUserId: string; appUserId: string; active: boolean };

export type UserNode =
  | ({ kind: 'user' } & U)
  | { kind: 'patient'; user: U }
  | { kind: 'fhirData'; user: U; userNode: UserNode }
  | { kind: 'userType'; user: U; type: string; count: number }
  | { kind: 'resource'; user?: U; version: string; type: string; id: string; label: string; description?: string; tooltip?: string }
  | { kind: 'permissions'; user: U }
  | { kind: 'grant'; user: U; grantee: string }
  | { kind: 'systems'; user: U }
  | { kind: 'system'; user: U; id: string; name: string };

export const USERS_PAGE = 50;
const RESOURCES_PAGE = 20;

/**
 * What the view's list of users is: `loading` until the server answered, `empty` only once it
 * said the app has no users (the "no users yet" welcome shows then, never while loading).
 */
export type UsersState = 'none' | 'loading' | 'empty' | 'loaded' | 'failed';

/** The app's users; each expands to its patient, FHIR data, permissions and connected systems. */
export class UsersTree extends BaseTreeProvider<UserNode> {
  private filter: UserFilter | undefined;
  view: vscode.TreeView<unknown> | undefined;
  private stateNow: UsersState = 'none';
  /** The user rows shown, by oneup_user_id: a token change redraws the row. */
  private readonly rows = new Map<string, Extract<UserNode, { kind: 'user' }>>();
  private readonly watched = new WeakSet<TokenManager>();

  constructor(private readonly s: Services) {
    super();
  }

  get state(): UsersState {
    return this.stateNow;
  }

  private setState(state: UsersState): void {
    if (state === this.stateNow) return;
    this.stateNow = state;
    void vscode.commands.executeCommand('setContext', ContextKeys.usersState, state);
  }

  protected override loadTarget(): string {
    const env = this.s.environments.active();
    return env ? new URL(env.apiUrl).host : super.loadTarget();
  }

  setFilter(filter: UserFilter | undefined): void {
    this.filter = filter;
    if (this.view) {
      this.view.description = filter?.appUserId ? vscode.l10n.t('app_user_id: {0}', filter.appUserId) : filter?.oneupUserId ? vscode.l10n.t('oneup_user_id: {0}', filter.oneupUserId) : undefined;
    }
    void vscode.commands.executeCommand('setContext', ContextKeys.usersFiltered, !!filter);
    this.refresh();
  }

  protected async loadChildren(node: UserNode | undefined, signal: AbortSignal): Promise<Page<UserNode> | (UserNode | CommonNode)[]> {
    if (!node) return this.users(signal);
    const env = this.s.clients.environment();
    switch (node.kind) {
      case 'user':
        return [
          { kind: 'patient', user: strip(node) },
          { kind: 'fhirData', user: strip(node), userNode: node },
          { kind: 'permissions', user: strip(node) },
          { kind: 'systems', user: strip(node) },
        ];
      case 'fhirData': {
        const fhir = fhirAs(this.s, env.fhirVersion, node.user);
        // a page of one per type tells the count without fetching the data
        const counting = linkedSignal(signal);
        const counts = await mapLimit(CLINICAL_TYPES[env.fhirVersion], 4, async (type) => ({ type, count: (await fhir.search(type, { _count: 1 }, counting.signal)).total ?? 0 }))
          .catch((e: unknown) => { counting.abort(); throw e; });
        // reading as the user may just have minted their token: show it on the user
        this.repaint(node.userNode);
        const found = counts.filter((c) => c.count > 0);
        if (!found.length) return [{ kind: 'message', text: vscode.l10n.t('No FHIR data yet'), icon: 'info' }];
        return found.map((c) => ({ kind: 'userType', user: node.user, ...c }));
      }
      case 'userType': {
        const fhir = fhirAs(this.s, env.fhirVersion, node.user);
        const toPage = (b: Bundle, shown: number): Page<UserNode> => {
          const items = (b.entry ?? []).flatMap((e) => (e.resource?.id ? [{ kind: 'resource' as const, user: node.user, version: env.fhirVersion, type: e.resource.resourceType, id: e.resource.id, ...resourceLabel(e.resource) }] : []));
          const next = linkUrl(b, 'next');
          const total = shown + items.length;
          return { items, moreLabel: vscode.l10n.t('{0} of {1}', total, node.count), next: next ? async (sig) => toPage(await fhir.fetchPage(next, sig), total) : undefined };
        };
        return toPage(await fhir.search(node.type, { _count: RESOURCES_PAGE }, signal), 0);
      }
      case 'permissions': {
        const grants = this.s.memory.get(env.name, node.user.oneupUserId).grants;
        if (!grants.length) return [{ kind: 'message', text: vscode.l10n.t('No access granted from VS Code'), icon: 'info' }];
        return grants.map((grantee) => ({ kind: 'grant', user: node.user, grantee }));
      }
      case 'systems': {
        const systems = this.s.memory.get(env.name, node.user.oneupUserId).systems;
        if (!systems.length) return [{ kind: 'message', text: vscode.l10n.t('None connected from VS Code yet'), icon: 'info' }];
        return systems.map((sys) => ({ kind: 'system', user: node.user, ...sys }));
      }
      default:
        return [];
    }
  }

  private async users(signal: AbortSignal): Promise<Page<UserNode> | (UserNode | CommonNode)[]> {
    const env = this.s.environments.active();
    this.rows.clear();
    if (!env || !(await this.s.credentials.get(env.name))) {
      this.setState('none');
      return [];
    }
    this.setState('loading');
    let all: AppUser[];
    try {
      all = await this.s.clients.get().users.listUsers(this.filter ?? {}, signal);
    } catch (e) {
      this.setState('failed');
      throw e;
    }
    this.s.memory.rememberNames(env.name, all);
    this.setState(all.length || this.filter ? 'loaded' : 'empty');
    if (!all.length && this.filter) return [{ kind: 'message', text: vscode.l10n.t('No user matches the filter'), icon: 'filter' }];
    const page = (from: number): Page<UserNode> => {
      const items = all.slice(from, from + USERS_PAGE).map((u: AppUser) => ({ kind: 'user' as const, ...u }));
      const shown = from + items.length;
      return { items, moreLabel: vscode.l10n.t('{0} of {1}', shown, all.length), next: shown < all.length ? async () => page(shown) : undefined };
    };
    return page(0);
  }

  protected async itemFor(node: UserNode): Promise<vscode.TreeItem> {
    const C = vscode.TreeItemCollapsibleState;
    switch (node.kind) {
      case 'user': {
        const item = new vscode.TreeItem(node.appUserId, C.Collapsed);
        item.id = `user/${node.oneupUserId}`;
        this.rows.set(node.oneupUserId, node);
        const token = await this.tokenText(node);
        item.description = node.active ? token : vscode.l10n.t('inactive · {0}', token);
        item.tooltip = new vscode.MarkdownString(userTooltip(node, token));
        item.iconPath = new vscode.ThemeIcon(node.active ? 'account' : 'circle-slash', node.active ? undefined : new vscode.ThemeColor('disabledForeground'));
        item.contextValue = node.active ? 'user' : 'user.inactive';
        return item;
      }
      case 'patient': {
        const item = new vscode.TreeItem(vscode.l10n.t('Patient record'), C.None);
        item.id = `user/${node.user.oneupUserId}/patient`;
        item.iconPath = new vscode.ThemeIcon('person');
        item.tooltip = vscode.l10n.t('Open this user\'s patient record ($everything)');
        item.command = { command: Commands.everything, title: vscode.l10n.t('Open patient record'), arguments: [{ oneupUserId: node.user.oneupUserId, appUserId: node.user.appUserId }] };
        item.contextValue = 'patient';
        return item;
      }
      case 'fhirData': return folder(`user/${node.user.oneupUserId}/fhir`, vscode.l10n.t('FHIR data'), 'database', 'fhirData');
      case 'userType': {
        const item = new vscode.TreeItem(node.type, C.Collapsed);
        item.id = `user/${node.user.oneupUserId}/fhir/${node.type}`;
        item.description = String(node.count);
        item.iconPath = new vscode.ThemeIcon('symbol-class');
        item.contextValue = 'userType';
        return item;
      }
      case 'resource': return resourceItem(node, this.s.environments.activeName());
      case 'permissions': return folder(`user/${node.user.oneupUserId}/permissions`, vscode.l10n.t('Permissions'), 'shield', 'permissions');
      case 'grant': {
        // the grantee by name when the app's user list named them; the id is in the tooltip
        const name = this.s.memory.nameOf(this.s.environments.activeName(), node.grantee);
        const item = new vscode.TreeItem(name ?? node.grantee, C.None);
        item.id = `user/${node.user.oneupUserId}/grant/${node.grantee}`;
        item.description = vscode.l10n.t('may read this user\'s data');
        item.tooltip = name
          ? vscode.l10n.t('{0} (oneup_user_id {1}) may read the data of {2}', name, node.grantee, node.user.appUserId)
          : vscode.l10n.t('oneup_user_id {0} may read the data of {1}', node.grantee, node.user.appUserId);
        item.iconPath = new vscode.ThemeIcon('unlock');
        item.contextValue = 'grant';
        return item;
      }
      case 'systems': return folder(`user/${node.user.oneupUserId}/systems`, vscode.l10n.t('Connected systems'), 'plug', 'systems');
      case 'system': {
        const item = new vscode.TreeItem(node.name, C.None);
        item.id = `user/${node.user.oneupUserId}/system/${node.id}`;
        item.description = `#${node.id}`;
        item.iconPath = new vscode.ThemeIcon('organization');
        return item;
      }
    }
  }

  /** The user's token as the server last had it: kept tokens, or a refusal that dropped them. */
  private async tokenText(u: U): Promise<string> {
    try {
      const manager = tokensOf(this.s, u);
      this.watch(manager, u.oneupUserId);
      const state = await manager.state();
      const time = (ms: number) => new Date(ms).toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' });
      if (state.kind === 'none') {
        const refusal = tokenRefusal(manager);
        return refusal ? vscode.l10n.t('token refused {0}', time(refusal.at)) : vscode.l10n.t('no token');
      }
      // the walkthrough's token step: a token got any way (a view's load mints one too) counts
      if (state.kind === 'valid') {
        void vscode.commands.executeCommand('setContext', ContextKeys.hasToken, true);
        completeWalkthroughStep(Walkthrough.steps.token);
      }
      return state.kind === 'valid' ? vscode.l10n.t('token valid until {0}', time(state.expiresAt)) : vscode.l10n.t('token expired {0}', time(state.expiresAt));
    } catch {
      return vscode.l10n.t('no token');
    }
  }

  /** Redraws a user's row whenever its tokens change (new, refreshed, refused, dropped). */
  private watch(manager: TokenManager, oneupUserId: string): void {
    if (this.watched.has(manager)) return;
    this.watched.add(manager);
    manager.onDidChange(() => {
      const row = this.rows.get(oneupUserId);
      if (row) this.repaint(row);
    });
  }
}

export function resourceItem(node: Extract<UserNode, { kind: 'resource' }>, environment: string): vscode.TreeItem {
  const item = new vscode.TreeItem(node.label, vscode.TreeItemCollapsibleState.None);
  item.id = `${node.user?.oneupUserId ?? 'app'}/${node.version}/${node.type}/${node.id}`;
  item.description = node.description;
  item.tooltip = `${node.type}/${node.id}${node.tooltip ? `\n${node.tooltip}` : ''}`;
  item.iconPath = new vscode.ThemeIcon('json');
  item.contextValue = 'resource';
  item.command = { command: Commands.readResource, title: vscode.l10n.t('Open'), arguments: [{ environment, version: node.version, type: node.type, id: node.id, oneupUserId: node.user?.oneupUserId }] };
  return item;
}

function folder(id: string, label: string, icon: string, context: string): vscode.TreeItem {
  const item = new vscode.TreeItem(label, vscode.TreeItemCollapsibleState.Collapsed);
  item.id = id;
  item.iconPath = new vscode.ThemeIcon(icon);
  item.contextValue = context;
  return item;
}

function strip(u: U): U {
  return { oneupUserId: u.oneupUserId, appUserId: u.appUserId, active: u.active };
}
