// Client management for the admin surface (REST API, console, CLI): input
// already parsed by client-schemas.ts, metadata checked by oidc-provider's
// rules in the store, secrets returned only by create/rotate (shown once).
// Every change is audited here with the actor and the client id (src/security/admin-audit.ts).
import type { ClientRecord, ClientStore } from '../clients/client-store.js';
import type { NewClient } from '../clients/client-metadata.js';
import type { GrantStore } from '../oidc/grant-store.js';
import { DomainError, conflict, invalidMetadata, isMetadataError, notFound } from '../errors/domain-error.js';
import { METADATA_FIELDS, type ClientCreateInput, type ClientUpdateInput, type PageInput } from './client-schemas.js';
import { SYSTEM_CLIENT_IDS } from './admin-setup.js';
import { changedFields, type AdminActor, type AdminAudit } from '../security/admin-audit.js';
import { createClientRemoval } from '../clients/client-removal.js';

export type ClientView = ReturnType<typeof clientView>;
export type ClientAdmin = ReturnType<typeof createClientAdmin>;

/** What any admin entry point may show of a client: never its secret. */
export function clientView(c: ClientRecord) {
  const { client_secret: _s, registration_access_token: _t, client_id: _i, client_name: _n, ...metadata } = c.metadata;
  return {
    client_id: c.clientId, client_name: c.name, ...metadata, require_mfa: metadata.require_mfa === true, first_party: c.firstParty, admin: c.admin,
    has_secret: c.hasSecret, created_at: c.createdAt.toISOString(), updated_at: c.updatedAt.toISOString(),
  };
}

// Optional metadata passed through to the provider as given.
const EXTRA_KEYS = [
  'refresh_token_idle_ttl', 'refresh_token_absolute_ttl', 'client_uri', 'jwks_uri', 'jwks',
  'require_pushed_authorization_requests', 'dpop_bound_access_tokens',
  'tls_client_certificate_bound_access_tokens', 'tls_client_auth_subject_dn',
  'backchannel_logout_uri', 'backchannel_logout_session_required', 'require_mfa',
] as const;

// Back-Channel Logout 1.0 §2.2 defaults backchannel_logout_session_required to
// false; Gatehouse defaults it to true for clients with a logout URI, so their
// id_tokens and logout tokens carry `sid` (one session logs out, not all).
function withLogoutDefaults(m: Record<string, unknown>): Record<string, unknown> {
  if (!m.backchannel_logout_uri) {
    const { backchannel_logout_session_required: _r, ...rest } = m;
    return rest;
  }
  return { backchannel_logout_session_required: true, ...m };
}

function toNewClient(input: ClientCreateInput): NewClient {
  const extra: Record<string, unknown> = {};
  for (const k of EXTRA_KEYS) if (input[k] !== undefined) extra[k] = input[k];
  return {
    name: input.client_name, redirectUris: input.redirect_uris, postLogoutRedirectUris: input.post_logout_redirect_uris,
    grantTypes: input.grant_types, scope: input.scope, authMethod: input.token_endpoint_auth_method,
    firstParty: input.first_party, admin: input.admin, extra: withLogoutDefaults(extra),
  };
}

/** Applies a partial update to stored metadata; `null` removes optional fields. */
function mergeMetadata(current: Record<string, unknown>, patch: ClientUpdateInput, name: string): Record<string, unknown> {
  const m: Record<string, unknown> = { ...current, client_name: name };
  const { client_name: _n, first_party: _f, admin: _a, ...rest } = patch;
  for (const [key, value] of Object.entries(rest)) {
    if (value === undefined) continue;
    if (value === null) delete m[key];
    else m[key] = value;
  }
  if (patch.grant_types) m.response_types = patch.grant_types.includes('authorization_code') ? ['code'] : [];
  return withLogoutDefaults(m);
}

async function withMetadataErrors<T>(fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (err) {
    // The validator (clients/metadata-validator.ts) cannot know the form's field names.
    if (isMetadataError(err)) throw invalidMetadata(err.message, METADATA_FIELDS);
    throw err;
  }
}

export function createClientAdmin(deps: { clients: ClientStore; grants: GrantStore; audit: AdminAudit }) {
  const { clients, audit } = deps;
  const removeClient = createClientRemoval(deps);
  async function mustGet(clientId: string): Promise<ClientRecord> {
    const c = await clients.get(clientId);
    if (!c) throw notFound('client');
    return c;
  }
  async function mustManage(clientId: string): Promise<ClientRecord> {
    const c = await mustGet(clientId);
    if (SYSTEM_CLIENT_IDS.includes(clientId)) throw conflict('this client is managed by Gatehouse itself');
    return c;
  }

  return {
    async create(input: ClientCreateInput, actor: AdminActor) {
      const c = await withMetadataErrors(() => clients.create(toNewClient(input)));
      await audit(actor, 'client.create', c.clientId, { admin: c.admin, first_party: c.firstParty });
      return { client: clientView(c), client_secret: c.clientSecret ?? null };
    },
    async list(page: PageInput) {
      const { items, total } = await clients.list(page);
      return { items: items.map(clientView), total, limit: page.limit, offset: page.offset };
    },
    get: async (clientId: string) => clientView(await mustGet(clientId)),
    async update(clientId: string, patch: ClientUpdateInput, actor: AdminActor) {
      const current = await mustManage(clientId);
      const name = patch.client_name ?? current.name;
      const metadata = mergeMetadata(current.metadata, patch, name);
      const c = await withMetadataErrors(() => clients.update(clientId, { name, metadata, firstParty: patch.first_party, admin: patch.admin }));
      if (!c) throw notFound('client');
      await audit(actor, 'client.update', clientId, { fields: changedFields(patch), secret_issued: Boolean(c.clientSecret) });
      return { client: clientView(c), client_secret: c.clientSecret ?? null };
    },
    /** Deletes the client and revokes every grant and token it holds. */
    async remove(clientId: string, actor: AdminActor): Promise<void> {
      await mustManage(clientId);
      await removeClient(clientId);
      await audit(actor, 'client.delete', clientId);
    },
    async rotateSecret(clientId: string, actor: AdminActor) {
      await mustManage(clientId);
      const secret = await clients.rotateSecret(clientId);
      if (!secret) throw new DomainError(409, 'conflict', 'this client does not authenticate with a client secret');
      await audit(actor, 'client.rotate_secret', clientId);
      return { client_id: clientId, client_secret: secret };
    },
  };
}
