// User and session management for the admin surface. Disabling a user or
// resetting a password ends their sessions and revokes their grants: the old
// credentials or the person locked out must not keep access through an
// existing session or refresh token (OWASP Session Management Cheat Sheet).
import { randomBytes } from 'node:crypto';
import { DuplicateEmailError, type User, type UserStore } from '../users/user-store.js';
import type { GrantStore, SessionInfo } from '../oidc/grant-store.js';
import { conflict, invalidParameter, notFound } from '../errors/domain-error.js';
import type { UserCreateInput, UserQueryInput, UserUpdateInput } from './user-schemas.js';
import { ADMIN_ROLE } from '../access/admin-access.js';
import type { EndSessions } from '../oidc/end-sessions.js';
import { passwordProblemText, type PasswordPolicy } from '../users/password-policy.js';
import { changedFields, type AdminActor, type AdminAudit } from '../security/admin-audit.js';

export type UserView = ReturnType<typeof userView>;
export type UserAdmin = ReturnType<typeof createUserAdmin>;

export function userView(u: User) {
  return {
    id: u.id, email: u.email, email_verified: u.emailVerified, name: u.name, given_name: u.givenName,
    family_name: u.familyName, address: u.address, phone_number: u.phoneNumber, phone_number_verified: u.phoneNumberVerified, roles: u.roles, disabled: u.disabled, mfa_required: u.mfaRequired, created_at: u.createdAt.toISOString(),
  };
}

export function sessionView(s: SessionInfo) {
  const iso = (d: Date | null) => d?.toISOString() ?? null;
  return { id: s.uid, login_at: iso(s.loginAt), created_at: iso(s.createdAt), expires_at: iso(s.expiresAt), amr: s.amr, clients: s.clients };
}

/** An admin acting on their own account, so they cannot lock themselves out by accident. */
const isSelf = (actor: AdminActor, id: string) => actor.via !== 'cli' && actor.subject === id;

async function duplicateAsConflict<T>(fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (err) {
    if (err instanceof DuplicateEmailError) throw conflict(err.message);
    throw err;
  }
}

// Every change is audited with the actor and the user (or session) id (src/security/admin-audit.ts).
// Passwords an admin sets follow the same policy as the users' own (src/users/password-policy.ts).
export function createUserAdmin(deps: { users: UserStore; grants: GrantStore; audit: AdminAudit; endSessions: EndSessions; passwordPolicy: PasswordPolicy }) {
  const { users, grants, audit, passwordPolicy } = deps;
  // Every way an admin ends sessions also tells the clients of those sessions
  // (src/oidc/end-sessions.ts: Back-Channel Logout 1.0 §2.5).
  const endingSessions = deps.endSessions.around;
  /** A 400 naming the password field, with the policy's English text (API, console, CLI). */
  const checkPassword = (password: string, email?: string) => {
    const problem = passwordPolicy.check(password, { email });
    if (problem) throw invalidParameter('password', passwordProblemText(problem, passwordPolicy.minLength));
  };
  const found = (u: User | null): User => {
    if (!u) throw notFound('user');
    return u;
  };

  return {
    async create(input: UserCreateInput, actor: AdminActor) {
      const { given_name, family_name, email_verified, phone_number, phone_number_verified, mfa_required, ...rest } = input;
      checkPassword(rest.password, rest.email);
      const u = await duplicateAsConflict(() => users.create({
        ...rest, givenName: given_name, familyName: family_name, emailVerified: email_verified, phoneNumber: phone_number, phoneNumberVerified: phone_number_verified,
        mfaRequired: mfa_required,
      }));
      await audit(actor, 'user.create', u.id, { roles: u.roles, mfa_required: u.mfaRequired });
      return userView(u);
    },
    async list(query: UserQueryInput) {
      const { items, total } = await users.list(query);
      return { items: items.map(userView), total, limit: query.limit, offset: query.offset };
    },
    get: async (id: string) => userView(found(await users.findById(id))),
    async update(id: string, patch: UserUpdateInput, actor: AdminActor) {
      if (isSelf(actor, id) && patch.roles && !patch.roles.includes(ADMIN_ROLE)) {
        throw conflict('you cannot remove your own admin role');
      }
      const { given_name, family_name, email_verified, phone_number, phone_number_verified: verified, mfa_required, ...rest } = patch;
      // A new (or removed) number is unverified unless the same change says otherwise.
      const phone_number_verified = verified ?? (phone_number === undefined ? undefined : false);
      const u = await duplicateAsConflict(() => users.update(id, {
        ...rest, givenName: given_name, familyName: family_name, emailVerified: email_verified, phoneNumber: phone_number, phoneNumberVerified: phone_number_verified,
        mfaRequired: mfa_required,
      }));
      const view = userView(found(u));
      await audit(actor, 'user.update', id, { fields: changedFields(patch), ...(mfa_required === undefined ? {} : { mfa_required }) });
      return view;
    },
    async setDisabled(id: string, disabled: boolean, actor: AdminActor) {
      if (disabled && isSelf(actor, id)) throw conflict('you cannot disable your own account');
      const u = found(await users.setDisabled(id, disabled));
      const ended = disabled ? await endingSessions(id, undefined, () => grants.revokeAccount(id)) : undefined;
      await audit(actor, disabled ? 'user.disable' : 'user.enable', id, ended === undefined ? {} : { sessions_ended: ended });
      return userView(u);
    },
    /** Sets the given password, or generates one; either way it is returned once. */
    async resetPassword(id: string, password: string | undefined, actor: AdminActor) {
      if (password !== undefined) checkPassword(password, found(await users.findById(id)).email);
      const chosen = password ?? randomBytes(18).toString('base64url');
      const u = found(await users.setPassword(id, chosen));
      const sessionsEnded = await endingSessions(id, undefined, () => grants.revokeAccount(id));
      await audit(actor, 'user.reset_password', id, { generated: !password, sessions_ended: sessionsEnded });
      return { user: userView(u), password: password ? undefined : chosen, sessions_ended: sessionsEnded };
    },
    async sessions(id: string) {
      found(await users.findById(id));
      return (await grants.sessionsFor(id)).map(sessionView);
    },
    async revokeSession(id: string, sessionId: string, actor: AdminActor) {
      if (!(await endingSessions(id, sessionId, () => grants.revokeSession(id, sessionId)))) throw notFound('session');
      await audit(actor, 'session.revoke', sessionId, { user_id: id });
    },
    async revokeSessions(id: string, actor: AdminActor) {
      found(await users.findById(id));
      const ended = await endingSessions(id, undefined, () => grants.revokeAccount(id));
      await audit(actor, 'session.revoke_all', id, { sessions_ended: ended });
      return { sessions_ended: ended };
    },
  };
}
