// The security audit log: append-only and hash-chained. Each event's hash is
// SHA-256(previous hash + canonical JSON of the event), so editing or
// deleting a row breaks every later link. Events are queued and written in
// batches (one lock + one insert per batch) so busy token endpoints do not
// serialise on the log; record() resolves once the event is stored.
// Callers pass identifiers only, never tokens or secrets.
import { createHash } from 'node:crypto';
import type { PrismaClient } from '../db/database.js';

export interface SecurityEvent {
  type: string;
  outcome: 'success' | 'failure' | 'revoked' | 'denied';
  subject?: string | null | undefined;
  clientId?: string | null | undefined;
  ip?: string | null | undefined;
  details?: Record<string, unknown>;
}

type Stored = { at: Date; type: string; outcome: string; subject: string | null; clientId: string | null; ip: string | null; details: unknown };

const CHAIN_LOCK = 72_707_003;

function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (value && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>).filter(([, v]) => v !== undefined).sort(([a], [b]) => (a < b ? -1 : 1));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonical(v)}`).join(',')}}`;
  }
  return JSON.stringify(value ?? null);
}

// PostgreSQL text/jsonb cannot hold NUL; attacker-supplied values (an email
// typed at login) are logged without it rather than failing the request.
function clean(value: unknown): unknown {
  if (typeof value === 'string') return value.replace(/\u0000/g, '');
  if (value instanceof Date) return value;
  if (Array.isArray(value)) return value.map(clean);
  if (value && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [clean(k), clean(v)]));
  return value;
}

export function eventHash(prevHash: string | null, e: Stored): string {
  const body = canonical({ at: e.at.toISOString(), type: e.type, outcome: e.outcome, subject: e.subject, clientId: e.clientId, ip: e.ip, details: e.details });
  return createHash('sha256').update(`${prevHash ?? ''}\n${body}`).digest('hex');
}

export type SecurityEvents = ReturnType<typeof createSecurityEvents>;

export function createSecurityEvents(prisma: PrismaClient, observe?: (e: SecurityEvent) => void) {
  let queue: { row: Stored; done: (err?: unknown) => void }[] = [];
  let flushing: Promise<void> | null = null;

  async function flush(): Promise<void> {
    while (queue.length) {
      const batch = queue;
      queue = [];
      try {
        await prisma.$transaction(async (tx) => {
          await tx.$executeRaw`SELECT pg_advisory_xact_lock(${CHAIN_LOCK})`;
          let prev = (await tx.securityEvent.findFirst({ orderBy: { id: 'desc' }, select: { hash: true } }))?.hash ?? null;
          const data = batch.map(({ row }) => {
            const hash = eventHash(prev, row);
            const out = { ...row, details: row.details as object, prevHash: prev, hash };
            prev = hash;
            return out;
          });
          await tx.securityEvent.createMany({ data });
        });
        for (const b of batch) b.done();
      } catch (err) {
        for (const b of batch) b.done(err);
      }
    }
  }

  function kick(): void {
    if (flushing) return;
    flushing = flush().finally(() => {
      flushing = null;
      if (queue.length) kick(); // queued while the last batch was committing
    });
  }

  return {
    record(e: SecurityEvent): Promise<void> {
      observe?.(e);
      const row = clean({
        at: new Date(), type: e.type, outcome: e.outcome, subject: e.subject ?? null,
        clientId: e.clientId ?? null, ip: e.ip ?? null, details: e.details ?? {},
      }) as Stored;
      return new Promise<void>((resolve, reject) => {
        queue.push({ row, done: (err) => (err ? reject(err) : resolve()) });
        kick();
      });
    },
    /** Resolves once every queued event is written (call before closing the database). */
    async drain(): Promise<void> {
      while (flushing) await flushing.catch(() => {});
    },
    list(type?: string, take = 100) {
      return prisma.securityEvent.findMany({ where: type ? { type } : {}, orderBy: { id: 'desc' }, take });
    },
    /** Walks the chain in order; returns the first broken row, if any. */
    async verify(): Promise<{ ok: boolean; checked: number; brokenAt?: bigint }> {
      let prev: string | null = null;
      let checked = 0;
      let cursor: bigint | undefined;
      for (;;) {
        const rows = await prisma.securityEvent.findMany({
          where: cursor === undefined ? {} : { id: { gt: cursor } }, orderBy: { id: 'asc' }, take: 1000,
        });
        if (!rows.length) return { ok: true, checked };
        for (const r of rows) {
          if (r.prevHash !== prev || r.hash !== eventHash(prev, r)) return { ok: false, checked, brokenAt: r.id };
          prev = r.hash;
          checked++;
        }
        cursor = rows[rows.length - 1]!.id;
      }
    },
  };
}
