// Self-registration (SELF_REGISTRATION, off by default): check the form,
// create the account unverified and mail the verification link. An address
// that already has an account gets the same answer (no enumeration) and a
// different mail: "someone tried to register with your address". Both paths
// hash the password and send one mail, so they also take about as long.
import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import { DuplicateEmailError, normaliseEmail, type User, type UserStore } from '../users/user-store.js';
import { hashPassword } from '../users/password.js';
import type { PasswordPolicy, PasswordProblem } from '../users/password-policy.js';
import type { SecurityEvents } from '../security/security-events.js';
import type { ThrottleStore } from '../security/throttle-store.js';
import type { Messages } from '../mail/messages.js';
import type { EmailVerification } from './email-verification.js';
import { countRequest, SELF_SERVICE_LIMITS } from './self-service-limits.js';

export interface RegistrationRequest {
  email: string;
  name: string;
  password: string;
  lang: string;
  ip: string;
  /** The interaction it started from (the link continues it: email-verification.ts). */
  uid: string;
}

export type Problems = { email?: 'invalid' | 'domain'; password?: PasswordProblem; name?: 'too-long' };

export type RegistrationResult =
  | { kind: 'invalid'; problems: Problems }
  | { kind: 'limited'; retryAfter: number }
  /** userId: the new account, or a random id (the address had an account): the cookie looks the same. */
  | { kind: 'sent' | 'mail-failed'; userId: string; email: string };

const emailShape = z.email().max(320);

export type Registration = ReturnType<typeof createRegistration>;

export function createRegistration(deps: {
  enabled: boolean; domains: string[]; users: UserStore; password: PasswordPolicy; throttle: ThrottleStore;
  events: SecurityEvents; messages: Messages; verification: EmailVerification;
  log?: { warn(msg: string, data?: Record<string, unknown>): void };
}) {
  const mailFailed = (err: unknown) => deps.log?.warn('registration email could not be sent', { err: (err as Error).message });
  const allowed = (email: string) => !deps.domains.length || deps.domains.includes(email.slice(email.lastIndexOf('@') + 1));

  function check(req: RegistrationRequest): Problems {
    const email = normaliseEmail(req.email);
    const problems: Problems = {};
    if (!emailShape.safeParse(email).success) problems.email = 'invalid';
    else if (!allowed(email)) problems.email = 'domain';
    const pw = deps.password.check(req.password, { email });
    if (pw) problems.password = pw;
    if ([...req.name].length > 200) problems.name = 'too-long';
    return problems;
  }

  async function existing(user: User, req: RegistrationRequest): Promise<RegistrationResult> {
    await hashPassword(req.password); // the same work as a new account (timing)
    await deps.events.record({ type: 'registration.create', outcome: 'denied', subject: user.id, ip: req.ip, details: { reason: 'email_taken' } });
    const decoy = { userId: randomUUID(), email: user.email };
    try {
      await deps.messages.send('registration-exists', user.email, req.lang, { resetUrl: null });
    } catch (err) {
      mailFailed(err);
      return { kind: 'mail-failed', ...decoy };
    }
    return { kind: 'sent', ...decoy };
  }

  return {
    enabled: deps.enabled,
    domains: deps.domains,
    minLength: deps.password.minLength,
    check,
    async register(req: RegistrationRequest): Promise<RegistrationResult> {
      const problems = check(req);
      if (Object.keys(problems).length) return { kind: 'invalid', problems };
      const ip = await countRequest(deps.throttle, `register:ip:${req.ip}`, SELF_SERVICE_LIMITS.registerIp);
      if (!ip.ok) return { kind: 'limited', retryAfter: ip.retryAfter };
      const email = normaliseEmail(req.email);
      const found = await deps.users.findByEmail(email);
      if (found) return existing(found, req);
      let user: User;
      try {
        user = await deps.users.create({ email, password: req.password, name: req.name.trim() || undefined, emailVerified: false });
      } catch (err) {
        const raced = err instanceof DuplicateEmailError ? await deps.users.findByEmail(email) : null;
        if (raced) return existing(raced, req);
        throw err;
      }
      await deps.events.record({ type: 'registration.create', outcome: 'success', subject: user.id, ip: req.ip });
      // Counts against the address's verification mails too (resend shares the limit).
      await countRequest(deps.throttle, `verify:addr:${email}`, SELF_SERVICE_LIMITS.verifyAddress);
      try {
        await deps.verification.send(user, { lang: req.lang, ip: req.ip, continueUid: req.uid });
      } catch (err) {
        mailFailed(err);
        return { kind: 'mail-failed', userId: user.id, email };
      }
      return { kind: 'sent', userId: user.id, email };
    },
  };
}
