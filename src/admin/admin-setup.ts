// What the admin surface needs to exist before serving: the admin API as a
// resource server (RFC 8707) with the `admin` scope, and the console's own
// first-party client (self-client/system-clients.ts). Idempotent; run at every
// start (ISSUER may change).
import type { ResourceStore } from '../resources/resource-store.js';
import type { ClientStore } from '../clients/client-store.js';
import { ADMIN_SCOPE, ADMIN_TOKEN_TTL, adminApiIndicator } from '../access/admin-access.js';
import { CONSOLE_CLIENT_ID, ensureSystemClient, systemClientSecret } from '../self-client/system-clients.js';

export { CONSOLE_CLIENT_ID, SYSTEM_CLIENT_IDS } from '../self-client/system-clients.js';

export function consoleUrls(issuer: string) {
  return { callback: `${issuer}/admin/callback`, signedOut: `${issuer}/admin/signed-out` };
}

/** The console's client secret: derived, so it is never stored in plaintext or printed. */
export const consoleClientSecret = (masterSecret: string) => systemClientSecret(masterSecret, 'admin-console-client');

export async function ensureAdminSetup(deps: { resources: ResourceStore; clients: ClientStore; issuer: string; consoleClientSecret: string }) {
  const { issuer } = deps;
  await deps.resources.ensure({
    indicator: adminApiIndicator(issuer), name: 'Gatehouse admin API', scopes: [ADMIN_SCOPE], accessTokenTtl: ADMIN_TOKEN_TTL,
  });
  await ensureSystemClient(deps.clients, {
    clientId: CONSOLE_CLIENT_ID, name: 'Gatehouse admin console', ...consoleUrls(issuer), secret: deps.consoleClientSecret,
  });
}
