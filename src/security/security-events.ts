// The security audit log: append-only and hash-chained. Each event's hash is
// a keyed HMAC of the previous hash and the event (audit-chain.ts), so
// editing or deleting a row breaks every later link. Events are queued and written in
// batches (one lock + one insert per batch) so busy token endpoints do not
// serialise on the log; record() resolves once the event is stored.
// Callers pass identifiers only, never tokens or secrets. Reading and
// verifying the log is audit-log.ts (the write queue and the reader are
// split on purpose: docs/architecture.md).
import type { Database } from '../db/database.js';
import { keyedHash } from './audit-chain.js';
import { storableDeep } from '../db/storable.js';

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

// Attacker-supplied values (an email typed at login) are logged without NUL
// rather than failing the request (db/storable.ts).
const clean = storableDeep;

export type SecurityEvents = ReturnType<typeof createSecurityEvents>;

const BATCH = 500;

export interface SecurityEventsOptions {
  /** auditChainKey(master secret): keys every new row's hash. */
  chainKey: Buffer;
  observe?: (e: SecurityEvent) => void;
}

export function createSecurityEvents(transaction: Database['transaction'], opts: SecurityEventsOptions) {
  const { chainKey, observe } = opts;
  let queue: { row: Stored; done: (err?: unknown) => void }[] = [];
  let flushing: Promise<void> | null = null;

  // One transaction per batch: lock the chain, read its head, append rows.
  async function append(rows: Stored[]): Promise<void> {
    await transaction(async (sql) => {
      await sql.query('SELECT pg_advisory_xact_lock($1)', [CHAIN_LOCK]);
      let prev = (await sql.query<{ hash: string }>('SELECT hash FROM security_events ORDER BY id DESC LIMIT 1'))[0]?.hash ?? null;
      const params: unknown[] = [];
      const values = rows.map((row) => {
        const hash = keyedHash(chainKey, prev, row);
        params.push(row.at, row.type, row.outcome, row.subject, row.clientId, row.ip, JSON.stringify(row.details), prev, hash);
        prev = hash;
        const n = params.length - 9;
        return `($${n + 1}, $${n + 2}, $${n + 3}, $${n + 4}, $${n + 5}, $${n + 6}, $${n + 7}::jsonb, $${n + 8}, $${n + 9})`;
      });
      await sql.query(`INSERT INTO security_events (at, type, outcome, subject, client_id, ip, details, prev_hash, hash) VALUES ${values.join(', ')}`, params);
    });
  }

  async function flush(): Promise<void> {
    while (queue.length) {
      const batch = queue.splice(0, BATCH);
      try {
        await append(batch.map((b) => b.row));
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
  };
}
