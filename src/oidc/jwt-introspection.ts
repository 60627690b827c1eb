// oidc-provider does not introspect its own JWT access tokens ("structured
// tokens"). RFC 7662 does not limit introspection to opaque tokens, and RFC
// 8693 exchanged tokens must be introspectable (with `act`) and die with the
// user's grant, so Gatehouse answers for them: signature and expiry checked
// with its own keys, and the grant named by `gid` must still exist. Who may
// see the answer is the same rule as for opaque tokens (token-policies.ts).
// The provider's refusal is recognised and replaced through provider-seam.ts.
import type Provider from 'oidc-provider';
import { createLocalJWKSet, jwtVerify, type JWTPayload } from 'jose';
import { publicJwks, type PrivateJwk } from '../keys/key-store.js';
import { afterProvider, isUnsupportedIntrospection, replaceResponse, tokenParameter } from './provider-seam.js';
import { mayIntrospect, type Caller, type ServedApis, type TokenFacts } from './token-policies.js';

export type IntrospectionPolicy = (caller: Caller, token: TokenFacts) => Promise<boolean>;

export function useJwtIntrospection(provider: Provider, verify: (jwt: string) => Promise<JWTPayload | null>, allowed: IntrospectionPolicy): void {
  afterProvider(provider, async (ctx) => {
    if (!isUnsupportedIntrospection(ctx)) return;
    const claims = await verify(tokenParameter(ctx));
    const grantId = claims?.gid as string | undefined;
    const caller = ctx.oidc.client!;
    const visible = claims
      && (await allowed(caller, { kind: 'AccessToken', clientId: claims.client_id as string | undefined, aud: claims.aud }));
    const live = visible && (!grantId || (await provider.Grant.find(grantId)));
    replaceResponse(ctx, 200, live ? { active: true, token_type: 'Bearer', ...claims } : { active: false });
  });
}

/** Installs JWT introspection with Gatehouse's signing keys and introspection policy. */
export function installJwtIntrospection(provider: Provider, deps: { issuer: string; jwks: PrivateJwk[]; served: ServedApis }): void {
  const keys = createLocalJWKSet({ keys: publicJwks(deps.jwks) });
  const verify = async (jwt: string) =>
    jwtVerify(jwt, keys, { issuer: deps.issuer, typ: 'at+jwt' }).then((r) => r.payload, () => null);
  useJwtIntrospection(provider, verify, (caller, token) => mayIntrospect(deps.served, caller, token));
}
