// A user's own changes to their second factors, from the account pages: each
// one recorded in the audit log as `mfa.<factor>.<action>` with `self: true`
// (issue 14: "a user's own factor changes are audited too"); never a code or
// secret in the details. The routes (security-pages.ts) only parse and call.
import type { Factor, FactorStore } from '../mfa/factor-store.js';
import type { RecoveryCodeStore } from '../mfa/recovery-code-store.js';
import type { MfaMode } from '../mfa/mfa-policy.js';
import type { UserStore } from '../users/user-store.js';
import type { SecurityEvents } from '../security/security-events.js';
import { ACCOUNT_CLIENT_ID } from './account-setup.js';

export interface FactorChangeDeps {
  factors: FactorStore;
  recoveryCodes: RecoveryCodeStore;
  users: UserStore;
  events: SecurityEvents;
  mfaMode: MfaMode;
  /** Ten fresh recovery codes in their display form (src/mfa/recovery-codes.ts). */
  generateRecoveryCodes: () => string[];
}

/** Who is changing their own factors, for the audit trail. */
export interface Self {
  userId: string;
  ip: string;
}

export type RemoveResult = { ok: true; factor: Factor } | { ok: false; reason: 'not_found' | 'required' };

export type FactorChanges = ReturnType<typeof createFactorChanges>;

export function createFactorChanges(deps: FactorChangeDeps) {
  const { factors, recoveryCodes, events } = deps;
  const audit = (who: Self, type: string, details: Record<string, unknown>) =>
    events.record({ type, outcome: 'success', subject: who.userId, clientId: ACCOUNT_CLIENT_ID, ip: who.ip, details: { ...details, self: true } });
  const find = async (userId: string, id: string) => (await factors.list(userId)).find((f) => f.id === id) ?? null;

  /** MFA is required for this user: by the deployment or by an admin (users.mfa_required). */
  async function mfaRequired(userId: string): Promise<boolean> {
    return deps.mfaMode === 'required' || Boolean((await deps.users.findById(userId))?.mfaRequired);
  }

  return {
    mfaRequired,

    async overview(userId: string) {
      const [list, remaining, required] = await Promise.all([factors.list(userId), recoveryCodes.remaining(userId), mfaRequired(userId)]);
      return { factors: list, recoveryRemaining: remaining, mfaRequired: required };
    },

    async rename(who: Self, id: string, name: string): Promise<Factor | null> {
      const factor = await find(who.userId, id);
      if (!factor || !(await factors.rename(who.userId, id, name))) return null;
      await audit(who, `mfa.${factor.kind}.rename`, { factor_id: id });
      return factor;
    },

    /**
     * Removes one factor, refusing the last one when MFA is required. The
     * check and the delete are two statements: two removals racing could
     * both pass, which leaves a user who must have MFA with none; the sign-in
     * then walks them through enrolment (mfa-policy.ts mfaNeed 'enrol'), so
     * this rule guides people rather than guarding a boundary.
     */
    async remove(who: Self, id: string): Promise<RemoveResult> {
      const list = await factors.list(who.userId);
      const factor = list.find((f) => f.id === id);
      if (!factor) return { ok: false, reason: 'not_found' };
      if (list.length === 1 && (await mfaRequired(who.userId))) return { ok: false, reason: 'required' };
      if (!(await factors.remove(who.userId, id))) return { ok: false, reason: 'not_found' };
      // Without a factor there is no second step for recovery codes to stand in
      // for; old codes must not come back to life with the next enrolment.
      const codesRemoved = list.length === 1 ? await recoveryCodes.removeAll(who.userId) : 0;
      await audit(who, `mfa.${factor.kind}.remove`, { factor_id: id, recovery_codes_removed: codesRemoved });
      return { ok: true, factor };
    },

    /** New codes replace all old ones; shown once. Null when the user has no factor to recover. */
    async regenerateRecoveryCodes(who: Self): Promise<string[] | null> {
      if ((await factors.list(who.userId)).length === 0) return null;
      const codes = deps.generateRecoveryCodes();
      await recoveryCodes.replace(who.userId, codes);
      await audit(who, 'mfa.recovery.regenerate', { count: codes.length });
      return codes;
    },
  };
}
