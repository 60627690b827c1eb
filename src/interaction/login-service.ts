// One sign-in attempt: throttle, password check, counters, audit.
// Attempts are counted before the password is verified (throttle-store.ts
// attempt()), so concurrency cannot buy extra guesses; a success takes its
// attempt back. Device cookies (OWASP Authentication Cheat Sheet, "Device
// cookies"; see docs/security.md): a browser that has signed in to this
// account before counts its failures on its own counter, so an attacker who
// locks the shared account counter does not lock out the account's owner.
import { randomBytes } from 'node:crypto';
import { normaliseEmail, type UserStore, type User } from '../users/user-store.js';
import type { Attempt, ThrottleStore } from '../security/throttle-store.js';
import type { ThrottleRules } from '../security/throttle-rules.js';
import type { SecurityEvents } from '../security/security-events.js';

/** On success, `device` is the device id to keep in the browser's device cookie. */
export type LoginResult = { user: User; device: string } | { user: null; retryAfter: number };

export interface LoginDeps {
  users: UserStore;
  throttle: ThrottleStore;
  rules: ThrottleRules;
  events: SecurityEvents;
}

export interface LoginAttempt {
  email: string;
  password: string;
  ip: string;
  clientId: string;
  /** Device id from a valid device cookie issued for this email, if any. */
  device?: string | null;
}

export const accountKey = (email: string) => `login:acct:${normaliseEmail(email)}`;
const deviceKey = (email: string, device: string) => `login:dev:${normaliseEmail(email)}:${device}`;
const ipKey = (ip: string) => `login:ip:${ip}`;
const admitted = (a: Attempt): a is Attempt & { admitted: true } => a.admitted;

export type LoginService = (attempt: LoginAttempt) => Promise<LoginResult>;

export function createLoginService({ users, throttle, rules, events }: LoginDeps): LoginService {
  return async ({ email, password, ip, clientId, device = null }: LoginAttempt): Promise<LoginResult> => {
    const known = device !== null;
    const audit = (outcome: 'success' | 'failure' | 'denied', subject: string | null, details: Record<string, unknown>) =>
      events.record({ type: 'login', outcome, subject, clientId, ip, details: { email: normaliseEmail(email), device: known ? 'known' : 'unknown', ...details } });
    const key = known ? deviceKey(email, device) : accountKey(email);

    // Cheap cached check first: a locked key costs no write.
    const locked = Math.max(await throttle.lockedFor(key), await throttle.lockedFor(ipKey(ip)));
    if (locked) {
      await audit('denied', null, { reason: 'locked', retryAfter: locked });
      return { user: null, retryAfter: locked };
    }
    const attempts = await Promise.all([throttle.attempt(key, rules.account), throttle.attempt(ipKey(ip), rules.loginIp)]);
    const refused = attempts.find((a) => !a.admitted);
    if (refused && !refused.admitted) {
      await Promise.all(attempts.filter(admitted).map((a) => throttle.undo(a)));
      await audit('denied', null, { reason: 'locked', retryAfter: refused.retryAfter });
      return { user: null, retryAfter: refused.retryAfter };
    }
    const ok = attempts.filter(admitted);
    const user = await users.authenticate(email, password);
    if (!user) {
      const lock = Math.max(...ok.map((a) => a.lockedFor));
      await audit('failure', null, { lockedFor: lock });
      return { user: null, retryAfter: lock };
    }
    // The account's own success clears its counter; a known device clears
    // only its own, so an attacker's lock on the shared counter stays.
    await Promise.all([throttle.reset(key), throttle.undo(ok[1]!)]);
    await audit('success', user.id, {});
    return { user, device: device ?? randomBytes(16).toString('base64url') };
  };
}
