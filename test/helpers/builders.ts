// Small builders for what most tests need first: a client with its secret
// (as TestClient for token-client.ts) and a user with a known password.
import type { Composition } from '../../src/main.js';
import type { NewClient } from '../../src/clients/client-metadata.js';
import type { NewUser } from '../../src/users/user-store.js';
import type { TestClient } from './token-client.js';

type HasServices = { services: Composition };

/** Registers a client; `clientSecret` is '' for public clients. */
export async function createClient(server: HasServices, input: NewClient): Promise<TestClient> {
  const c = await server.services.stores.clients.create(input);
  return { clientId: c.clientId, clientSecret: c.clientSecret ?? '' };
}

/** A confidential client for the authorization-code flow (plus refresh tokens with offline_access). */
export const createWebClient = (server: HasServices, redirectUri: string, more: Partial<NewClient> = {}) =>
  createClient(server, { name: 'web', redirectUris: [redirectUri], scope: 'openid offline_access', ...more });

/** A confidential client that may only use client_credentials (plus `grantTypes`). */
export const createServiceClient = (server: HasServices, more: Partial<NewClient> = {}) =>
  createClient(server, { name: 'svc', redirectUris: [], grantTypes: ['client_credentials'], ...more });

/** Creates a user and returns its id together with the credentials to sign in with. */
export async function createUser(server: HasServices, input: NewUser): Promise<{ id: string; email: string; password: string }> {
  const u = await server.services.stores.users.create(input);
  return { id: u.id, email: input.email, password: input.password };
}
