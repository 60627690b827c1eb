// The numbers of the password reset flow, with their trade-offs.
// - A link lives 30 minutes (OWASP Forgot Password Cheat Sheet: short-lived,
//   single use); only the newest unused link of a user works.
// - Requests are counted per address and per client IP over an hour. The
//   address counter exists whether or not an account does (as the sign-in
//   throttle's, src/security/throttle-policy.ts), so its refusals reveal
//   nothing; beyond it the page is the same and no mail is sent, so nobody
//   can flood a mailbox. The IP counter bounds how many addresses one client
//   can probe or mail; beyond it a 429 with Retry-After (RFC 6585 §4).
import type { ThrottleRule } from '../security/throttle-policy.js';
import { normaliseEmail } from '../users/user-store.js';

export const RESET_LINK_SECONDS = 30 * 60;

const perHour = (n: number): ThrottleRule => ({ maxFailures: n, windowSeconds: 3600, baseLockSeconds: 3600, maxLockSeconds: 3600 });

export interface ResetRules {
  address: ThrottleRule;
  ip: ThrottleRule;
}

/** 3 mails per address and 20 requests per IP per hour. */
export const RESET_RULES: ResetRules = { address: perHour(3), ip: perHour(20) };

export const resetAddressKey = (email: string) => `reset:addr:${normaliseEmail(email)}`;
export const resetIpKey = (ip: string) => `reset:ip:${ip}`;
