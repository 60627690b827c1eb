// A user's own profile changes from the account page (issue 15): the name as
// the user store keeps it (name, given_name, family_name: OpenID Connect Core
// §5.1), and a change of email address that takes effect only once the new
// address has confirmed it through a single-use 'change-email' link
// (users/user-token-store.ts), after which the address counts as verified.
// Asking for an address another account uses gets the same answer, and that
// address a notice without a link (no enumeration, also by timing: OWASP
// Authentication Cheat Sheet); nothing changes. Audited as
// account.profile_update and account.email_change; no link or token in details.
import { DuplicateEmailError, normaliseEmail, type User, type UserStore } from '../users/user-store.js';
import type { UserTokenStore } from '../users/user-token-store.js';
import type { SecurityEvents } from '../security/security-events.js';
import type { Self } from './factor-changes.js';
import { ACCOUNT_CLIENT_ID } from './account-setup.js';

/** How long a change-email link works (24 hours: long enough to reach another device's inbox). */
export const EMAIL_CHANGE_TTL = 24 * 3600;

export interface NameChange {
  name: string | null;
  givenName: string | null;
  familyName: string | null;
}

export interface ProfileChangeDeps {
  users: UserStore;
  userTokens: UserTokenStore;
  events: SecurityEvents;
  /** Sends the confirmation link to the new address (account-mail.ts). */
  sendConfirmation(to: string, token: string, lang: string): Promise<void>;
  /** Tells an address that already has an account that someone asked to use it (no link). */
  sendInUse(to: string, lang: string): Promise<void>;
  /** Tells the old address that the account's email changed. */
  sendNotice(to: string, newEmail: string, lang: string): Promise<void>;
}

export type EmailConfirmResult = { ok: true; user: User } | { ok: false; reason: 'invalid' | 'other_account' | 'taken' };

export type ProfileChanges = ReturnType<typeof createProfileChanges>;

export function createProfileChanges(deps: ProfileChangeDeps) {
  const { users, userTokens, events } = deps;
  const audit = (who: Self, type: string, outcome: 'success' | 'failure' | 'denied', details: Record<string, unknown>) =>
    events.record({ type, outcome, subject: who.userId, clientId: ACCOUNT_CLIENT_ID, ip: who.ip, details: { ...details, self: true } });

  return {
    user: (userId: string) => users.findById(userId),

    async updateName(who: Self, change: NameChange): Promise<User | null> {
      const before = await users.findById(who.userId);
      const user = await users.update(who.userId, change);
      if (!user || !before) return null;
      const fields = (['name', 'givenName', 'familyName'] as const).filter((f) => before[f] !== user[f]);
      await audit(who, 'account.profile_update', 'success', { fields });
      return user;
    },

    /**
     * Sends a confirmation link to the new address; when another account
     * uses it, that address gets a notice without a link instead, so the
     * answer and its timing are the same either way (the caller shows one page).
     * Sending may throw (SMTP down): the page then says to try again.
     */
    async requestEmailChange(who: Self, newEmail: string, lang: string): Promise<void> {
      const email = normaliseEmail(newEmail);
      const owner = await users.findByEmail(email);
      if (owner) {
        await audit(who, 'account.email_change_request', 'denied', { reason: owner.id === who.userId ? 'same' : 'in_use' });
        if (owner.id !== who.userId) await deps.sendInUse(email, lang);
        return;
      }
      const { token } = await userTokens.issue(who.userId, 'change-email', email, EMAIL_CHANGE_TTL);
      await deps.sendConfirmation(email, token, lang);
      await audit(who, 'account.email_change_request', 'success', {});
    },

    /** Whether the link is valid for this user, without spending it (the GET shows a button). */
    async peekEmailChange(userId: string, token: string): Promise<{ email: string } | null> {
      const found = await userTokens.peek('change-email', token);
      return found && found.userId === userId ? { email: found.email } : null;
    },

    /** Spends the link (POST): the address changes and is verified; the old address gets a notice. */
    async confirmEmailChange(who: Self, token: string, lang: string): Promise<EmailConfirmResult> {
      const peeked = await userTokens.peek('change-email', token);
      if (!peeked) return { ok: false, reason: 'invalid' };
      if (peeked.userId !== who.userId) return { ok: false, reason: 'other_account' };
      const before = await users.findById(who.userId);
      const spent = await userTokens.redeem('change-email', token);
      if (!spent || !before) return { ok: false, reason: 'invalid' };
      let user: User | null;
      try {
        user = await users.update(who.userId, { email: spent.email, emailVerified: true });
      } catch (err) {
        if (!(err instanceof DuplicateEmailError)) throw err;
        await audit(who, 'account.email_change', 'failure', { reason: 'in_use' });
        return { ok: false, reason: 'taken' };
      }
      if (!user) return { ok: false, reason: 'invalid' };
      await audit(who, 'account.email_change', 'success', {});
      // The old address learns of the change (someone with the session could
      // otherwise take the account quietly); a failed notice does not undo it.
      await deps.sendNotice(before.email, user.email, lang).catch(() => undefined);
      return { ok: true, user };
    },
  };
}
