// A user's second factors for the admin surface (REST API, console, CLI):
// list them, remove one, reset all (lost phone or security key), and require
// multi-factor sign-in for the user. What an admin sees is the factor's name,
// kind and dates, never a TOTP secret, a public key or a whole credential id
// (a short prefix tells two passkeys apart). Every change is audited here
// with the actor and the user id (src/security/admin-audit.ts).
import type { Factor, FactorStore } from '../mfa/factor-store.js';
import type { RecoveryCodeStore } from '../mfa/recovery-code-store.js';
import type { User, UserStore } from '../users/user-store.js';
import { notFound } from '../errors/domain-error.js';
import type { AdminActor, AdminAudit } from '../security/admin-audit.js';
import { userView } from './user-admin.js';

export type FactorView = ReturnType<typeof factorView>;
export type MfaAdmin = ReturnType<typeof createMfaAdmin>;

/** Enough of a credential id to tell passkeys apart in a list (base64url, WebAuthn Level 2 §6.5.1). */
const CREDENTIAL_PREFIX = 8;

export function factorView(f: Factor) {
  const iso = (d: Date | null) => d?.toISOString() ?? null;
  const base = { id: f.id, kind: f.kind, name: f.name, created_at: iso(f.createdAt), last_used_at: iso(f.lastUsedAt) };
  if (!f.passkey) return base;
  const p = f.passkey;
  return {
    ...base, device_type: p.deviceType, backed_up: p.backedUp, transports: p.transports, aaguid: p.aaguid,
    credential_id_prefix: p.credentialId.slice(0, CREDENTIAL_PREFIX),
  };
}

export function createMfaAdmin(deps: { users: UserStore; factors: FactorStore; recoveryCodes: RecoveryCodeStore; audit: AdminAudit }) {
  const { users, factors, recoveryCodes, audit } = deps;
  const mustFind = async (userId: string): Promise<User> => {
    const u = await users.findById(userId);
    if (!u) throw notFound('user');
    return u;
  };

  return {
    /** Confirmed factors, oldest first, and how many unused recovery codes are left. */
    async listFactors(userId: string) {
      const u = await mustFind(userId);
      const [list, remaining] = await Promise.all([factors.list(userId), recoveryCodes.remaining(userId)]);
      return { user_id: u.id, mfa_required: u.mfaRequired, items: list.map(factorView), recovery_codes_remaining: remaining };
    },

    /**
     * Removes every factor (pending enrolments too) and every recovery code.
     * Sessions are left alone: ending them is its own action (user-admin.ts
     * revokeSessions). A user who must use MFA enrols again at the next sign-in.
     */
    async resetFactors(userId: string, actor: AdminActor) {
      await mustFind(userId);
      const factorsRemoved = await factors.removeAll(userId);
      const codesRemoved = await recoveryCodes.removeAll(userId);
      await audit(actor, 'user.mfa_reset', userId, { factors_removed: factorsRemoved, recovery_codes_removed: codesRemoved });
      return { factors_removed: factorsRemoved, recovery_codes_removed: codesRemoved };
    },

    /**
     * Removes one factor. Recovery codes back up the factors: when the last
     * factor goes, so do they, so that no code is left standing in for a
     * second factor the user no longer has.
     */
    async removeFactor(userId: string, factorId: string, actor: AdminActor) {
      await mustFind(userId);
      const removed = await factors.remove(userId, factorId);
      if (!removed) throw notFound('factor');
      const left = (await factors.list(userId)).length;
      const codesRemoved = left === 0 ? await recoveryCodes.removeAll(userId) : 0;
      await audit(actor, 'user.mfa_factor_remove', userId, { factor_id: removed.id, kind: removed.kind, recovery_codes_removed: codesRemoved });
      return { factor: factorView(removed), recovery_codes_removed: codesRemoved };
    },

    /** Audited as the user update it is, naming the field (as PATCH /users/{id} does). */
    async setMfaRequired(userId: string, required: boolean, actor: AdminActor) {
      const u = await users.setMfaRequired(userId, required);
      if (!u) throw notFound('user');
      await audit(actor, 'user.update', userId, { fields: ['mfa_required'], mfa_required: required });
      return userView(u);
    },
  };
}
