import { InputError } from '../../core/errors';
import { APP_USER_ID } from '../../core/tools/inputs';
import { ToolNames } from '../../core/tools/catalog';
import type { ToolRun } from '../context';

export interface ToolUser {
  oneupUserId: string;
  appUserId?: string;
}

/**
 * The app user a call acts as, from `oneupUserId` or `appUserId` (looked up, one user-management
 * call); undefined when neither is given and none is required.
 */
export async function userOf(r: ToolRun, required: boolean): Promise<ToolUser | undefined> {
  const oneupUserId = r.input.string('oneupUserId', { max: 128, pattern: /^[\w.@+\-:]+$/, what: 'a oneup_user_id from oneup_listUsers' });
  const appUserId = r.input.string('appUserId', { max: 128, pattern: APP_USER_ID, what: 'an app_user_id from oneup_listUsers' });
  if (oneupUserId) return { oneupUserId, appUserId };
  if (appUserId) {
    const [user] = await r.s.clients.get().users.listUsers({ appUserId }, r.signal);
    if (!user) throw new InputError(`There is no app user with app_user_id "${appUserId}" in “${r.environment.name}”: ${ToolNames.listUsers} lists them.`);
    return { oneupUserId: user.oneupUserId, appUserId: user.appUserId || appUserId };
  }
  if (required) throw new InputError(`Name the app user with "oneupUserId" or "appUserId" (${ToolNames.listUsers} lists them).`);
  return undefined;
}

/** A Bundle link as an absolute URL: production sends `next` as `?_afterid=…`, relative to the page it came from. */
export function absolute(link: string, base: string): string {
  return new URL(link, base).toString();
}
