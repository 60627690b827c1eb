// Who may introspect and who may revoke which token. A named policy, used by
// oidc-provider for opaque tokens (features.*.allowedPolicy) and by
// jwt-introspection.ts for JWT access tokens, so both answer alike.
//
// Introspection (RFC 7662 §4: the server must check that the caller may see
// the token, and answer {"active": false} otherwise, revealing nothing):
// - a client may introspect tokens issued to itself;
// - a confidential client may introspect *access* tokens whose audience is an
//   API it serves. "Serves" is the exchange policy's subject_audiences
//   (src/exchange/exchange-policy-store.ts): the same statement that lets the
//   client accept those tokens as RFC 8693 subject tokens. A public client
//   proves no identity, so it never gets the second rule.
// - refresh tokens are never shown to anyone but their client: they are not
//   meant for resource servers at all.
// Revocation (RFC 7009 §2.1): only the client the token was issued to. Any
// other caller gets the same empty 200 as for an unknown token (§2.2), so a
// client cannot probe whether someone else's token exists.
import type { ExchangePolicyStore } from '../exchange/exchange-policy-store.js';

/** The resource indicators of the APIs a client serves. */
export type ServedApis = (clientId: string) => Promise<string[]>;

export interface Caller { clientId: string; clientAuthMethod?: string | undefined }
export interface TokenFacts { kind?: string | undefined; clientId?: string | undefined; aud?: unknown }

const ACCESS_TOKENS = new Set(['AccessToken', 'ClientCredentials']);

const audiences = (aud: unknown): string[] =>
  (typeof aud === 'string' ? [aud] : Array.isArray(aud) ? aud : []).filter((a): a is string => typeof a === 'string');

export const servedApis = (policies: ExchangePolicyStore): ServedApis =>
  async (clientId) => (await policies.get(clientId))?.subjectAudiences ?? [];

export async function mayIntrospect(served: ServedApis, caller: Caller, token: TokenFacts): Promise<boolean> {
  if (token.clientId !== undefined && token.clientId === caller.clientId) return true;
  if (!ACCESS_TOKENS.has(token.kind ?? '') || caller.clientAuthMethod === 'none') return false;
  const aud = audiences(token.aud);
  if (!aud.length) return false;
  const apis = await served(caller.clientId);
  return aud.some((a) => apis.includes(a));
}

export const mayRevoke = (caller: Caller, token: TokenFacts): boolean =>
  token.clientId !== undefined && token.clientId === caller.clientId;

/** oidc-provider 9's `features.introspection.allowedPolicy` and `features.revocation.allowedPolicy`. */
export function tokenPolicyFeatures(served: ServedApis) {
  return {
    introspection: {
      enabled: true,
      allowedPolicy: (_ctx: unknown, client: Caller, token: TokenFacts) => mayIntrospect(served, client, token),
    },
    revocation: {
      enabled: true,
      allowedPolicy: async (_ctx: unknown, client: Caller, token: TokenFacts) => mayRevoke(client, token),
    },
  };
}
