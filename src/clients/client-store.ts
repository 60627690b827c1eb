// Registered relying parties. Secrets are generated here, shown once, and kept
// encrypted at rest: oidc-provider needs the plaintext to check
// client_secret_basic/post and to verify HS256 client assertions (RFC 7523).
import type { PrismaClient } from '../db/database.js';
import type { SecretBox } from '../crypto/secret-box.js';
import { storable } from '../db/storable.js';
import { buildMetadata, needsSecret, newClientId, newSecret, type NewClient } from './client-metadata.js';

export interface ClientRecord {
  clientId: string;
  name: string;
  firstParty: boolean;
  admin: boolean;
  hasSecret: boolean;
  metadata: Record<string, unknown>;
  createdAt: Date;
  updatedAt: Date;
}

export interface ClientChanges {
  name: string;
  metadata: Record<string, unknown>;
  firstParty?: boolean | undefined;
  admin?: boolean | undefined;
}

export interface Page {
  limit: number;
  offset: number;
}

/** Checks metadata with the provider's own rules (oidc-provider Client.validate). */
export type MetadataValidator = (metadata: Record<string, unknown>) => Promise<void>;

export type ClientStore = ReturnType<typeof createClientStore>;

type Row = {
  id: string; name: string; firstParty: boolean; admin: boolean; metadata: unknown;
  secretEncrypted: string | null; createdAt: Date; updatedAt: Date;
};

const toRecord = (row: Row): ClientRecord => ({
  clientId: row.id, name: row.name, firstParty: row.firstParty, admin: row.admin, hasSecret: row.secretEncrypted !== null,
  metadata: row.metadata as Record<string, unknown>, createdAt: row.createdAt, updatedAt: row.updatedAt,
});

export function createClientStore(prisma: PrismaClient, box: SecretBox, validate?: MetadataValidator) {
  // The cached provider view (client-lookup.ts) listens for changes.
  const listeners: Array<(clientId: string) => void> = [];
  const changed = (clientId: string) => { for (const l of listeners) l(clientId); };
  const openSecret = (row: { secretEncrypted: string | null }) => (row.secretEncrypted ? box.open(row.secretEncrypted) : undefined);
  const withSecret = (metadata: Record<string, unknown>, secret: string | undefined) => ({ ...metadata, ...(secret ? { client_secret: secret } : {}) });

  return {
    async create(input: NewClient): Promise<ClientRecord & { clientSecret?: string }> {
      const clientId = newClientId();
      const metadata = buildMetadata(input, clientId);
      const clientSecret = needsSecret(metadata) ? newSecret() : undefined;
      await validate?.(withSecret(metadata, clientSecret));
      const row = await prisma.client.create({
        data: {
          id: clientId, name: input.name, firstParty: input.firstParty ?? false, admin: input.admin ?? false,
          metadata: metadata as object, secretEncrypted: clientSecret ? box.seal(clientSecret) : null,
        },
      });
      return { ...toRecord(row), ...(clientSecret ? { clientSecret } : {}) };
    },

    async list(page: Page = { limit: 1000, offset: 0 }): Promise<{ items: ClientRecord[]; total: number }> {
      const [rows, total] = await Promise.all([
        prisma.client.findMany({ orderBy: [{ createdAt: 'asc' }, { id: 'asc' }], take: page.limit, skip: page.offset }),
        prisma.client.count(),
      ]);
      return { items: rows.map(toRecord), total };
    },

    async get(clientId: string): Promise<ClientRecord | null> {
      if (!storable(clientId)) return null;
      const row = await prisma.client.findUnique({ where: { id: clientId } });
      return row ? toRecord(row) : null;
    },

    /**
     * Replaces the metadata (validated with the stored secret, or a new one when
     * the client becomes confidential; dropped when it becomes public). Returns
     * the new secret when one was generated, so the caller can show it once.
     */
    async update(clientId: string, changes: ClientChanges): Promise<(ClientRecord & { clientSecret?: string }) | null> {
      const row = await prisma.client.findUnique({ where: { id: clientId } });
      if (!row) return null;
      const metadata = { ...changes.metadata, client_id: clientId };
      const keep = needsSecret(metadata);
      const generated = keep && !row.secretEncrypted ? newSecret() : undefined;
      await validate?.(withSecret(metadata, keep ? (generated ?? openSecret(row)) : undefined));
      const secretEncrypted = !keep ? null : generated ? box.seal(generated) : row.secretEncrypted;
      changed(clientId);
      const updated = await prisma.client.update({
        where: { id: clientId },
        data: { name: changes.name, metadata: metadata as object, secretEncrypted, firstParty: changes.firstParty, admin: changes.admin },
      });
      return { ...toRecord(updated), ...(generated ? { clientSecret: generated } : {}) };
    },

    /** A new secret replaces the old one at once (no overlap window). */
    async rotateSecret(clientId: string): Promise<string | null> {
      const row = await prisma.client.findUnique({ where: { id: clientId } });
      if (!row || !needsSecret(row.metadata as Record<string, unknown>)) return null;
      const secret = newSecret();
      await prisma.client.update({ where: { id: clientId }, data: { secretEncrypted: box.seal(secret) } });
      changed(clientId);
      return secret;
    },

    async remove(clientId: string): Promise<boolean> {
      const { count } = await prisma.client.deleteMany({ where: { id: clientId } });
      changed(clientId);
      return count > 0;
    },

    /**
     * Stores a client registered through oidc-provider (RFC 7591 registration
     * or RFC 7592 update): the secret is sealed, flags are never set here.
     */
    async saveRegistered(clientId: string, providerMetadata: Record<string, unknown>): Promise<void> {
      const { client_secret: secret, ...metadata } = providerMetadata;
      const name = typeof metadata.client_name === 'string' && metadata.client_name ? metadata.client_name : clientId;
      const data = { name, metadata: metadata as object, secretEncrypted: typeof secret === 'string' ? box.seal(secret) : null };
      await prisma.client.upsert({ where: { id: clientId }, create: { id: clientId, ...data }, update: data });
      changed(clientId);
    },

    /** Creates or refreshes a client Gatehouse itself relies on (fixed id and secret). */
    async ensureSystem(clientId: string, input: NewClient, secret: string): Promise<void> {
      const metadata = buildMetadata(input, clientId);
      await validate?.(withSecret(metadata, secret));
      const data = { name: input.name, firstParty: true, admin: false, metadata: metadata as object, secretEncrypted: box.seal(secret) };
      await prisma.client.upsert({ where: { id: clientId }, create: { id: clientId, ...data }, update: data });
      changed(clientId);
    },

    /** Metadata with the opened secret, in the shape oidc-provider's adapter `find` returns (uncached). */
    async readForProvider(clientId: string): Promise<Record<string, unknown> | undefined> {
      if (!storable(clientId)) return undefined;
      const row = await prisma.client.findUnique({ where: { id: clientId } });
      if (!row) return undefined;
      return withSecret({ ...(row.metadata as object), client_id: row.id }, openSecret(row));
    },

    /** Calls `listener` with the id of every client this instance changes. */
    onChange(listener: (clientId: string) => void): void {
      listeners.push(listener);
    },
  };
}
