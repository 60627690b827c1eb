// One sign-in attempt: throttle check, password check, counters, audit.
import { normaliseEmail, type UserStore, type User } from '../users/user-store.js';
import type { ThrottleStore } from '../security/throttle-store.js';
import type { ThrottleRules } from '../security/throttle-rules.js';
import type { SecurityEvents } from '../security/security-events.js';

export type LoginResult = { user: User } | { user: null; retryAfter: number };

export interface LoginDeps {
  users: UserStore;
  throttle: ThrottleStore;
  rules: ThrottleRules;
  events: SecurityEvents;
}

export const accountKey = (email: string) => `login:acct:${normaliseEmail(email)}`;
const ipKey = (ip: string) => `login:ip:${ip}`;

export function createLoginService({ users, throttle, rules, events }: LoginDeps) {
  return async (email: string, password: string, ip: string, clientId: string): Promise<LoginResult> => {
    const audit = (outcome: 'success' | 'failure' | 'denied', subject: string | null, details: Record<string, unknown>) =>
      events.record({ type: 'login', outcome, subject, clientId, ip, details: { email: normaliseEmail(email), ...details } });

    const locked = Math.max(await throttle.lockedFor(accountKey(email)), await throttle.lockedFor(ipKey(ip)));
    if (locked) {
      await audit('denied', null, { reason: 'locked', retryAfter: locked });
      return { user: null, retryAfter: locked };
    }
    const user = await users.authenticate(email, password);
    if (!user) {
      const lock = Math.max(await throttle.fail(accountKey(email), rules.account), await throttle.fail(ipKey(ip), rules.loginIp));
      await audit('failure', null, { lockedFor: lock });
      return { user: null, retryAfter: lock };
    }
    await throttle.reset(accountKey(email));
    await audit('success', user.id, {});
    return { user };
  };
}
