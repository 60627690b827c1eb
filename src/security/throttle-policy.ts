// Brute-force policy (OWASP Authentication Cheat Sheet, "Account lockout"):
// count failures per key inside a sliding window; from `maxFailures` on, lock
// the key for base * 2^(extra failures) seconds, capped at `maxLockSeconds`.
// Account keys are counted whether or not the account exists, so lockouts do
// not reveal which emails are registered. Trade-off: an attacker can lock a
// victim's account for up to maxLockSeconds; the per-IP limit and the cap
// bound that, and a successful login or `gatehouse user unlock` resets it.
export interface ThrottleRule {
  maxFailures: number;
  windowSeconds: number;
  baseLockSeconds: number;
  maxLockSeconds: number;
}

export function lockSeconds(rule: ThrottleRule, failures: number): number {
  if (failures < rule.maxFailures) return 0;
  return Math.min(rule.maxLockSeconds, rule.baseLockSeconds * 2 ** (failures - rule.maxFailures));
}
