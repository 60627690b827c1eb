// Deleting a client ends what it holds: every grant, and with them every token
// and code issued to it (grant-store.ts). One rule for both ways a client is
// deleted: by an admin (admin/client-admin.ts, which also audits) and by the
// client itself through RFC 7592 §2.3 registration management (oidc/provider.ts).
import type { ClientStore } from './client-store.js';
import type { GrantStore } from '../oidc/grant-store.js';

export type RemoveClient = (clientId: string) => Promise<boolean>;

export function createClientRemoval(deps: { clients: Pick<ClientStore, 'remove'>; grants: Pick<GrantStore, 'revokeClient'> }): RemoveClient {
  return async (clientId) => {
    const removed = await deps.clients.remove(clientId);
    // Revoked even when the row was already gone: a retry after a partial failure finishes the job.
    await deps.grants.revokeClient(clientId);
    return removed;
  };
}
