// Per-client RFC 8693 token-exchange policies (no row = may not exchange).
import type { PrismaClient } from '../db/database.js';
import { storable } from '../db/storable.js';

export interface ExchangePolicy {
  clientId: string;
  /** Resource indicators (registered resource servers) the client may target. */
  audiences: string[];
  /**
   * APIs (resource indicators) whose tokens this client may present as the
   * subject: the APIs it serves. Tokens issued to the client itself are
   * always accepted.
   */
  subjectAudiences: string[];
  /** May act as the user without naming itself as actor (RFC 8693 §1.1). */
  mayImpersonate: boolean;
  /** Upper bound on issued tokens' lifetime, seconds. */
  maxTtl: number | null;
  allowRefreshTokenSubject: boolean;
  allowIdTokenSubject: boolean;
}

export type ExchangePolicyStore = ReturnType<typeof createExchangePolicyStore>;

const SELECT = { clientId: true, audiences: true, subjectAudiences: true, mayImpersonate: true, maxTtl: true, allowRefreshTokenSubject: true, allowIdTokenSubject: true } as const;

export function createExchangePolicyStore(prisma: PrismaClient) {
  return {
    get(clientId: string): Promise<ExchangePolicy | null> {
      if (!storable(clientId)) return Promise.resolve(null);
      return prisma.exchangePolicy.findUnique({ where: { clientId }, select: SELECT });
    },
    set(p: ExchangePolicy): Promise<ExchangePolicy> {
      const { clientId, ...data } = p;
      return prisma.exchangePolicy.upsert({ where: { clientId }, create: p, update: data, select: SELECT });
    },
    async remove(clientId: string): Promise<boolean> {
      return (await prisma.exchangePolicy.deleteMany({ where: { clientId } })).count > 0;
    },
  };
}
