// Contract of the audit log's two modules (docs/architecture.md, "One owner
// per table"): the write queue (src/security/security-events.ts) and the
// reader (src/security/audit-log.ts), every statement, on PostgreSQL and
// embedded PGlite alike.
import { beforeAll, expect, it } from 'vitest';
import { auditChainKey } from '../../../src/security/audit-chain.js';
import { createAuditLog, type AuditLog } from '../../../src/security/audit-log.js';
import { createSecurityEvents, type SecurityEvents } from '../../../src/security/security-events.js';
import { forEachBackend } from '../../helpers/backends.js';

forEachBackend('security events contract', (ctx) => {
  let events: SecurityEvents;
  let log: AuditLog;
  const open = () => {
    events = createSecurityEvents(ctx.db.transaction, { chainKey: auditChainKey(ctx.secret) });
    log = createAuditLog(ctx.db.prisma, auditChainKey(ctx.secret));
  };

  beforeAll(open);

  it('appends concurrent events to one unbroken chain', async () => {
    expect(await log.head()).toBeNull();
    await Promise.all(Array.from({ length: 25 }, (_, i) =>
      events.record({ type: i % 5 ? 'login' : 'token.revoked', outcome: 'success', subject: `u-${i}`, clientId: 'c', ip: '192.0.2.1', details: { i } })));
    await events.drain();
    expect(await log.verify()).toMatchObject({ ok: true, checked: 25 });
    const head = await log.head();
    expect(head).not.toBeNull();
    expect(await log.verify(head!)).toMatchObject({ ok: true });
    expect((await log.verify({ id: head!.id, hash: 'k1.not-the-hash' })).ok).toBe(false);
  });

  it('stores attacker-supplied values without NUL', async () => {
    await events.record({ type: 'login', outcome: 'failure', subject: 'ev\u0000il@example.com', details: { 'k\u0000': 'v\u0000' } });
    const [last] = await log.list('login', 1);
    expect(last).toMatchObject({ subject: 'evil@example.com', outcome: 'failure', details: { k: 'v' } });
  });

  it('lists and pages newest first, by type and below a cursor', async () => {
    const all = await log.list(undefined, 1000);
    expect(all).toHaveLength(26);
    const ids = all.map((e) => e.id);
    expect(ids).toEqual([...ids].sort((a, b) => (a > b ? -1 : a < b ? 1 : 0)));
    expect((await log.list('token.revoked')).map((e) => e.type)).toEqual(Array(5).fill('token.revoked'));
    const first = await log.page({ type: 'login', limit: 10 });
    const next = await log.page({ type: 'login', limit: 100, before: first[first.length - 1]!.id });
    expect(first).toHaveLength(10);
    expect(next).toHaveLength(11);
    expect(next.every((e) => e.id < first[9]!.id && e.type === 'login')).toBe(true);
  });

  it('keeps the chain across a restart of the store', async () => {
    const head = await log.head();
    await ctx.reopen();
    open();
    expect(await log.verify(head!)).toMatchObject({ ok: true, checked: 26 });
  });
});
