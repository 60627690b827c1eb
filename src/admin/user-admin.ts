// User and session management for the admin surface. Disabling a user or
// resetting a password ends their sessions and revokes their grants: the old
// credentials or the person locked out must not keep access through an
// existing session or refresh token (OWASP Session Management Cheat Sheet).
import { randomBytes } from 'node:crypto';
import { DuplicateEmailError, type User, type UserStore } from '../users/user-store.js';
import type { GrantStore, SessionInfo } from '../oidc/grant-store.js';
import { conflict, notFound } from '../errors/service-error.js';
import type { UserCreateInput, UserQueryInput, UserUpdateInput } from './user-schemas.js';
import { ADMIN_ROLE } from '../access/admin-access.js';
import type { BackchannelLogout } from '../oidc/backchannel-logout.js';

export type UserView = ReturnType<typeof userView>;
export type UserAdmin = ReturnType<typeof createUserAdmin>;

export function userView(u: User) {
  return {
    id: u.id, email: u.email, email_verified: u.emailVerified, name: u.name, given_name: u.givenName,
    family_name: u.familyName, address: u.address, phone_number: u.phoneNumber, phone_number_verified: u.phoneNumberVerified, roles: u.roles, disabled: u.disabled, created_at: u.createdAt.toISOString(),
  };
}

export function sessionView(s: SessionInfo) {
  const iso = (d: Date | null) => d?.toISOString() ?? null;
  return { id: s.uid, login_at: iso(s.loginAt), created_at: iso(s.createdAt), expires_at: iso(s.expiresAt), amr: s.amr, clients: s.clients };
}

/** Who is acting, so an admin cannot lock themselves out by accident. */
export interface Actor {
  userId?: string | undefined;
}

async function duplicateAsConflict<T>(fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (err) {
    if (err instanceof DuplicateEmailError) throw conflict(err.message);
    throw err;
  }
}

export function createUserAdmin(deps: { users: UserStore; grants: GrantStore; logout?: BackchannelLogout }) {
  const { users, grants } = deps;
  // Every way an admin ends sessions also tells the clients of those sessions
  // (Back-Channel Logout 1.0 §2.5: "the OP ... logs out the End-User"): read
  // the session's clients first, revoke, then send (src/oidc/backchannel-logout.ts).
  const endingSessions = async <T>(accountId: string, uid: string | undefined, revoke: () => Promise<T>): Promise<T> => {
    const targets = deps.logout ? await grants.sessionClients(accountId, uid) : [];
    const result = await revoke();
    if (targets.length) await deps.logout!.send(targets);
    return result;
  };
  const found = (u: User | null): User => {
    if (!u) throw notFound('user');
    return u;
  };

  return {
    async create(input: UserCreateInput) {
      const { given_name, family_name, email_verified, phone_number, phone_number_verified, ...rest } = input;
      const u = await duplicateAsConflict(() => users.create({
        ...rest, givenName: given_name, familyName: family_name, emailVerified: email_verified, phoneNumber: phone_number, phoneNumberVerified: phone_number_verified,
      }));
      return userView(u);
    },
    async list(query: UserQueryInput) {
      const { items, total } = await users.list(query);
      return { items: items.map(userView), total, limit: query.limit, offset: query.offset };
    },
    get: async (id: string) => userView(found(await users.findById(id))),
    async update(id: string, patch: UserUpdateInput, actor: Actor = {}) {
      if (actor.userId === id && patch.roles && !patch.roles.includes(ADMIN_ROLE)) {
        throw conflict('you cannot remove your own admin role');
      }
      const { given_name, family_name, email_verified, phone_number, phone_number_verified: verified, ...rest } = patch;
      // A new (or removed) number is unverified unless the same change says otherwise.
      const phone_number_verified = verified ?? (phone_number === undefined ? undefined : false);
      const u = await duplicateAsConflict(() => users.update(id, {
        ...rest, givenName: given_name, familyName: family_name, emailVerified: email_verified, phoneNumber: phone_number, phoneNumberVerified: phone_number_verified,
      }));
      return userView(found(u));
    },
    async setDisabled(id: string, disabled: boolean, actor: Actor = {}) {
      if (disabled && actor.userId === id) throw conflict('you cannot disable your own account');
      const u = found(await users.setDisabled(id, disabled));
      if (disabled) await endingSessions(id, undefined, () => grants.revokeAccount(id));
      return userView(u);
    },
    /** Sets the given password, or generates one; either way it is returned once. */
    async resetPassword(id: string, password?: string) {
      const chosen = password ?? randomBytes(18).toString('base64url');
      const u = found(await users.setPassword(id, chosen));
      const sessionsEnded = await endingSessions(id, undefined, () => grants.revokeAccount(id));
      return { user: userView(u), password: password ? undefined : chosen, sessions_ended: sessionsEnded };
    },
    async sessions(id: string) {
      found(await users.findById(id));
      return (await grants.sessionsFor(id)).map(sessionView);
    },
    async revokeSession(id: string, sessionId: string) {
      if (!(await endingSessions(id, sessionId, () => grants.revokeSession(id, sessionId)))) throw notFound('session');
    },
    async revokeSessions(id: string) {
      found(await users.findById(id));
      return { sessions_ended: await endingSessions(id, undefined, () => grants.revokeAccount(id)) };
    },
  };
}
