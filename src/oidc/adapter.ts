// oidc-provider Adapter: one object per (model, id), kept by the oidc-object
// store (oidc-object-store.ts, which holds the SQL and the at-rest hashing).
// Expiry is enforced on read (an object past its expiry is absent) and
// expired objects are swept by the store's sweepExpired() (main.ts). Clients
// come from the clients table (client-lookup.ts).
import type { Adapter, AdapterPayload } from 'oidc-provider';
import type { ClientLookup } from '../clients/client-lookup.js';
import type { OidcObjectStore, StoredObject } from './oidc-object-store.js';

function toPayload(object: StoredObject | undefined): AdapterPayload | undefined {
  if (!object) return undefined;
  if (object.expiresAt && object.expiresAt.getTime() <= Date.now()) return undefined;
  return object.consumedAt ? { ...object.payload, consumed: Math.floor(object.consumedAt.getTime() / 1000) } : object.payload;
}

/** The Adapter for one model over the store. */
export function objectAdapter(objects: OidcObjectStore, model: string): Adapter {
  return {
    async upsert(id, payload, expiresIn) {
      await objects.upsert(model, id, payload, expiresIn ? new Date(Date.now() + expiresIn * 1000) : null);
    },
    find: async (id) => toPayload(await objects.find(model, id)),
    findByUid: async (uid) => toPayload(await objects.findByUid(model, uid)),
    findByUserCode: async (userCode) => toPayload(await objects.findByUserCode(model, userCode)),
    consume: (id) => objects.consume(model, id, new Date()),
    destroy: (id) => objects.destroy(model, id),
    // Every token issued under the grant, whatever its model (RFC 7009 §2.1).
    revokeByGrantId: (grantId) => objects.deleteByGrantId(grantId),
  };
}

// Clients live in the clients table. oidc-provider writes them only for
// dynamic registration (RFC 7591/7592, see registration.ts): upsert stores the
// registered metadata (secret sealed), destroy deletes the client and revokes
// its grants and tokens.
export interface ClientWrites {
  saveRegistered(clientId: string, metadata: Record<string, unknown>): Promise<void>;
  remove(clientId: string): Promise<unknown>;
}

function createClientAdapter(clients: ClientLookup, writes: ClientWrites): Adapter {
  return {
    find: (id) => clients.findForProvider(id),
    upsert: (id, payload) => writes.saveRegistered(id, payload as Record<string, unknown>),
    destroy: async (id) => {
      await writes.remove(id);
    },
    consume: async () => {
      throw new Error('clients are never consumed');
    },
    findByUid: async () => undefined, findByUserCode: async () => undefined, revokeByGrantId: async () => {},
  };
}

export function createAdapterFactory(objects: OidcObjectStore, clients: ClientLookup, writes: ClientWrites, special: Record<string, Adapter> = {}) {
  return (model: string): Adapter =>
    special[model] ?? (model === 'Client' ? createClientAdapter(clients, writes) : objectAdapter(objects, model));
}
