import * as vscode from 'vscode';
import type { HealthSystem } from '../core/api';
import { Commands, Views } from '../constants';
import { InputError } from '../core/errors';
import type { Command } from '../host/commands';
import { withCancellableProgress } from '../host/commands';
import type { Services } from '../host/services';
import { ask, resolveUser, UserArgs } from './args';
import type { Viewers } from './viewers';

export interface HealthSystemFilter { name?: string; healthSystemsOnly?: boolean }

/** Supported health systems (the Health Systems view) and connecting a user to one. */
export function connectCommands(s: Services, viewers: Viewers, setFilter: (f: HealthSystemFilter) => void): Command[] {
  const list: Command<HealthSystemFilter & { reveal?: boolean }> = {
    id: Commands.listHealthSystems,
    async run(args = {}) {
      const filter = { name: args.name || undefined, healthSystemsOnly: args.healthSystemsOnly || undefined };
      const systems = await withCancellableProgress(vscode.l10n.t('Listing health systems…'), (signal) => s.clients.get().connect.listHealthSystems(filter, signal), vscode.ProgressLocation.Window);
      setFilter(filter);
      if (args.reveal !== false) await vscode.commands.executeCommand(`${Views.healthSystems}.focus`);
      return systems.map((x) => ({ id: x.id, name: x.name, status: x.status, apiVersion: x.apiVersion }));
    },
  };

  const filter: Command<HealthSystemFilter> = {
    id: Commands.filterHealthSystems,
    async run(args) {
      const name = args?.name ?? await ask({ title: vscode.l10n.t('Filter Health Systems'), prompt: vscode.l10n.t('Part of the name (empty: all)') });
      setFilter({ name: name || undefined, healthSystemsOnly: args?.healthSystemsOnly });
    },
  };

  const connectUser: Command<({ system?: HealthSystem; systemId?: string; systemName?: string }) & UserArgs & { userOneupUserId?: string }> = {
    id: Commands.connectUserToSystem,
    async run(args = {}) {
      const systemId = args.system?.id ?? args.systemId;
      if (!systemId) throw new InputError(vscode.l10n.t('Pick a health system in the Health Systems view, then "Connect a User to This System…".'));
      // a tree node passes the system; the user comes from args or a pick
      const systemName = args.system?.name ?? args.systemName;
      const user = await resolveUser(s, { oneupUserId: args.userOneupUserId ?? args.oneupUserId, appUserId: args.appUserId },
        systemName ? vscode.l10n.t('Connect which user to {0}?', systemName) : vscode.l10n.t('Connect which user to system {0}?', systemId));
      await viewers.openConnectPage({ user: { oneupUserId: user.oneupUserId, appUserId: user.appUserId ?? user.oneupUserId }, systemId, systemName: args.system?.name ?? args.systemName });
      return { oneupUserId: user.oneupUserId, systemId };
    },
  };

  return [list, filter, connectUser];
}
