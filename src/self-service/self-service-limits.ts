// Rate limits of the self-service mail flows, counted in the shared throttle
// table (security/throttle-store.ts) so every instance sees the same counts.
// Each request counts (not only failures): these limits bound how much mail
// one address receives and how much one client can send. Over the per-address
// limit the page answers as usual and nothing is sent (the answer must not
// reveal whether the address has an account); over the per-IP limit the
// answer is 429 with Retry-After (RFC 6585 §4).
import type { ThrottleRule } from '../security/throttle-policy.js';
import type { ThrottleStore } from '../security/throttle-store.js';

const HOUR = 3600;
const rule = (maxFailures: number): ThrottleRule => ({ maxFailures, windowSeconds: HOUR, baseLockSeconds: HOUR, maxLockSeconds: HOUR });

export const SELF_SERVICE_LIMITS = {
  /** Verification mails to one address per hour (resend and registration). */
  verifyAddress: rule(3),
  /** Resend requests from one IP per hour. */
  verifyIp: rule(20),
  /** Registrations from one IP per hour. */
  registerIp: rule(10),
} as const;

export type Limited = { ok: true } | { ok: false; retryAfter: number };

/** Counts one request against `key`; refused once the rule's limit was reached. */
export async function countRequest(throttle: ThrottleStore, key: string, rule: ThrottleRule): Promise<Limited> {
  const a = await throttle.attempt(key, rule);
  return a.admitted ? { ok: true } : { ok: false, retryAfter: a.retryAfter };
}
