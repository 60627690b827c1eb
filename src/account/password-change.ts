// Changing one's own password from the account page (issue 15). The current
// password is required and its failures are throttled like sign-in's
// (security/throttle-store.ts: counted before the check, so concurrent
// guesses gain nothing), on a counter of the user's own. The new password
// meets the policy (users/password-policy.ts). "Sign out my other sessions"
// (on by default) ends every other SSO session and revokes every refresh
// token of the user: whoever knew the old password must lose the access it
// gave (OWASP Session Management Cheat Sheet, "Renew the session ID after any
// privilege level change"). This browser's session stays. Audited as
// password.change; never a password in the details.
import type { UserStore } from '../users/user-store.js';
import type { PasswordPolicy, PasswordProblem } from '../users/password-policy.js';
import type { ThrottleStore } from '../security/throttle-store.js';
import type { ThrottleRule } from '../security/throttle-policy.js';
import type { SecurityEvents } from '../security/security-events.js';
import type { Self } from './factor-changes.js';
import type { SessionChanges } from './session-changes.js';
import { ACCOUNT_CLIENT_ID } from './account-setup.js';

export interface PasswordChangeDeps {
  users: UserStore;
  policy: PasswordPolicy;
  throttle: ThrottleStore;
  /** The sign-in rule for one account (security/throttle-rules.ts `account`). */
  rule: ThrottleRule;
  events: SecurityEvents;
  sessions: SessionChanges;
}

export interface PasswordChange {
  current: string;
  next: string;
  signOutOthers: boolean;
  /** This browser's SSO session (uid), kept signed in. */
  thisUid: string | undefined;
}

export type PasswordChangeResult =
  | { ok: true; sessionsEnded: number }
  | { ok: false; reason: 'wrong' }
  | { ok: false; reason: 'locked'; retryAfter: number }
  | { ok: false; reason: 'policy'; problem: PasswordProblem };

export const passwordKey = (userId: string) => `account:password:${userId}`;

export function createPasswordChange(deps: PasswordChangeDeps) {
  const audit = (who: Self, outcome: 'success' | 'failure' | 'denied', details: Record<string, unknown>) =>
    deps.events.record({ type: 'password.change', outcome, subject: who.userId, clientId: ACCOUNT_CLIENT_ID, ip: who.ip, details: { ...details, self: true } });

  return async (who: Self, change: PasswordChange): Promise<PasswordChangeResult> => {
    const user = await deps.users.findById(who.userId);
    if (!user) return { ok: false, reason: 'wrong' };
    const key = passwordKey(who.userId);
    const locked = await deps.throttle.lockedFor(key);
    const attempt = locked ? null : await deps.throttle.attempt(key, deps.rule);
    if (!attempt || !attempt.admitted) {
      const retryAfter = locked || (attempt && !attempt.admitted ? attempt.retryAfter : 0);
      await audit(who, 'denied', { reason: 'locked', retryAfter });
      return { ok: false, reason: 'locked', retryAfter };
    }
    if (!(await deps.users.authenticate(user.email, change.current))) {
      await audit(who, 'failure', { reason: 'wrong_password' });
      return { ok: false, reason: 'wrong' };
    }
    await deps.throttle.reset(key);
    const problem = deps.policy.check(change.next, { email: user.email });
    if (problem) {
      await audit(who, 'failure', { reason: 'policy', problem });
      return { ok: false, reason: 'policy', problem };
    }
    await deps.users.setPassword(who.userId, change.next);
    const sessionsEnded = change.signOutOthers ? await deps.sessions.endOthers(who, change.thisUid, { refreshTokens: true }) : 0;
    await audit(who, 'success', { signed_out_others: change.signOutOthers, sessions_ended: sessionsEnded });
    return { ok: true, sessionsEnded };
  };
}

export type ChangePassword = ReturnType<typeof createPasswordChange>;
