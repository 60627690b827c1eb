// Email verification for any account: issue a single-use 'verify-email' link
// (users/user-token-store.ts: signed, stored as a keyed hash, 24 h), mail it,
// and redeem it. Redeeming marks the address verified only if it is still
// the user's address (an email change in between voids the old link's
// effect). The link's value never reaches a log or an event.
import { normaliseEmail, type UserStore } from '../users/user-store.js';
import type { UserTokenStore } from '../users/user-token-store.js';
import type { SecurityEvents } from '../security/security-events.js';
import type { Messages } from '../mail/messages.js';
import type { Logger } from '../http/logger.js';
import type { ThrottleStore } from '../security/throttle-store.js';
import { createBackground, type Background } from '../password/background.js';
import { countRequest, SELF_SERVICE_LIMITS } from './self-service-limits.js';

export const VERIFY_TTL_SECONDS = 24 * 3600;
export const VERIFY_PATH = '/email/verify';

export type EmailVerification = ReturnType<typeof createEmailVerification>;

export interface SendOptions {
  lang: string;
  ip?: string | undefined;
  /** The interaction a registration started from: the link carries it so the same browser can continue (registration-routes.ts). */
  continueUid?: string | undefined;
}

export type RedeemResult = { ok: true; userId: string } | { ok: false; reason: 'invalid' | 'email-changed' };

/** Interaction uids as oidc-provider makes them (nanoid); anything else is dropped from links. */
export const isUid = (uid: unknown): uid is string => typeof uid === 'string' && /^[\w-]{10,64}$/.test(uid);

export function createEmailVerification(deps: {
  users: UserStore; userTokens: UserTokenStore; events: SecurityEvents; messages: Messages; throttle: ThrottleStore; issuer: string;
  log: Logger;
  ttlSeconds?: number;
}) {
  const ttl = deps.ttlSeconds ?? VERIFY_TTL_SECONDS;
  // Resend requests are answered before the address is looked up (background.ts).
  const background: Background = createBackground(deps.log);
  const linkFor = (token: string, continueUid?: string) => {
    const url = new URL(VERIFY_PATH, deps.issuer.endsWith('/') ? deps.issuer : `${deps.issuer}/`);
    url.searchParams.set('token', token);
    if (continueUid && isUid(continueUid)) url.searchParams.set('continue', continueUid);
    return url.href;
  };
  async function send(user: { id: string; email: string; name: string | null }, opts: SendOptions): Promise<void> {
    const { token } = await deps.userTokens.issue(user.id, 'verify-email', user.email, ttl);
    try {
      await deps.messages.send('verify-email', user.email, opts.lang, { link: linkFor(token, opts.continueUid), hours: Math.round(ttl / 3600), name: user.name });
    } catch (err) {
      await deps.events.record({ type: 'email.verify_sent', outcome: 'failure', subject: user.id, ip: opts.ip, details: { reason: 'mail_unavailable' } });
      throw err;
    }
    await deps.events.record({ type: 'email.verify_sent', outcome: 'success', subject: user.id, ip: opts.ip });
  }

  return {
    /**
     * A person asked for a new link for `email`. Returns at once: the
     * per-address limit, the lookup and the mail run after the response, so
     * neither the page nor its timing says whether the address has an
     * account (OWASP Forgot Password Cheat Sheet, "consistent response times").
     */
    requestResend(email: string, opts: SendOptions & { userId?: string | undefined }): void {
      background.push('email.verify_resend', async () => {
        const address = await countRequest(deps.throttle, `verify:addr:${normaliseEmail(email)}`, SELF_SERVICE_LIMITS.verifyAddress);
        // A pending registration names its account (or a decoy id that matches none).
        const user = !address.ok ? null : opts.userId ? await deps.users.findById(opts.userId) : await deps.users.findByEmail(email);
        if (user && user.email === normaliseEmail(email) && !user.emailVerified && !user.disabled) await send(user, opts);
      });
    },

    /** Resolves when every resend in flight is done (shutdown, tests). */
    drain: () => background.drain(),

    /**
     * Issues a new link (voiding the user's earlier ones) and mails it.
     * Rejects when the mail cannot be sent; the failure is recorded.
     */
    send,

    /** True when the link is valid, unused and unexpired (GET shows the button; only POST spends it). */
    async check(token: string): Promise<boolean> {
      return (await deps.userTokens.peek('verify-email', token)) !== null;
    },

    async redeem(token: string, ip?: string): Promise<RedeemResult> {
      const r = await deps.userTokens.redeem('verify-email', token);
      if (!r) {
        await deps.events.record({ type: 'email.verify', outcome: 'failure', subject: null, ip, details: { reason: 'invalid_link' } });
        return { ok: false, reason: 'invalid' };
      }
      const user = await deps.users.findById(r.userId);
      if (!user || user.email !== r.email) {
        await deps.events.record({ type: 'email.verify', outcome: 'failure', subject: r.userId, ip, details: { reason: 'email_changed' } });
        return { ok: false, reason: 'email-changed' };
      }
      if (!user.emailVerified) await deps.users.update(user.id, { emailVerified: true });
      await deps.events.record({ type: 'email.verify', outcome: 'success', subject: user.id, ip });
      return { ok: true, userId: user.id };
    },
  };
}
