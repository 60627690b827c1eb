// Registered relying parties. Secrets are generated here, shown once, and kept
// encrypted at rest: oidc-provider needs the plaintext to check
// client_secret_basic/post and to verify HS256 client assertions (RFC 7523).
import { randomBytes } from 'node:crypto';
import type { PrismaClient } from '../db/database.js';
import type { SecretBox } from '../crypto/secret-box.js';
import { storable } from '../db/storable.js';
import { createTtlCache } from '../cache/ttl-cache.js';

export interface NewClient {
  name: string;
  redirectUris: string[];
  postLogoutRedirectUris?: string[] | undefined;
  grantTypes?: string[] | undefined;
  scope?: string | undefined;
  public?: boolean | undefined;
  /** Overrides the default (none for public clients, client_secret_basic otherwise). */
  authMethod?: string | undefined;
  firstParty?: boolean | undefined;
  extra?: Record<string, unknown> | undefined;
}

export interface ClientRecord {
  clientId: string;
  name: string;
  firstParty: boolean;
  metadata: Record<string, unknown>;
  createdAt: Date;
}

/** Checks metadata with the provider's own rules (oidc-provider Client.validate). */
export type MetadataValidator = (metadata: Record<string, unknown>) => Promise<void>;

export type ClientStore = ReturnType<typeof createClientStore>;

// Auth methods that prove possession of a key or certificate, not a secret.
const SECRETLESS = new Set(['none', 'private_key_jwt', 'tls_client_auth', 'self_signed_tls_client_auth']);

export function buildMetadata(input: NewClient, clientId: string): Record<string, unknown> {
  const grantTypes = input.grantTypes?.length ? input.grantTypes : ['authorization_code', 'refresh_token'];
  return {
    ...input.extra,
    client_id: clientId,
    client_name: input.name,
    redirect_uris: input.redirectUris,
    post_logout_redirect_uris: input.postLogoutRedirectUris ?? [],
    grant_types: grantTypes,
    response_types: grantTypes.includes('authorization_code') ? ['code'] : [],
    token_endpoint_auth_method: input.authMethod ?? (input.public ? 'none' : 'client_secret_basic'),
    ...(input.scope ? { scope: input.scope } : {}),
  };
}

// Client metadata is read on every token request; see ttl-cache.ts for the
// staleness bound across instances.
const CACHE_MS = 5000;

export function createClientStore(prisma: PrismaClient, box: SecretBox, validate?: MetadataValidator) {
  const cache = createTtlCache<Record<string, unknown> | undefined>(CACHE_MS);
  const toRecord = (row: { id: string; name: string; firstParty: boolean; metadata: unknown; createdAt: Date }): ClientRecord => ({
    clientId: row.id, name: row.name, firstParty: row.firstParty,
    metadata: row.metadata as Record<string, unknown>, createdAt: row.createdAt,
  });

  return {
    async create(input: NewClient): Promise<ClientRecord & { clientSecret?: string }> {
      const clientId = randomBytes(12).toString('base64url');
      const clientSecret = input.public || SECRETLESS.has(input.authMethod ?? '') ? undefined : randomBytes(32).toString('base64url');
      const metadata = buildMetadata(input, clientId);
      await validate?.({ ...metadata, ...(clientSecret ? { client_secret: clientSecret } : {}) });
      const row = await prisma.client.create({
        data: {
          id: clientId, name: input.name, firstParty: input.firstParty ?? false,
          metadata: metadata as object, secretEncrypted: clientSecret ? box.seal(clientSecret) : null,
        },
      });
      return { ...toRecord(row), ...(clientSecret ? { clientSecret } : {}) };
    },

    async list(): Promise<ClientRecord[]> {
      return (await prisma.client.findMany({ orderBy: { createdAt: 'asc' } })).map(toRecord);
    },

    async get(clientId: string): Promise<ClientRecord | null> {
      if (!storable(clientId)) return null;
      const row = await prisma.client.findUnique({ where: { id: clientId } });
      return row ? toRecord(row) : null;
    },

    /** Metadata in the shape oidc-provider's adapter `find` must return. */
    async findForProvider(clientId: string): Promise<Record<string, unknown> | undefined> {
      if (!storable(clientId)) return undefined;
      return cache.get(clientId, async () => {
        const row = await prisma.client.findUnique({ where: { id: clientId } });
        if (!row) return undefined;
        const secret = row.secretEncrypted ? box.open(row.secretEncrypted) : undefined;
        return { ...(row.metadata as object), client_id: row.id, ...(secret ? { client_secret: secret } : {}) };
      });
    },

    /** Drops this instance's cached copy (call after any change to the client). */
    forget(clientId: string): void {
      cache.delete(clientId);
    },
  };
}
