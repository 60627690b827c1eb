// Dynamic client registration (RFC 7591) and management (RFC 7592), off unless
// DYNAMIC_REGISTRATION is set. Registering needs an initial access token
// (RFC 7591 §3) minted by an admin; clients land in the clients table through
// the Client adapter (adapter.ts), secrets sealed like any other client's.
import type Provider from 'oidc-provider';
import type { Configuration, KoaContextWithOIDC } from 'oidc-provider';

/** Registration policy: the initial access token works for one registration. */
export const SINGLE_USE = 'single-use';

export function registrationFeatures(enabled: boolean): Pick<NonNullable<Configuration['features']>, 'registration' | 'registrationManagement'> {
  return {
    registration: {
      enabled,
      initialAccessToken: true,
      issueRegistrationAccessToken: true,
      policies: {
        // RFC 7591 §3: the token may be limited to one use; consumed before the
        // client is stored, so a failed registration needs a new token too.
        // (The registration access token inherits the policy: a no-op there.)
        async [SINGLE_USE](ctx: KoaContextWithOIDC) {
          await ctx.oidc.entities.InitialAccessToken?.destroy();
        },
      },
    },
    // RFC 7592: read, update and delete with the registration access token,
    // which is rotated on every update.
    registrationManagement: { enabled, rotateRegistrationAccessToken: true },
  };
}

export interface InitialAccessTokenOptions {
  /** Lifetime in seconds. */
  expiresIn: number;
  /** Allow more than one registration with the token until it expires. */
  reusable?: boolean | undefined;
}

/** Mints an initial access token; returns its value (shown once) and expiry. */
export async function mintInitialAccessToken(provider: Provider, o: InitialAccessTokenOptions) {
  const iat = new provider.InitialAccessToken({ expiresIn: o.expiresIn, ...(o.reusable ? {} : { policies: [SINGLE_USE] }) });
  const token = await iat.save();
  return { token, expiresAt: new Date(Date.now() + o.expiresIn * 1000) };
}
