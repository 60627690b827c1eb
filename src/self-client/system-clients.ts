// Gatehouse's own first-party clients: the admin console (src/admin/console/)
// and the account pages (src/account/). They are created at every start
// (ISSUER may change) with a client secret derived from the master secret, so
// it is never stored in plaintext or printed; the admin surface refuses to
// edit or delete them.
import type { ClientStore } from '../clients/client-store.js';
import { deriveKey } from '../crypto/secret-box.js';

export const CONSOLE_CLIENT_ID = 'gatehouse-admin-console';
export const ACCOUNT_CLIENT_ID = 'gatehouse-account';
/** Clients Gatehouse manages itself: the admin surface refuses to edit them. */
export const SYSTEM_CLIENT_IDS = [CONSOLE_CLIENT_ID, ACCOUNT_CLIENT_ID];

/** A system client's secret, one derivation purpose per client. */
export const systemClientSecret = (masterSecret: string, purpose: string) => deriveKey(masterSecret, purpose);

export interface SystemClient {
  clientId: string;
  name: string;
  callback: string;
  signedOut: string;
  secret: string;
}

/** Idempotent: creates or updates the client (code flow only, `openid` only, first party). */
export async function ensureSystemClient(clients: ClientStore, c: SystemClient): Promise<void> {
  await clients.ensureSystem(c.clientId, {
    name: c.name, redirectUris: [c.callback], postLogoutRedirectUris: [c.signedOut],
    grantTypes: ['authorization_code'], scope: 'openid', firstParty: true,
  }, c.secret);
}
