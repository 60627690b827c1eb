// oidc-provider does not introspect its own JWT access tokens ("structured
// tokens"). RFC 7662 does not limit introspection to opaque tokens, and RFC
// 8693 exchanged tokens must be introspectable (with `act`) and die with the
// user's grant, so Gatehouse answers for them: signature and expiry checked
// with its own keys, and the grant named by `gid` must still exist. Who may
// see the answer is the same rule as for opaque tokens (token-policies.ts).
import type Provider from 'oidc-provider';
import type { JWTPayload } from 'jose';
import type { Caller, TokenFacts } from './token-policies.js';

const UNSUPPORTED = 'unsupported_token_type';

export type IntrospectionPolicy = (caller: Caller, token: TokenFacts) => Promise<boolean>;

export function useJwtIntrospection(provider: Provider, verify: (jwt: string) => Promise<JWTPayload | null>, allowed: IntrospectionPolicy): void {
  provider.use(async (ctx, next) => {
    await next();
    const body = ctx.body as { error?: string } | undefined;
    if (ctx.path !== '/token/introspection' || ctx.status !== 400 || body?.error !== UNSUPPORTED || !ctx.oidc?.client) return;
    const token = String(ctx.oidc.params?.token ?? '');
    const claims = await verify(token);
    const grantId = claims?.gid as string | undefined;
    const caller = ctx.oidc.client;
    const visible = claims
      && (await allowed(caller, { kind: 'AccessToken', clientId: claims.client_id as string | undefined, aud: claims.aud }));
    const live = visible && (!grantId || (await provider.Grant.find(grantId)));
    ctx.status = 200;
    ctx.body = live
      ? { active: true, token_type: 'Bearer', ...claims }
      : { active: false };
  });
}
