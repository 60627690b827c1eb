// Pure rules of src/security/audit-chain.ts: keyed links, legacy boundary, anchors.
import { describe, expect, it } from 'vitest';
import {
  auditChainKey, createChainWalker, formatAnchor, keyedHash, legacyHash, parseAnchor, type ChainRow,
} from '../../../src/security/audit-chain.js';

const key = auditChainKey('master-secret-for-tests');
const content = (n: number) => ({
  at: new Date(Date.UTC(2026, 0, 1, 0, 0, n)), type: 'login', outcome: 'success', subject: `u${n}`, clientId: 'c', ip: '10.0.0.1', details: { n },
});

/** A chain of `count` rows; rows with id ≤ `legacy` hashed the old, unkeyed way. */
function chain(count: number, legacy = 0): ChainRow[] {
  const rows: ChainRow[] = [];
  let prev: string | null = null;
  for (let i = 1; i <= count; i++) {
    const hash: string = i <= legacy ? legacyHash(prev, content(i)) : keyedHash(key, prev, content(i));
    rows.push({ id: BigInt(i), ...content(i), prevHash: prev, hash });
    prev = hash;
  }
  return rows;
}

const walk = (rows: ChainRow[], legacyUntil = 0n, anchor?: { id: bigint; hash: string }, k = key) => {
  const walker = createChainWalker(k, legacyUntil, anchor);
  return walker.check(rows) ?? walker.done();
};

describe('audit chain', () => {
  it('verifies an untouched keyed chain, page by page', () => {
    const rows = chain(5);
    const walker = createChainWalker(key, 0n);
    expect(walker.check(rows.slice(0, 2))).toBeNull();
    expect(walker.check(rows.slice(2))).toBeNull();
    expect(walker.done()).toEqual({ ok: true, checked: 5 });
  });

  it('derives a key of its own: another secret fails every keyed row', () => {
    expect(walk(chain(2), 0n, undefined, auditChainKey('another-secret'))).toMatchObject({ ok: false, brokenAt: 1n });
  });

  it('detects an edited row, even with the following links recomputed without the key', () => {
    const rows = chain(4);
    rows[1] = { ...rows[1]!, subject: 'mallory' };
    expect(walk(rows)).toMatchObject({ ok: false, brokenAt: 2n });
    // Recomputing from the edited row on with plain SHA-256 is an unkeyed row past the boundary.
    let prev = rows[0]!.hash;
    for (let i = 1; i < rows.length; i++) {
      const hash = legacyHash(prev, rows[i]!);
      rows[i] = { ...rows[i]!, prevHash: prev, hash };
      prev = hash;
    }
    expect(walk(rows)).toMatchObject({ ok: false, brokenAt: 2n, reason: expect.stringContaining('unkeyed') });
  });

  it('accepts legacy rows up to the boundary only', () => {
    expect(walk(chain(4, 2), 2n)).toEqual({ ok: true, checked: 4 });
    expect(walk(chain(4, 3), 2n)).toMatchObject({ ok: false, brokenAt: 3n });
  });

  it('detects a deleted tail with an anchor taken before, and a missing middle row without one', () => {
    const rows = chain(6);
    const anchor = parseAnchor(formatAnchor({ id: rows[5]!.id, hash: rows[5]!.hash }))!;
    expect(walk(rows, 0n, anchor)).toEqual({ ok: true, checked: 6 });
    expect(walk(rows.slice(0, 4))).toEqual({ ok: true, checked: 4 });
    expect(walk(rows.slice(0, 4), 0n, anchor)).toMatchObject({ ok: false, brokenAt: 6n });
    expect(walk([...rows.slice(0, 2), ...rows.slice(3)])).toMatchObject({ ok: false, brokenAt: 4n });
  });

  it('parses only ID:HASH anchors', () => {
    expect(parseAnchor(`12:k1.${'a'.repeat(64)}`)).toEqual({ id: 12n, hash: `k1.${'a'.repeat(64)}` });
    for (const bad of ['', '12', `x:k1.${'a'.repeat(64)}`, `12:k1.${'a'.repeat(63)}`, `12:k2.${'a'.repeat(64)}`]) expect(parseAnchor(bad)).toBeNull();
  });
});
