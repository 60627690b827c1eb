// Who gets refresh tokens for `offline_access` (OpenID Connect Core §11).
//
// Core §11: offline_access is honoured only for a response that returns a
// code, and the request MUST carry prompt=consent "unless other conditions for
// processing the request permitting offline access to the requested resources
// are in place". oidc-provider (9.13) implements only the first half: its
// scope check drops offline_access from every authorization request without
// prompt=consent (test/integration/oidc/offline-access.test.ts pins both rules),
// before anything configurable runs, so no grant, code or refresh token ever
// sees it.
//
// Gatehouse's "other condition" is first-party trust, the same trust that
// skips the consent screen (existing-grant.ts): for a first-party client the
// scope is put back when the request asked for it, the client may use the
// refresh_token grant, the response type includes `code`, and the client's
// registered scope (if any) lists offline_access. Third-party clients keep the
// library's rule: offline_access needs prompt=consent and the user's approval
// on the consent screen. Rules in docs/refresh-tokens.md.
//
// The hook is a validator for the `scope` parameter (oidc-provider
// `extraParams`), which runs after the scope check on the authorization and
// pushed authorization request endpoints, before the grant is loaded or the
// interaction is saved, so the restored scope carries through sign-in.
import { decodeJwt } from 'jose';
import type { Configuration, KoaContextWithOIDC } from 'oidc-provider';
import type { ClientStore } from '../clients/client-store.js';

const OFFLINE = 'offline_access';
const ROUTES = new Set(['authorization', 'pushed_authorization_request']);

type ProviderClient = NonNullable<KoaContextWithOIDC['oidc']['client']>;

const words = (v: unknown) => (typeof v === 'string' ? v.split(' ').filter(Boolean) : []);

function scopeOfRequestObject(jwt: unknown): unknown {
  if (typeof jwt !== 'string') return undefined;
  try {
    return decodeJwt(jwt).scope;
  } catch {
    return undefined; // not a JWT: oidc-provider has already refused it
  }
}

/**
 * The scope as the client sent it, before oidc-provider's scope check: the
 * query or form body, or the pushed request (RFC 9126) that request_uri names,
 * stored by oidc-provider as an unsigned request object after this same hook
 * ran at the PAR endpoint. (Request objects, RFC 9101, are not enabled.)
 */
function requestedScope(ctx: KoaContextWithOIDC): string[] {
  const pushed = ctx.oidc.entities.PushedAuthorizationRequest as { request?: string } | undefined;
  if (pushed?.request) return words(scopeOfRequestObject(pushed.request));
  const raw = (ctx.method === 'POST' ? ctx.oidc.body : ctx.query) as Record<string, unknown> | undefined;
  return words(raw?.scope);
}

function mayHaveOffline(ctx: KoaContextWithOIDC, client: ProviderClient): boolean {
  return ROUTES.has(ctx.oidc.route)
    && words(ctx.oidc.params?.response_type).includes('code')
    && client.grantTypeAllowed('refresh_token')
    && (!client.scope || words(client.scope).includes(OFFLINE));
}

export function firstPartyOfflineAccess(clients: ClientStore): Pick<Configuration, 'extraParams'> {
  return {
    extraParams: {
      async scope(ctx: KoaContextWithOIDC, value: string | undefined, client: ProviderClient) {
        const scopes = words(value);
        if (scopes.includes(OFFLINE) || !mayHaveOffline(ctx, client)) return;
        if (!requestedScope(ctx).includes(OFFLINE)) return;
        if (!(await clients.get(client.clientId))?.firstParty) return;
        ctx.oidc.params!.scope = [...scopes, OFFLINE].join(' ');
      },
    },
  };
}
