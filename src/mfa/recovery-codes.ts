// Recovery codes: ten single-use codes, shown once when the first factor is
// enrolled and whenever they are regenerated (which replaces all of them).
// Each is 10 characters of lowercase base32 (RFC 4648 §6 alphabet), 50 random
// bits, written `xxxxx-xxxxx`; stored as keyed hashes (recovery-code-store.ts).
// Using one is throttled with the same keys as TOTP (mfa-throttle.ts) and
// audited as mfa.recovery.verify with how many remain (never the code).
import { randomBytes } from 'node:crypto';
import type { RecoveryCodeStore } from './recovery-code-store.js';
import type { SecurityEvents } from '../security/security-events.js';
import type { Guarded, MfaGuard } from './mfa-throttle.js';

export const RECOVERY_CODE_COUNT = 10;
const ALPHABET = 'abcdefghijklmnopqrstuvwxyz234567';

/** 32 divides 256, so `byte & 31` picks each character uniformly. */
export function newRecoveryCode(): string {
  const chars = [...randomBytes(10)].map((b) => ALPHABET[b & 31]).join('');
  return `${chars.slice(0, 5)}-${chars.slice(5)}`;
}

export interface RecoveryDeps {
  recoveryCodes: RecoveryCodeStore;
  events: SecurityEvents;
  guard: MfaGuard;
}

type Where = { ip: string | null; clientId?: string | null };

export type RecoveryCodes = ReturnType<typeof createRecoveryCodes>;

export function createRecoveryCodes({ recoveryCodes, events, guard }: RecoveryDeps) {
  const issue = async (userId: string, type: string, where: Where, reason: string) => {
    const codes = Array.from({ length: RECOVERY_CODE_COUNT }, newRecoveryCode);
    await recoveryCodes.replace(userId, codes);
    await events.record({ type, outcome: 'success', subject: userId, ip: where.ip, clientId: where.clientId ?? null, details: { count: codes.length, reason } });
    return codes;
  };

  return {
    /** First codes, at the first enrolment (audited mfa.recovery.enrol); the caller shows them once. */
    enrol: (userId: string, where: Where) => issue(userId, 'mfa.recovery.enrol', where, 'first-factor'),

    /** New codes replacing all earlier ones (audited mfa.recovery.regenerate). */
    regenerate: (userId: string, where: Where) => issue(userId, 'mfa.recovery.regenerate', where, 'user'),

    remaining: (userId: string) => recoveryCodes.remaining(userId),

    /** Spends a code; `remaining` counts the unused ones after it. */
    async use(userId: string, code: string, where: { ip: string; clientId?: string | null }): Promise<Guarded & { remaining: number }> {
      let remaining = 0;
      const g = await guard(userId, where.ip, async () => {
        const r = await recoveryCodes.use(userId, code.trim());
        remaining = r.remaining;
        return r.ok;
      });
      if (g.result !== 'ok') remaining = await recoveryCodes.remaining(userId);
      const outcome = g.result === 'ok' ? 'success' : g.result === 'locked' ? 'denied' : 'failure';
      const details = g.result === 'locked' ? { reason: 'locked', retryAfter: g.retryAfter, remaining } : { remaining };
      await events.record({ type: 'mfa.recovery.verify', outcome, subject: userId, ip: where.ip, clientId: where.clientId ?? null, details });
      return { ...g, remaining };
    },
  };
}
