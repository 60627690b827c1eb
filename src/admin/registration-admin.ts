// Initial access tokens for dynamic client registration (RFC 7591 §3), minted
// by an admin. Refused while DYNAMIC_REGISTRATION is off, so nobody holds a
// token that would silently start working when the feature is switched on.
import type Provider from 'oidc-provider';
import { z } from 'zod';
import { mintInitialAccessToken } from '../oidc/registration.js';
import { conflict } from '../errors/domain-error.js';
import type { AdminActor, AdminAudit } from '../security/admin-audit.js';

export const registrationTokenSchema = z
  .object({
    expires_in: z.number().int().min(60).max(30 * 24 * 3600).default(24 * 3600),
    reusable: z.boolean().default(false),
  })
  .strict();

export type RegistrationAdmin = ReturnType<typeof createRegistrationAdmin>;

// Audited without the token (it is a bearer credential): who minted one, how long it lasts.
export function createRegistrationAdmin(deps: { enabled: boolean; issuer: string; provider: () => Promise<Provider>; audit: AdminAudit }) {
  return {
    async mint(input: z.output<typeof registrationTokenSchema>, actor: AdminActor) {
      if (!deps.enabled) throw conflict('dynamic client registration is disabled (set DYNAMIC_REGISTRATION=true)');
      const { token, expiresAt } = await mintInitialAccessToken(await deps.provider(), { expiresIn: input.expires_in, reusable: input.reusable });
      await deps.audit(actor, 'registration_token.mint', null, { expires_at: expiresAt.toISOString(), reusable: input.reusable });
      return {
        initial_access_token: token, expires_at: expiresAt.toISOString(), reusable: input.reusable,
        registration_endpoint: `${deps.issuer}/reg`,
      };
    },
  };
}
