// The audit log's read side: paging for the admin API and the CLI, the head
// to anchor elsewhere, and the walk that verifies every keyed link
// (audit-chain.ts). Writing is security-events.ts (a batched queue).
import type { PrismaClient } from '../db/database.js';
import { createChainWalker, type Anchor, type ChainCheck } from './audit-chain.js';

export type AuditLog = ReturnType<typeof createAuditLog>;

export function createAuditLog(prisma: PrismaClient, chainKey: Buffer) {
  return {
    /** Newest first; `before` is the id to continue below (cursor paging). */
    page(q: { type?: string | undefined; limit: number; before?: bigint | undefined }) {
      return prisma.securityEvent.findMany({
        where: { ...(q.type ? { type: q.type } : {}), ...(q.before ? { id: { lt: q.before } } : {}) },
        orderBy: { id: 'desc' }, take: q.limit,
      });
    },
    list(type?: string, take = 100) {
      return prisma.securityEvent.findMany({ where: type ? { type } : {}, orderBy: { id: 'desc' }, take });
    },
    /** The newest event: what `gatehouse audit anchor` prints to keep elsewhere. */
    async head(): Promise<Anchor | null> {
      const r = await prisma.securityEvent.findFirst({ orderBy: { id: 'desc' }, select: { id: true, hash: true } });
      return r ? { id: r.id, hash: r.hash } : null;
    },
    /** Walks the chain in order; with an anchor, also requires that event (truncation). */
    async verify(anchor?: Anchor): Promise<ChainCheck> {
      // A missing boundary row means no legacy rows are accepted (strictest).
      const legacyUntil = (await prisma.auditChainState.findUnique({ where: { id: 1 } }))?.legacyUntil ?? 0n;
      const walker = createChainWalker(chainKey, legacyUntil, anchor);
      let cursor: bigint | undefined;
      for (;;) {
        const rows = await prisma.securityEvent.findMany({
          where: cursor === undefined ? {} : { id: { gt: cursor } }, orderBy: { id: 'asc' }, take: 1000,
        });
        if (!rows.length) return walker.done();
        const failed = walker.check(rows);
        if (failed) return failed;
        cursor = rows[rows.length - 1]!.id;
      }
    },
  };
}
