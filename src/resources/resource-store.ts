// Resource servers (APIs) that tokens can be requested for (RFC 8707).
import type { PrismaClient } from '../db/database.js';

export interface ResourceServer {
  indicator: string;
  name: string;
  scopes: string[];
  accessTokenTtl: number | null;
}

export type ResourceStore = ReturnType<typeof createResourceStore>;

export function createResourceStore(prisma: PrismaClient) {
  const select = { indicator: true, name: true, scopes: true, accessTokenTtl: true } as const;
  return {
    create(r: ResourceServer): Promise<ResourceServer> {
      return prisma.resourceServer.create({ data: r, select });
    },
    /** Creates it, or makes sure its name and scopes are as given (the TTL an admin set is kept). */
    ensure(r: ResourceServer): Promise<ResourceServer> {
      return prisma.resourceServer.upsert({
        where: { indicator: r.indicator }, create: r, update: { name: r.name, scopes: r.scopes }, select,
      });
    },
    find(indicator: string): Promise<ResourceServer | null> {
      return prisma.resourceServer.findUnique({ where: { indicator }, select });
    },
    list(): Promise<ResourceServer[]> {
      return prisma.resourceServer.findMany({ select, orderBy: { createdAt: 'asc' } });
    },
  };
}
