// The account pages' own first-party client (self-client/system-clients.ts):
// created at every start, code flow + PKCE, `openid` only.
import type { ClientStore } from '../clients/client-store.js';
import { ACCOUNT_CLIENT_ID, ensureSystemClient, systemClientSecret } from '../self-client/system-clients.js';

export { ACCOUNT_CLIENT_ID };

export function accountUrls(issuer: string) {
  return { callback: `${issuer}/account/callback`, signedOut: `${issuer}/account/signed-out` };
}

/** Derived from the master secret, one purpose of its own: never stored in plaintext or printed. */
export const accountClientSecret = (masterSecret: string) => systemClientSecret(masterSecret, 'account-client');

export function ensureAccountClient(deps: { clients: ClientStore; issuer: string; secret: string }): Promise<void> {
  return ensureSystemClient(deps.clients, {
    clientId: ACCOUNT_CLIENT_ID, name: 'Your Gatehouse account', ...accountUrls(deps.issuer), secret: deps.secret,
  });
}
