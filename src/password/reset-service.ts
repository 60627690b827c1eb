// Forgot password and reset (issue 15). request() does the same work for
// every address before the page is answered (the IP counter) and queues the
// rest: the address counter, the lookup, the link and the mail. complete()
// spends the link only once the new password passes the policy, then ends
// every session, grant and refresh token of the account (a reset is what a
// person does when someone else may know the old password), voids the other
// links, clears the sign-in lock and sends a notice.
import type { UserStore } from '../users/user-store.js';
import type { UserTokenStore } from '../users/user-token-store.js';
import type { PasswordPolicy, PasswordProblem } from '../users/password-policy.js';
import type { ThrottleStore } from '../security/throttle-store.js';
import type { SecurityEvents } from '../security/security-events.js';
import type { EndSessions } from '../oidc/end-sessions.js';
import { accountKey } from '../interaction/login-service.js';
import type { Background } from './background.js';
import type { ResetMail } from './reset-mail.js';
import { RESET_LINK_SECONDS, resetAddressKey, resetIpKey, type ResetRules } from './reset-policy.js';

export interface PasswordResetDeps {
  issuer: string;
  users: UserStore;
  userTokens: UserTokenStore;
  throttle: ThrottleStore;
  events: SecurityEvents;
  endSessions: EndSessions;
  policy: PasswordPolicy;
  mail: ResetMail;
  background: Background;
  rules: ResetRules;
}

export interface ResetRequest { email: string; ip: string; lang: string }

export type ResetOutcome =
  | { result: 'done'; userId: string }
  | { result: 'invalid' }
  | { result: 'refused'; problem: PasswordProblem };

export type PasswordReset = ReturnType<typeof createPasswordReset>;

export const resetLink = (issuer: string, token: string) => `${issuer}/password/reset?token=${encodeURIComponent(token)}`;
export const forgotUrl = (issuer: string) => `${issuer}/password/forgot`;

export function createPasswordReset(deps: PasswordResetDeps) {
  const { users, userTokens, throttle, events, policy, rules } = deps;
  const record = (type: string, outcome: 'success' | 'failure' | 'denied', subject: string | null, ip: string, details: Record<string, unknown>) =>
    events.record({ type, outcome, subject, ip, details });

  // After the response. Details never hold the address, the token or the link.
  async function issue({ email, ip, lang }: ResetRequest): Promise<void> {
    const counted = await throttle.attempt(resetAddressKey(email), rules.address);
    if (!counted.admitted) return record('password.reset_denied', 'denied', null, ip, { reason: 'address_limit' });
    const user = await users.findByEmail(email);
    if (!user) return record('password.reset_request', 'failure', null, ip, { known: false });
    if (user.disabled) return record('password.reset_request', 'denied', user.id, ip, { known: true, reason: 'disabled' });
    const { token } = await userTokens.issue(user.id, 'reset-password', user.email, RESET_LINK_SECONDS);
    await record('password.reset_request', 'success', user.id, ip, { known: true });
    await deps.mail.link(user.email, resetLink(deps.issuer, token), lang);
  }

  /** The link's user when it is valid, unused, unexpired and the account enabled. */
  async function holder(token: string) {
    const found = await userTokens.peek('reset-password', token);
    const user = found ? await users.findById(found.userId) : null;
    return user && !user.disabled ? user : null;
  }

  return {
    /** Waits for the queued lookups and mails (tests, shutdown). */
    drain: () => deps.background.drain(),

    /** Null when queued; the IP's Retry-After when it is over its limit (nothing is queued). */
    async request(req: ResetRequest): Promise<{ retryAfter: number } | null> {
      const counted = await throttle.attempt(resetIpKey(req.ip), rules.ip);
      if (!counted.admitted) {
        await record('password.reset_denied', 'denied', null, req.ip, { reason: 'ip_limit' });
        return { retryAfter: counted.retryAfter };
      }
      deps.background.push('password reset request', () => issue(req));
      return null;
    },

    /** Whether the reset form may be shown for this link (it is not spent). */
    valid: async (token: string): Promise<boolean> => (await holder(token)) !== null,

    async complete(token: string, password: string, ip: string, lang: string): Promise<ResetOutcome> {
      const user = await holder(token);
      if (!user) {
        await record('password.reset', 'failure', null, ip, { reason: 'invalid_link' });
        return { result: 'invalid' };
      }
      const problem = policy.check(password, { email: user.email });
      if (problem) return { result: 'refused', problem };
      // One conditional update: of two racing submissions, one wins.
      if (!(await userTokens.redeem('reset-password', token))) return { result: 'invalid' };
      await users.setPassword(user.id, password);
      const sessionsEnded = await deps.endSessions.all(user.id);
      const voided = await userTokens.revokeAll(user.id, 'reset-password');
      await throttle.reset(accountKey(user.email));
      await record('password.reset', 'success', user.id, ip, { sessions_ended: sessionsEnded, links_voided: voided });
      deps.background.push('password changed notice', () => deps.mail.changed(user.email, lang, forgotUrl(deps.issuer)));
      return { result: 'done', userId: user.id };
    },
  };
}
