// The keyed audit chain against a database superuser: with the append-only
// trigger bypassed (session_replication_role = replica) they can rewrite rows
// and recompute the chain with plain SHA-256 the way the old code did, or
// delete the newest events. The built `gatehouse` binary detects both (the
// truncation through an anchor taken before). Real PostgreSQL.
import { spawn } from 'node:child_process';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../../src/config.js';
import { compose } from '../../../src/main.js';
import { createLogger } from '../../../src/http/logger.js';
import { auditChainKey, keyedHash, legacyHash } from '../../../src/security/audit-chain.js';
import { createTestStore, type TestStore } from '../../helpers/databases.js';

function gatehouse(env: Record<string, string>, ...argv: string[]): Promise<{ code: number | null; out: string; err: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['bin/gatehouse.js', ...argv], { env: { PATH: process.env.PATH ?? '', ...env } });
    let out = '';
    let err = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (err += d));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, out: out.trim(), err: err.trim() }));
  });
}

type Row = { id: string; at: Date; type: string; outcome: string; subject: string | null; client_id: string | null; ip: string | null; details: unknown; hash: string };

describe('keyed audit chain (PostgreSQL, as a superuser would attack it)', () => {
  let store: TestStore;
  let db: pg.Client;
  const superuser = async (fn: () => Promise<void>) => {
    await db.query('BEGIN');
    await db.query('SET LOCAL session_replication_role = replica'); // triggers off
    await fn();
    await db.query('COMMIT');
  };
  const rows = async () => (await db.query<Row>('SELECT * FROM security_events ORDER BY id')).rows;
  const restore = async (saved: Row[]) => superuser(async () => {
    await db.query('DELETE FROM security_events');
    for (const r of saved) {
      await db.query('INSERT INTO security_events (id, at, type, outcome, subject, client_id, ip, details, prev_hash, hash) SELECT id, at, type, outcome, subject, client_id, ip, details, prev_hash, hash FROM jsonb_populate_record(NULL::security_events, $1)', [JSON.stringify(r)]);
    }
  });
  let original: Row[];
  let anchor: string;

  beforeAll(async () => {
    store = await createTestStore('postgres');
    const s = await compose(loadConfig(store.env), createLogger('silent'));
    for (let i = 0; i < 12; i++) await s.stores.events.record({ type: 'login', outcome: i % 3 ? 'success' : 'failure', subject: `u${i}`, clientId: 'web', ip: '10.0.0.9', details: { n: i } });
    await s.stores.events.drain();
    await s.db.close();
    db = new pg.Client({ connectionString: store.env.DATABASE_URL });
    await db.connect();
    original = await rows();
  });
  afterAll(async () => {
    await db?.end();
    await store?.dispose();
  });

  it('writes keyed (k1.) hashes; an untouched chain verifies, also against its anchor', async () => {
    expect(original).toHaveLength(12);
    for (const r of original) expect(r.hash).toMatch(/^k1\.[0-9a-f]{64}$/);
    const a = await gatehouse(store.env, 'audit', 'anchor');
    expect(a).toMatchObject({ code: 0, out: `${original[11]!.id}:${original[11]!.hash}` });
    anchor = a.out;
    const v = await gatehouse(store.env, 'audit', 'verify', '--anchor', anchor, '--json');
    expect(v.code).toBe(0);
    expect(JSON.parse(v.out)).toMatchObject({ ok: true, checked: 12, broken_at: null, anchor });
  });

  it('detects a row edited and the whole chain recomputed with plain SHA-256', async () => {
    await superuser(async () => {
      await db.query(`UPDATE security_events SET outcome = 'success', details = '{"n": 999}' WHERE id = $1`, [original[4]!.id]);
      let prev: string | null = null;
      for (const r of await rows()) {
        const hash = legacyHash(prev, { at: r.at, type: r.type, outcome: r.outcome, subject: r.subject, clientId: r.client_id, ip: r.ip, details: r.details });
        await db.query('UPDATE security_events SET prev_hash = $1, hash = $2 WHERE id = $3', [prev, hash, r.id]);
        prev = hash;
      }
    });
    const v = await gatehouse(store.env, 'audit', 'verify');
    expect(v.code).toBe(1);
    expect(v.out).toMatch(new RegExp(`BROKEN at event ${original[0]!.id} .*unkeyed hash.*without the audit key`));
    // Even if the attacker also moves the legacy boundary, the anchor catches the rewrite.
    await superuser(async () => {
      await db.query('UPDATE audit_chain_state SET legacy_until = 1000000');
    });
    expect((await gatehouse(store.env, 'audit', 'verify')).code).toBe(0);
    const anchored = await gatehouse(store.env, 'audit', 'verify', '--anchor', anchor);
    expect(anchored.code).toBe(1);
    expect(anchored.out).toMatch(/no longer has the anchored hash: the log was rewritten/);
    await superuser(async () => {
      await db.query('UPDATE audit_chain_state SET legacy_until = 0');
    });
    await restore(original);
    expect((await gatehouse(store.env, 'audit', 'verify', '--anchor', anchor)).code).toBe(0);
  });

  it('detects a row edited and re-hashed in the keyed format without the key', async () => {
    await superuser(async () => {
      await db.query(`UPDATE security_events SET subject = 'someone-else', hash = 'k1.' || repeat('0', 64) WHERE id = $1`, [original[11]!.id]);
    });
    const v = await gatehouse(store.env, 'audit', 'verify', '--json');
    expect(v.code).toBe(1);
    expect(JSON.parse(v.out)).toMatchObject({ ok: false, broken_at: original[11]!.id, reason: expect.stringMatching(/does not match its hash/) });
    await restore(original);
  });

  it('detects the newest events deleted, given an anchor taken before', async () => {
    await superuser(async () => {
      await db.query('DELETE FROM security_events WHERE id > $1', [original[8]!.id]);
    });
    // The chain that is left is consistent: without an anchor nothing shows.
    expect((await gatehouse(store.env, 'audit', 'verify')).code).toBe(0);
    const v = await gatehouse(store.env, 'audit', 'verify', '--anchor', anchor);
    expect(v.code).toBe(1);
    expect(v.out).toMatch(new RegExp(`no longer contains the anchored event ${original[11]!.id}: events were deleted from its end`));
    await restore(original);
  });

  it('still verifies rows written before the keyed chain, up to the boundary the migration recorded', async () => {
    // An upgraded installation: the first five rows were chained with plain SHA-256.
    const key = auditChainKey(store.env.GATEHOUSE_SECRET!);
    await superuser(async () => {
      let prev: string | null = null;
      for (const [i, r] of (await rows()).entries()) {
        const content = { at: r.at, type: r.type, outcome: r.outcome, subject: r.subject, clientId: r.client_id, ip: r.ip, details: r.details };
        const hash: string = i < 5 ? legacyHash(prev, content) : keyedHash(key, prev, content);
        await db.query('UPDATE security_events SET prev_hash = $1, hash = $2 WHERE id = $3', [prev, hash, r.id]);
        prev = hash;
      }
      await db.query('UPDATE audit_chain_state SET legacy_until = $1', [original[4]!.id]);
    });
    expect(JSON.parse((await gatehouse(store.env, 'audit', 'verify', '--json')).out)).toMatchObject({ ok: true, checked: 12 });
    // One more unkeyed row than the boundary allows.
    await superuser(async () => {
      await db.query('UPDATE audit_chain_state SET legacy_until = $1', [original[3]!.id]);
    });
    const v = await gatehouse(store.env, 'audit', 'verify');
    expect(v.code).toBe(1);
    expect(v.out).toMatch(new RegExp(`BROKEN at event ${original[4]!.id} .*unkeyed hash`));
    await superuser(async () => {
      await db.query('UPDATE audit_chain_state SET legacy_until = 0');
    });
    await restore(original);
    expect((await gatehouse(store.env, 'audit', 'verify', '--anchor', anchor)).code).toBe(0);
  });

  it('rejects a malformed anchor with a usage error', async () => {
    const v = await gatehouse(store.env, 'audit', 'verify', '--anchor', 'not-an-anchor');
    expect(v.code).toBe(2);
    expect(v.err).toMatch(/--anchor takes ID:HASH/);
  });
});
