// Security-relevant events (refresh-token reuse, exchanges, revocations...).
// Never given tokens or secrets: callers pass identifiers only.
import type { PrismaClient } from '../db/database.js';

export interface SecurityEvent {
  type: string;
  outcome: 'success' | 'failure' | 'revoked' | 'denied';
  subject?: string | null | undefined;
  clientId?: string | null | undefined;
  ip?: string | null | undefined;
  details?: Record<string, unknown>;
}

export type SecurityEvents = ReturnType<typeof createSecurityEvents>;

export function createSecurityEvents(prisma: PrismaClient) {
  return {
    async record(e: SecurityEvent): Promise<void> {
      await prisma.securityEvent.create({
        data: {
          type: e.type, outcome: e.outcome, subject: e.subject ?? null, clientId: e.clientId ?? null,
          ip: e.ip ?? null, details: (e.details ?? {}) as object,
        },
      });
    },
    list(type?: string, take = 100) {
      return prisma.securityEvent.findMany({ where: type ? { type } : {}, orderBy: { id: 'desc' }, take });
    },
  };
}
