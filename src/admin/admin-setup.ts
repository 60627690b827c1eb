// What the admin surface needs to exist before serving: the admin API as a
// resource server (RFC 8707) with the `admin` scope, and the console's own
// first-party client. Idempotent; run at every start (ISSUER may change).
import type { ResourceStore } from '../resources/resource-store.js';
import type { ClientStore } from '../clients/client-store.js';
import { deriveKey } from '../crypto/secret-box.js';
import { ADMIN_SCOPE, ADMIN_TOKEN_TTL, adminApiIndicator } from '../access/admin-access.js';

export const CONSOLE_CLIENT_ID = 'gatehouse-admin-console';
/** Clients Gatehouse manages itself: the admin surface refuses to edit them. */
export const SYSTEM_CLIENT_IDS = [CONSOLE_CLIENT_ID];

export function consoleUrls(issuer: string) {
  return { callback: `${issuer}/admin/callback`, signedOut: `${issuer}/admin/signed-out` };
}

/** The console's client secret: derived, so it is never stored in plaintext or printed. */
export const consoleClientSecret = (masterSecret: string) => deriveKey(masterSecret, 'admin-console-client');

export async function ensureAdminSetup(deps: { resources: ResourceStore; clients: ClientStore; issuer: string; consoleClientSecret: string }) {
  const { issuer } = deps;
  await deps.resources.ensure({
    indicator: adminApiIndicator(issuer), name: 'Gatehouse admin API', scopes: [ADMIN_SCOPE], accessTokenTtl: ADMIN_TOKEN_TTL,
  });
  const urls = consoleUrls(issuer);
  await deps.clients.ensureSystem(CONSOLE_CLIENT_ID, {
    name: 'Gatehouse admin console', redirectUris: [urls.callback], postLogoutRedirectUris: [urls.signedOut],
    grantTypes: ['authorization_code'], scope: 'openid', firstParty: true,
  }, deps.consoleClientSecret);
}
