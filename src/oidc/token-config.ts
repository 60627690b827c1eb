// Token-related oidc-provider configuration: lifetimes, rotation, resource
// indicators (RFC 8707) with JWT access tokens (RFC 9068), client credentials.
import { errors, type Configuration } from 'oidc-provider';
import type { Config } from '../config.js';
import type { ResourceServer, ResourceStore } from '../resources/resource-store.js';
import { actOf } from './provider-seam.js';
import {
  CLIENT_ABSOLUTE_TTL, CLIENT_IDLE_TTL, refreshTokenTtl, type RefreshPolicy,
} from './refresh-policy.js';

const now = () => Math.floor(Date.now() / 1000);

/** Whether the client may request tokens for the resource (see src/admin/admin-policy.ts). */
export type ResourceGate = (indicator: string, clientId: string) => Promise<boolean>;

/** RFC 9068 JWT access tokens for a resource server, signed RS256. */
export function resourceServerInfo(config: Config, rs: ResourceServer) {
  return {
    scope: rs.scopes.join(' '),
    audience: rs.indicator,
    accessTokenTTL: rs.accessTokenTtl ?? config.ACCESS_TOKEN_TTL,
    accessTokenFormat: 'jwt' as const,
    jwt: { sign: { alg: 'RS256' } },
  };
}

// Extra claims on user access tokens: `gid` (the grant, so a JWT presented
// later as an RFC 8693 subject token can be checked for revocation) and the
// `act` chain of exchanged tokens (RFC 8693 §4.1).
function extraTokenClaims(_ctx: unknown, token: { kind?: string; grantId?: string }) {
  if (token.kind !== 'AccessToken') return undefined;
  const act = actOf(token);
  return { ...(token.grantId ? { gid: token.grantId } : {}), ...(act ? { act } : {}) };
}

export function tokenConfiguration(config: Config, policy: RefreshPolicy, resources: ResourceStore, gate?: ResourceGate): Configuration {
  return {
    // Every refresh rotates (RFC 9700 §4.14.2); see refresh-policy.ts.
    rotateRefreshToken: true,
    extraTokenClaims: extraTokenClaims as never,
    ttl: {
      AccessToken: (_ctx, token) => token.resourceServer?.accessTokenTTL ?? config.ACCESS_TOKEN_TTL,
      ClientCredentials: (_ctx, token) => token.resourceServer?.accessTokenTTL ?? config.ACCESS_TOKEN_TTL,
      AuthorizationCode: config.AUTHORIZATION_CODE_TTL,
      IdToken: config.ID_TOKEN_TTL,
      RefreshToken: (_ctx, token, client) => refreshTokenTtl(policy, client.metadata(), token.iiat ?? now(), now()),
      // Grants are also created outside a request (the consent step), so they
      // get the server-wide maximum; per-client lifetimes may only shorten it.
      Grant: policy.absoluteTtl,
      Session: config.SESSION_TTL,
      Interaction: config.INTERACTION_TTL,
    },
    extraClientMetadata: {
      properties: [CLIENT_IDLE_TTL, CLIENT_ABSOLUTE_TTL],
      validator(_ctx, key, value) {
        if (value === undefined) return;
        if (!Number.isInteger(value) || (value as number) <= 0) {
          throw new errors.InvalidClientMetadata(`${key} must be a positive integer (seconds)`);
        }
        if (key === CLIENT_ABSOLUTE_TTL && (value as number) > policy.absoluteTtl) {
          throw new errors.InvalidClientMetadata(`${key} may not exceed the server maximum of ${policy.absoluteTtl}s`);
        }
      },
    },
    features: {
      clientCredentials: { enabled: true },
      resourceIndicators: {
        enabled: true,
        defaultResource: () => undefined as unknown as string,
        useGrantedResource: () => true,
        async getResourceServerInfo(_ctx, indicator, client) {
          const rs = await resources.find(indicator);
          if (!rs) throw new errors.InvalidTarget('unknown resource indicator');
          // RFC 8707 §2: invalid_target also covers a client not allowed the resource.
          if (gate && !(await gate(indicator, client.clientId))) {
            throw new errors.InvalidTarget('this client may not request tokens for this resource');
          }
          return resourceServerInfo(config, rs) as never;
        },
      },
    },
  };
}
