/** Which user: the app's own id for them, 1up's, or both. */
export type UserRef =
  | { appUserId: string; oneupUserId?: string }
  | { oneupUserId: string; appUserId?: string };

/** Both ids of a user as far as they are known. */
export interface KnownIds {
  oneupUserId?: string;
  appUserId?: string;
}

/**
 * The pairs of ids the client has seen in user-management answers (list, create, update, auth
 * code), so a call that names a user by one id can send the other too. Only server answers teach
 * it: a pair a caller hands in is a hint, used when nothing better is known.
 */
export class UserIds {
  private readonly appOf = new Map<string, string>();
  private readonly oneupOf = new Map<string, string>();

  /** Records a pair from a server answer; a renamed user's old app_user_id is forgotten. */
  learn(oneupUserId: string, appUserId: string): void {
    if (!oneupUserId || !appUserId) return;
    const old = this.appOf.get(oneupUserId);
    if (old !== undefined && old !== appUserId && this.oneupOf.get(old) === oneupUserId) this.oneupOf.delete(old);
    const other = this.oneupOf.get(appUserId);
    if (other !== undefined && other !== oneupUserId) this.appOf.delete(other);
    this.appOf.set(oneupUserId, appUserId);
    this.oneupOf.set(appUserId, oneupUserId);
  }

  /**
   * Both ids of `ref`: what the server said wins over the caller's hint, since a user's
   * app_user_id can be changed (Update User) while a caller still holds the old one.
   */
  complete(ref: UserRef): KnownIds {
    const oneupUserId = ref.oneupUserId ?? (ref.appUserId !== undefined ? this.oneupOf.get(ref.appUserId) : undefined);
    const appUserId = (oneupUserId !== undefined ? this.appOf.get(oneupUserId) : undefined) ?? ref.appUserId;
    const out: KnownIds = {};
    if (oneupUserId) out.oneupUserId = oneupUserId;
    if (appUserId) out.appUserId = appUserId;
    return out;
  }
}
