// oidc-provider Adapter on Prisma: one row per (model, id) in oidc_objects.
// Expiry is enforced on read (a row past expires_at is treated as absent) and
// expired rows are swept by sweepExpired(). Clients come from the clients table.
import type { Adapter, AdapterPayload } from 'oidc-provider';
import type { PrismaClient } from '../db/database.js';
import type { ClientStore } from '../clients/client-store.js';

type Row = { payload: unknown; expiresAt: Date | null; consumedAt: Date | null } | null;

function toPayload(row: Row): AdapterPayload | undefined {
  if (!row) return undefined;
  if (row.expiresAt && row.expiresAt.getTime() <= Date.now()) return undefined;
  const payload = row.payload as AdapterPayload;
  return row.consumedAt ? { ...payload, consumed: Math.floor(row.consumedAt.getTime() / 1000) } : payload;
}

const SELECT = { payload: true, expiresAt: true, consumedAt: true } as const;

export function createObjectAdapter(prisma: PrismaClient, model: string): Adapter {
  const where = (id: string) => ({ model_id: { model, id } });
  return {
    async upsert(id, payload, expiresIn) {
      const data = {
        payload: payload as object,
        grantId: payload.grantId ?? null,
        userCode: payload.userCode ?? null,
        uid: payload.uid ?? null,
        expiresAt: expiresIn ? new Date(Date.now() + expiresIn * 1000) : null,
      };
      await prisma.oidcObject.upsert({ where: where(id), create: { model, id, ...data }, update: data });
    },
    async find(id) {
      return toPayload(await prisma.oidcObject.findUnique({ where: where(id), select: SELECT }));
    },
    async findByUid(uid) {
      return toPayload(await prisma.oidcObject.findFirst({ where: { model, uid }, select: SELECT }));
    },
    async findByUserCode(userCode) {
      return toPayload(await prisma.oidcObject.findFirst({ where: { model, userCode }, select: SELECT }));
    },
    async consume(id) {
      await prisma.oidcObject.updateMany({ where: { model, id }, data: { consumedAt: new Date() } });
    },
    async destroy(id) {
      await prisma.oidcObject.deleteMany({ where: { model, id } });
    },
    async revokeByGrantId(grantId) {
      // Every token issued under the grant, whatever its model (RFC 7009 §2.1).
      await prisma.oidcObject.deleteMany({ where: { grantId } });
    },
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

function createClientAdapter(clients: ClientStore, writes: ClientWrites): Adapter {
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

export function createAdapterFactory(prisma: PrismaClient, clients: ClientStore, writes: ClientWrites, special: Record<string, Adapter> = {}) {
  return (model: string): Adapter =>
    special[model] ?? (model === 'Client' ? createClientAdapter(clients, writes) : createObjectAdapter(prisma, model));
}

export async function sweepExpired(prisma: PrismaClient): Promise<number> {
  const { count } = await prisma.oidcObject.deleteMany({ where: { expiresAt: { lt: new Date() } } });
  return count;
}
