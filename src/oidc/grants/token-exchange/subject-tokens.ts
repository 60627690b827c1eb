// Resolves RFC 8693 subject and actor tokens (§2.1) to what the exchange
// needs: who, which scopes, until when, under which grant (for revocation).
// Only tokens Gatehouse issued and still considers live are accepted; any
// other token is invalid_grant (§2.2.2).
import { jwtVerify, type createLocalJWKSet, type JWTPayload } from 'jose';
import type Provider from 'oidc-provider';
import { errors } from 'oidc-provider';
import type { ExchangePolicy } from '../../../exchange/exchange-policy-store.js';
import type { Act } from './policy.js';
import { TOKEN_TYPES } from './urns.js';
import { spaceList } from '../../space-list.js';

export interface ResolvedToken {
  sub: string | undefined;
  clientId: string | undefined;
  scopes: string[];
  exp: number | undefined;
  grantId: string | undefined;
  aud: string[];
  act: Act | undefined;
  mayAct: { sub?: string } | undefined;
}

const invalid = (what: string) => new errors.InvalidGrant(`${what} is invalid, expired or revoked`);
// A sender-constrained token (DPoP RFC 9449, mTLS RFC 8705) is only usable
// with its key or certificate; exchanging it would shed that binding.
const bound = (what: string) => new errors.InvalidGrant(`${what} is sender-constrained and cannot be exchanged`);

export type TokenResolver = ReturnType<typeof createTokenResolver>;

export function createTokenResolver(provider: Provider, issuer: string, keys: ReturnType<typeof createLocalJWKSet>) {

  async function verifyJwt(value: string, what: string, audience?: string): Promise<JWTPayload> {
    try {
      return (await jwtVerify(value, keys, { issuer, ...(audience ? { audience } : {}) })).payload;
    } catch {
      throw invalid(what);
    }
  }

  async function liveGrant(grantId: string | undefined, what: string): Promise<void> {
    if (grantId && !(await provider.Grant.find(grantId))) throw invalid(what);
  }

  const fromClaims = (c: JWTPayload, grantId?: string): ResolvedToken => ({
    sub: c.sub, clientId: c.client_id as string | undefined, scopes: spaceList(c.scope), exp: c.exp, grantId,
    aud: Array.isArray(c.aud) ? c.aud : c.aud ? [c.aud] : [],
    act: c.act as Act | undefined, mayAct: c.may_act as { sub?: string } | undefined,
  });

  async function accessToken(value: string, what: string): Promise<ResolvedToken> {
    if (value.split('.').length === 3) {
      const c = await verifyJwt(value, what);
      if (c.cnf) throw bound(what);
      await liveGrant(c.gid as string | undefined, what);
      return fromClaims(c, c.gid as string | undefined);
    }
    const at = await provider.AccessToken.find(value);
    if (at && !at.isExpired) {
      if (at.jkt || at['x5t#S256']) throw bound(what);
      await liveGrant(at.grantId, what);
      const extra = (at.extra ?? {}) as Record<string, unknown>;
      return { sub: at.accountId, clientId: at.clientId, scopes: spaceList(at.scope), exp: at.exp, grantId: at.grantId, aud: [], act: extra.act as Act | undefined, mayAct: extra.may_act as { sub?: string } | undefined };
    }
    const cc = await provider.ClientCredentials.find(value);
    if (cc && (cc.jkt || cc['x5t#S256'])) throw bound(what);
    if (cc && !cc.isExpired) return { sub: cc.clientId, clientId: cc.clientId, scopes: spaceList(cc.scope), exp: cc.exp, grantId: undefined, aud: [], act: undefined, mayAct: undefined };
    throw invalid(what);
  }

  return {
    async resolve(value: string, type: string, what: string, policy: ExchangePolicy, clientId: string): Promise<ResolvedToken> {
      if (type === TOKEN_TYPES.access || type === TOKEN_TYPES.jwt) return accessToken(value, what);
      if (type === TOKEN_TYPES.refresh) {
        if (!policy.allowRefreshTokenSubject) throw new errors.InvalidRequest(`${what}_type refresh_token is not allowed for this client`);
        const rt = await provider.RefreshToken.find(value);
        if (!rt || rt.isExpired || rt.consumed || rt.clientId !== clientId) throw invalid(what);
        if (rt.jkt || rt['x5t#S256']) throw bound(what);
        await liveGrant(rt.grantId, what);
        return { sub: rt.accountId, clientId: rt.clientId, scopes: spaceList(rt.scope), exp: rt.exp, grantId: rt.grantId, aud: [], act: undefined, mayAct: undefined };
      }
      if (type === TOKEN_TYPES.id) {
        if (!policy.allowIdTokenSubject) throw new errors.InvalidRequest(`${what}_type id_token is not allowed for this client`);
        // An ID token is only for its own audience: this client.
        return { ...fromClaims(await verifyJwt(value, what, clientId)), clientId };
      }
      throw new errors.InvalidRequest(`unsupported ${what}_type`);
    },
  };
}
