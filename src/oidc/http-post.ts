// HTTP POST at the authorization endpoint (OpenID Connect Core 1.0 §3.1.2.1)
// and the end-session endpoint (RP-Initiated Logout 1.0 §2): both MUST accept
// form-serialized POST as well as GET.
//
// oidc-provider 9 routes POST there only with `enableHttpPostMethods`, and
// only when its session cookie (cookies.long) is SameSite=None: a relying
// party's form POST is a cross-site, non-safe request, and a Lax cookie is not
// sent with it, so the provider would not see the signed-in session (no SSO,
// prompt=none fails, a new session replaces the old one).
//
// Browsers drop SameSite=None cookies that are not Secure, and oidc-provider
// marks cookies Secure only on secure requests (HTTPS, or TLS ended at a
// trusted proxy: TRUST_PROXY). On a plain-HTTP request (local development) the
// session cookie is therefore set SameSite=Lax instead, so same-site sign-in
// and SSO keep working; cross-site POST needs HTTPS. docs/security.md.
import type Provider from 'oidc-provider';
import type { Configuration } from 'oidc-provider';
import { afterProvider, downgradeSameSiteNone } from './provider-seam.js';

export const httpPostMethods: Pick<Configuration, 'enableHttpPostMethods'> = { enableHttpPostMethods: true };

/** Only the session cookie is SameSite=None; interaction cookies stay Lax. */
export const sessionCookies = (keys: string[]): NonNullable<Configuration['cookies']> => ({
  keys,
  long: { httpOnly: true, sameSite: 'none' },
  short: { httpOnly: true, sameSite: 'lax' },
});

export function useLaxCookiesOverHttp(provider: Provider): void {
  afterProvider(provider, (ctx) => {
    if (!ctx.secure) downgradeSameSiteNone(ctx);
  });
}
