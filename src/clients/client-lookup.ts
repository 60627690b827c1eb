// The provider's view of clients: oidc-provider reads a client's metadata on
// every token request, so it is cached per instance (ttl-cache.ts). Changes
// made through this instance's store apply at once (client-store.ts onChange);
// other instances see them within CACHE_MS, so a rotated secret keeps working
// there for at most that long.
import { createTtlCache } from '../cache/ttl-cache.js';
import type { ClientStore } from './client-store.js';

const CACHE_MS = 5000;

export type ClientLookup = ReturnType<typeof createClientLookup>;

export function createClientLookup(store: Pick<ClientStore, 'readForProvider' | 'onChange'>) {
  const cache = createTtlCache<Record<string, unknown> | undefined>(CACHE_MS);
  store.onChange((clientId) => cache.delete(clientId));
  return {
    /** Metadata in the shape oidc-provider's adapter `find` must return. */
    findForProvider: (clientId: string) => cache.get(clientId, () => store.readForProvider(clientId)),
  };
}
