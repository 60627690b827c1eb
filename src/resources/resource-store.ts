// Resource servers (APIs) that tokens can be requested for (RFC 8707).
import type { PrismaClient } from '../db/database.js';
import { createTtlCache } from '../cache/ttl-cache.js';
import { storable } from '../db/storable.js';

export interface ResourceServer {
  indicator: string;
  name: string;
  scopes: string[];
  accessTokenTtl: number | null;
}

export type ResourceStore = ReturnType<typeof createResourceStore>;

export function createResourceStore(prisma: PrismaClient) {
  const select = { indicator: true, name: true, scopes: true, accessTokenTtl: true } as const;
  // Looked up on every token request that names a resource (ttl-cache.ts).
  const cache = createTtlCache<ResourceServer | null>(5000);
  return {
    create(r: ResourceServer): Promise<ResourceServer> {
      cache.delete(r.indicator);
      return prisma.resourceServer.create({ data: r, select });
    },
    /** Creates it, or makes sure its name and scopes are as given (the TTL an admin set is kept). */
    ensure(r: ResourceServer): Promise<ResourceServer> {
      return prisma.resourceServer.upsert({
        where: { indicator: r.indicator }, create: r, update: { name: r.name, scopes: r.scopes }, select,
      });
    },
    find(indicator: string): Promise<ResourceServer | null> {
      if (!storable(indicator)) return Promise.resolve(null);
      return cache.get(indicator, () => prisma.resourceServer.findUnique({ where: { indicator }, select }));
    },
    list(): Promise<ResourceServer[]> {
      return prisma.resourceServer.findMany({ select, orderBy: { createdAt: 'asc' } });
    },
  };
}
