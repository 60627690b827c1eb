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
// The hook runs after the library's scope check on the authorization and
// pushed authorization request endpoints, before the grant is loaded or the
// interaction is saved, so the restored scope carries through sign-in
// (afterScopeCheck and requestedScope in provider-seam.ts).
import type { Configuration, KoaContextWithOIDC } from 'oidc-provider';
import type { ClientStore } from '../clients/client-store.js';
import { afterScopeCheck, requestedScope } from './provider-seam.js';
import { spaceList } from './space-list.js';

const OFFLINE = 'offline_access';
const ROUTES = new Set(['authorization', 'pushed_authorization_request']);

type ProviderClient = NonNullable<KoaContextWithOIDC['oidc']['client']>;


function mayHaveOffline(ctx: KoaContextWithOIDC, client: ProviderClient): boolean {
  return ROUTES.has(ctx.oidc.route)
    && spaceList(ctx.oidc.params?.response_type).includes('code')
    && client.grantTypeAllowed('refresh_token')
    && (!client.scope || spaceList(client.scope).includes(OFFLINE));
}

// The PAR endpoint stores the pushed request after this same hook ran there,
// so the scope restored at /request survives to /auth. (Request objects, RFC
// 9101, are not enabled.)
export function firstPartyOfflineAccess(clients: ClientStore): Pick<Configuration, 'extraParams'> {
  return afterScopeCheck(async (ctx, scopes, client) => {
    if (scopes.includes(OFFLINE) || !mayHaveOffline(ctx, client)) return undefined;
    if (!requestedScope(ctx).includes(OFFLINE)) return undefined;
    if (!(await clients.get(client.clientId))?.firstParty) return undefined;
    return [...scopes, OFFLINE];
  });
}
