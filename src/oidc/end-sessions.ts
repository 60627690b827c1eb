// Ending a user's sessions from outside the end_session endpoint (an admin,
// a password reset): read the sessions' clients first, revoke every session,
// grant and token (RFC 7009 §2.1: the refresh tokens go with their grant),
// then send each client a logout token (Back-Channel Logout 1.0 §2.5, "the
// OP ... logs out the End-User"; src/oidc/backchannel-logout.ts). Shared by
// src/admin/user-admin.ts and src/password/.
import type { GrantStore } from './grant-store.js';
import type { BackchannelLogout } from './backchannel-logout.js';

export type EndSessions = ReturnType<typeof createEndSessions>;

export function createEndSessions(deps: { grants: GrantStore; logout?: BackchannelLogout | undefined }) {
  const { grants, logout } = deps;
  /** Runs `revoke` (of one session by uid, or all of the account's) with the logout tokens around it. */
  const around = async <T>(accountId: string, uid: string | undefined, revoke: () => Promise<T>): Promise<T> => {
    const targets = logout ? await grants.sessionClients(accountId, uid) : [];
    const result = await revoke();
    if (targets.length) await logout!.send(targets);
    return result;
  };
  return {
    around,
    /** Every session, grant and token of the account; returns the number of sessions ended. */
    all: (accountId: string): Promise<number> => around(accountId, undefined, () => grants.revokeAccount(accountId)),
  };
}
