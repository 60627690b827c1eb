// The audit log's chain. Each row's hash is HMAC-SHA256 under a key derived
// from the master secret (RFC 2104, RFC 5869) of the previous row's hash and
// the row's canonical JSON, written as `k1.<hex>`. A database superuser who
// bypasses the append-only trigger cannot recompute it without the secret;
// what they can still do, delete rows from the end, is caught by comparing
// with an anchor (a head printed earlier and kept elsewhere, docs/security.md).
// Rows written before the keyed chain (plain SHA-256, no prefix) stay
// verifiable up to the boundary the migration recorded (audit_chain_state).
import { createHash, createHmac, hkdfSync, timingSafeEqual } from 'node:crypto';

export interface ChainRow {
  id: bigint; at: Date; type: string; outcome: string; subject: string | null; clientId: string | null; ip: string | null;
  details: unknown; prevHash: string | null; hash: string;
}
export type ChainContent = Omit<ChainRow, 'id' | 'prevHash' | 'hash'>;

export interface Anchor { id: bigint; hash: string }

export interface ChainCheck {
  ok: boolean;
  checked: number;
  brokenAt?: bigint;
  /** Why verification failed, in words for an operator. */
  reason?: string;
}

const KEYED = 'k1.';

/** The chain's own sub-key: no other use of the master secret can produce it. */
export function auditChainKey(masterSecret: string): Buffer {
  return Buffer.from(hkdfSync('sha256', masterSecret, 'gatehouse', 'gatehouse:audit-chain', 32));
}

function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (value && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>).filter(([, v]) => v !== undefined).sort(([a], [b]) => (a < b ? -1 : 1));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonical(v)}`).join(',')}}`;
  }
  return JSON.stringify(value ?? null);
}

function message(prevHash: string | null, e: ChainContent): string {
  const body = canonical({ at: e.at.toISOString(), type: e.type, outcome: e.outcome, subject: e.subject, clientId: e.clientId, ip: e.ip, details: e.details });
  return `${prevHash ?? ''}\n${body}`;
}

/** How rows were chained before the keyed chain: anyone can recompute it. */
export function legacyHash(prevHash: string | null, e: ChainContent): string {
  return createHash('sha256').update(message(prevHash, e)).digest('hex');
}

export function keyedHash(key: Buffer, prevHash: string | null, e: ChainContent): string {
  return KEYED + createHmac('sha256', key).update(message(prevHash, e)).digest('hex');
}

const same = (a: string, b: string) => a.length === b.length && timingSafeEqual(Buffer.from(a), Buffer.from(b));

/** `ID:HASH`, as `gatehouse audit anchor` prints it. */
export const formatAnchor = (a: Anchor) => `${a.id}:${a.hash}`;

export function parseAnchor(text: string): Anchor | null {
  const m = /^(\d{1,19}):(k1\.[0-9a-f]{64}|[0-9a-f]{64})$/.exec(text.trim());
  return m ? { id: BigInt(m[1]!), hash: m[2]! } : null;
}

/**
 * Checks rows in id order, page by page. `legacyUntil`: the last id that may
 * carry a plain SHA-256 hash; an unkeyed row after it is a rewrite.
 */
export function createChainWalker(key: Buffer, legacyUntil: bigint, anchor?: Anchor) {
  let prev: string | null = null;
  let checked = 0;
  let anchorSeen = false;
  const fail = (r: ChainRow, reason: string): ChainCheck => ({ ok: false, checked, brokenAt: r.id, reason });
  return {
    /** A failure, or null to continue with the next page. */
    check(rows: ChainRow[]): ChainCheck | null {
      for (const r of rows) {
        if (r.prevHash !== prev) return fail(r, `event ${r.id} does not link to the event before it: rows were deleted or inserted`);
        const keyed = r.hash.startsWith(KEYED);
        if (!keyed && r.id > legacyUntil) return fail(r, `event ${r.id} has an unkeyed hash: the chain was recomputed without the audit key`);
        const expected = keyed ? keyedHash(key, prev, r) : legacyHash(prev, r);
        if (!same(r.hash, expected)) {
          return fail(r, `event ${r.id} does not match its hash: the row was modified${keyed ? ' (or GATEHOUSE_SECRET changed)' : ''}`);
        }
        if (anchor && r.id === anchor.id) {
          if (!same(r.hash, anchor.hash)) return fail(r, `event ${r.id} no longer has the anchored hash: the log was rewritten`);
          anchorSeen = true;
        }
        prev = r.hash;
        checked++;
      }
      return null;
    },
    done(): ChainCheck {
      if (anchor && !anchorSeen) {
        return {
          ok: false, checked, brokenAt: anchor.id,
          reason: `the chain no longer contains the anchored event ${anchor.id}: events were deleted from its end (or the log was replaced)`,
        };
      }
      return { ok: true, checked };
    },
  };
}
