// Second-factor attempts are throttled like passwords (login-service.ts): the
// attempt is counted BEFORE the code is checked, so concurrent guesses cannot
// buy extra tries, and a success takes its attempt back. Two keys: the
// account (mfa:acct:<userId>, policies.throttle.account) and the client
// address (login:ip:<ip>, shared with password attempts, policies.throttle.loginIp).
// A locked key refuses even a correct code (RFC 6238 §5.2 asks the verifier
// to throttle; OWASP MFA Cheat Sheet: same lockout as the password).
import type { Attempt, ThrottleStore } from '../security/throttle-store.js';
import type { ThrottleRules } from '../security/throttle-rules.js';

/** 'ok'; 'wrong' (lockedFor > 0 when this failure set a lock); 'locked' (nothing was checked). */
export type Guarded = { result: 'ok' } | { result: 'wrong'; lockedFor: number } | { result: 'locked'; retryAfter: number };

export type MfaGuard = (userId: string, ip: string, check: () => Promise<boolean>) => Promise<Guarded>;

export const mfaAccountKey = (userId: string) => `mfa:acct:${userId}`;
const ipKey = (ip: string) => `login:ip:${ip}`;
const admitted = (a: Attempt): a is Attempt & { admitted: true } => a.admitted;

export function createMfaGuard(throttle: ThrottleStore, rules: Pick<ThrottleRules, 'account' | 'loginIp'>): MfaGuard {
  return async (userId, ip, check) => {
    const keys = [mfaAccountKey(userId), ipKey(ip)];
    // Cheap cached check first: a locked key costs no write.
    const locked = Math.max(...(await Promise.all(keys.map((k) => throttle.lockedFor(k)))));
    if (locked) return { result: 'locked', retryAfter: locked };
    const attempts = await Promise.all([throttle.attempt(keys[0]!, rules.account), throttle.attempt(keys[1]!, rules.loginIp)]);
    const ok = attempts.filter(admitted);
    const refused = attempts.find((a) => !a.admitted);
    if (refused && !refused.admitted) {
      await Promise.all(ok.map((a) => throttle.undo(a)));
      return { result: 'locked', retryAfter: refused.retryAfter };
    }
    if (!(await check())) return { result: 'wrong', lockedFor: Math.max(...ok.map((a) => a.lockedFor)) };
    await Promise.all(ok.map((a) => throttle.undo(a)));
    return { result: 'ok' };
  };
}
