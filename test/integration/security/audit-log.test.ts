// The audit log is append-only and hash-chained; `gatehouse audit verify`
// detects a modified row. Runs on both backends.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../../src/config.js';
import { compose, type Composition as Services } from '../../../src/main.js';
import { createLogger } from '../../../src/http/logger.js';
import { runCli } from '../../../src/cli/index.js';
import { BACKENDS, createTestStore, type TestStore } from '../../helpers/databases.js';

describe.each(BACKENDS)('audit log on %s', (backend) => {
  let store: TestStore;
  let s: Services;
  const cli = async (...argv: string[]) => {
    await s.db.close(); // the embedded store admits one process at a time
    const out: string[] = [];
    const code = await runCli(argv, { out: (t) => out.push(t), err: (t) => out.push(t), env: store.env });
    s = await compose(loadConfig(store.env), createLogger('silent'));
    return { code, out };
  };

  beforeAll(async () => {
    store = await createTestStore(backend);
    s = await compose(loadConfig(store.env), createLogger('silent'));
  });
  afterAll(async () => {
    await s?.db.close();
    await store?.dispose();
  });

  it('chains concurrent events and verifies them', async () => {
    await Promise.all(Array.from({ length: 50 }, (_, i) =>
      s.stores.events.record({ type: 'login', outcome: i % 2 ? 'success' : 'failure', subject: `u${i}`, clientId: 'c', ip: '10.0.0.1', details: { n: i, nested: { b: 1, a: [1, 'x'] } } })));
    const rows = await s.db.prisma.securityEvent.findMany({ orderBy: { id: 'asc' } });
    expect(rows).toHaveLength(50);
    expect(rows[0]!.prevHash).toBeNull();
    for (let i = 1; i < rows.length; i++) expect(rows[i]!.prevHash).toBe(rows[i - 1]!.hash);
    expect(await s.stores.auditLog.verify()).toEqual({ ok: true, checked: 50 });
    const r = await cli('audit', 'verify', '--json');
    expect(r.code).toBe(0);
    expect(JSON.parse(r.out[0]!)).toEqual({ ok: true, checked: 50, broken_at: null, reason: null, anchor: null });
  });

  it('refuses updates and deletes at the database level', async () => {
    await expect(s.db.sql.exec(`UPDATE security_events SET outcome = 'success'`)).rejects.toThrow(/append-only/);
    await expect(s.db.sql.exec(`DELETE FROM security_events`)).rejects.toThrow(/append-only/);
  });

  it('detects a row modified behind its back (trigger disabled by a DB owner)', async () => {
    const target = (await s.db.prisma.securityEvent.findMany({ orderBy: { id: 'asc' }, skip: 20, take: 1 }))[0]!;
    await s.db.sql.exec(`ALTER TABLE security_events DISABLE TRIGGER security_events_no_update_delete;
      UPDATE security_events SET outcome = 'success', details = '{"n": 999}' WHERE id = ${target.id};
      ALTER TABLE security_events ENABLE TRIGGER security_events_no_update_delete;`);
    expect(await s.stores.auditLog.verify()).toEqual({ ok: false, checked: 20, brokenAt: target.id, reason: `event ${target.id} does not match its hash: the row was modified (or GATEHOUSE_SECRET changed)` });
    const r = await cli('audit', 'verify');
    expect(r.code).toBe(1);
    expect(r.out.join('\n')).toMatch(new RegExp(`BROKEN at event ${target.id}`));
  });

  it('tails the newest events as JSON lines', async () => {
    const r = await cli('audit', 'tail', '-n', '3', '--json');
    expect(r.code).toBe(0);
    const lines = r.out.map((l) => JSON.parse(l));
    expect(lines).toHaveLength(3);
    expect(Number(lines[2].id)).toBeGreaterThan(Number(lines[0].id));
    expect(lines[0]).toMatchObject({ type: 'login', client_id: 'c' });
  });
});
