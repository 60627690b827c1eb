// Email verification for the admin surface (REST API, CLI): send a user a
// new verification link (self-service/email-verification.ts). Audited here
// with the actor and the user id (src/security/admin-audit.ts); the link
// itself is never returned nor recorded.
import type { UserStore } from '../users/user-store.js';
import type { EmailVerification } from '../self-service/email-verification.js';
import { conflict, DomainError, notFound } from '../errors/domain-error.js';
import type { AdminActor, AdminAudit } from '../security/admin-audit.js';

export type EmailAdmin = ReturnType<typeof createEmailAdmin>;

export function createEmailAdmin(deps: { users: UserStore; verification: EmailVerification; audit: AdminAudit }) {
  return {
    async sendVerification(userId: string, actor: AdminActor) {
      const user = await deps.users.findById(userId);
      if (!user) throw notFound('user');
      if (user.emailVerified) throw conflict('the email address is already verified');
      try {
        await deps.verification.send(user, { lang: 'en', ip: actor.ip });
      } catch {
        throw new DomainError(503, 'temporarily_unavailable', 'the email could not be sent now (SMTP unreachable); try again later');
      }
      await deps.audit(actor, 'user.send_verification', user.id);
      return { sent: true, email: user.email };
    },
  };
}
