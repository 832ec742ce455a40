import { Commands } from '../constants';
import type { Command } from '../host/commands';
import type { Services } from '../host/services';

export function generalCommands(s: Services): Command[] {
  return [
    { id: Commands.refresh, run: (args?: { view?: string }) => s.refresh.fire(typeof args?.view === 'string' ? args.view : undefined) },
    { id: Commands.showLog, run: () => s.logger.show() },
  ];
}
