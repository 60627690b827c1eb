// Ending SSO sessions outside the end_session endpoint (admin API, console,
// CLI, the user's own account page) always tells the clients of those
// sessions (Back-Channel Logout 1.0 §2.5: "the OP ... logs out the
// End-User"): read the sessions' clients first, revoke, then send
// (backchannel-logout.ts). Shared by src/admin/user-admin.ts and
// src/account/, which is why it lives in the core.
import type { GrantStore } from './grant-store.js';
import type { BackchannelLogout } from './backchannel-logout.js';

export type EndSessions = <T>(accountId: string, uid: string | undefined, revoke: () => Promise<T>) => Promise<T>;

export function createSessionEnding(deps: { grants: GrantStore; logout?: BackchannelLogout | undefined }): EndSessions {
  return async (accountId, uid, revoke) => {
    const targets = deps.logout ? await deps.grants.sessionClients(accountId, uid) : [];
    const result = await revoke();
    if (targets.length) await deps.logout!.send(targets);
    return result;
  };
}
