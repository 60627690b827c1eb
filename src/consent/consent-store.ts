// Remembered consent per user + client (OpenID Connect Core §3.1.2.4: the OP
// may rely on prior consent instead of asking again).
import type { PrismaClient } from '../db/database.js';

export type ConsentStore = ReturnType<typeof createConsentStore>;

export function createConsentStore(prisma: PrismaClient) {
  return {
    async scopes(userId: string, clientId: string): Promise<Set<string>> {
      const row = await prisma.consent.findUnique({ where: { userId_clientId: { userId, clientId } } });
      return new Set(row?.scopes ?? []);
    },
    /** Adds scopes to what the user has approved for the client. */
    async remember(userId: string, clientId: string, scopes: string[]): Promise<void> {
      await prisma.$transaction(async (tx) => {
        const row = await tx.consent.findUnique({ where: { userId_clientId: { userId, clientId } } });
        const merged = [...new Set([...(row?.scopes ?? []), ...scopes])].sort();
        await tx.consent.upsert({
          where: { userId_clientId: { userId, clientId } },
          create: { userId, clientId, scopes: merged },
          update: { scopes: merged },
        });
      });
    },
    /** Every client the user has approved, with the scopes (the account page's connected apps). */
    async list(userId: string): Promise<{ clientId: string; scopes: string[] }[]> {
      const rows = await prisma.consent.findMany({ where: { userId }, orderBy: { clientId: 'asc' } });
      return rows.map((r) => ({ clientId: r.clientId, scopes: r.scopes }));
    },
    async forget(userId: string, clientId: string): Promise<void> {
      await prisma.consent.deleteMany({ where: { userId, clientId } });
    },
  };
}
