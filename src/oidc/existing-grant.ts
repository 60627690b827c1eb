// loadExistingGrant: reuse the session's grant for the client, or build one
// from remembered consent / first-party trust so the consent screen is skipped
// (and prompt=none succeeds) when the user already agreed to these scopes.
import type { KoaContextWithOIDC } from 'oidc-provider';
import type { ConsentStore } from '../consent/consent-store.js';
import type { ClientStore } from '../clients/client-store.js';
import { spaceList } from './space-list.js';

export function buildLoadExistingGrant(consents: ConsentStore, clients: ClientStore) {
  return async (ctx: KoaContextWithOIDC) => {
    const { oidc } = ctx;
    const clientId = oidc.client!.clientId;
    const grantId = (oidc.result?.consent as { grantId?: string } | undefined)?.grantId ?? oidc.session!.grantIdFor(clientId);
    const requested = spaceList(oidc.params?.scope);
    if (grantId) {
      const existing = await oidc.provider.Grant.find(grantId);
      // First-party trust covers scopes added later too (offline_access
      // after a plain sign-in, see offline-access.ts): no consent screen.
      const more = existing && !oidc.params?.resource ? requested.filter((s) => !existing.getOIDCScope().split(' ').includes(s)) : [];
      if (existing && more.length && (await clients.get(clientId))?.firstParty) {
        existing.addOIDCScope(more.join(' '));
        await existing.save();
      }
      return existing;
    }

    const accountId = oidc.session!.accountId;
    if (!accountId) return undefined;
    const firstParty = (await clients.get(clientId))?.firstParty ?? false;
    const approved = firstParty ? new Set(requested) : await consents.scopes(accountId, clientId);
    if (!requested.every((s) => approved.has(s))) return undefined;
    // Resource-indicator requests go through the consent screen (RFC 8707).
    if (oidc.params?.resource) return undefined;

    const grant = new oidc.provider.Grant({ accountId, clientId });
    grant.addOIDCScope(requested.join(' '));
    await grant.save();
    oidc.session!.grantIdFor(clientId, grant.jti);
    return grant;
  };
}
