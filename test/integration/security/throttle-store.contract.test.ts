// Contract of the throttle store (src/security/throttle-store.ts), every
// statement, on PostgreSQL and embedded PGlite alike.
import { beforeAll, expect, it } from 'vitest';
import { createThrottleStore, type ThrottleStore } from '../../../src/security/throttle-store.js';
import { forEachBackend } from '../../helpers/backends.js';

const RULE = { maxFailures: 3, windowSeconds: 60, baseLockSeconds: 30, maxLockSeconds: 100 };

forEachBackend('throttle store contract', (ctx) => {
  let throttle: ThrottleStore;
  const failures = async (key: string) =>
    (await ctx.db.sql.query<{ failures: number }>('SELECT failures FROM throttles WHERE key = $1', [key]))[0]?.failures;

  beforeAll(() => {
    throttle = createThrottleStore(ctx.db.prisma);
  });

  it('admits attempts up to the limit, locks with the last one, then refuses', async () => {
    expect(await throttle.lockedFor('acct:a')).toBe(0);
    expect(await throttle.attempt('acct:a', RULE)).toEqual({ admitted: true, key: 'acct:a', lockedFor: 0 });
    expect(await throttle.attempt('acct:a', RULE)).toEqual({ admitted: true, key: 'acct:a', lockedFor: 0 });
    const third = await throttle.attempt('acct:a', RULE);
    expect(third).toMatchObject({ admitted: true, key: 'acct:a' });
    expect(third.admitted && third.lockedFor).toBeGreaterThanOrEqual(29);
    const refused = await throttle.attempt('acct:a', RULE);
    expect(refused.admitted).toBe(false);
    expect(!refused.admitted && refused.retryAfter).toBeGreaterThanOrEqual(29);
    expect(await failures('acct:a')).toBe(3);
    expect(await throttle.lockedFor('acct:a')).toBeGreaterThanOrEqual(29);
  });

  it('admits at most the limit when attempts race', async () => {
    const results = await Promise.all(Array.from({ length: 12 }, () => throttle.attempt('acct:race', RULE)));
    expect(results.filter((r) => r.admitted)).toHaveLength(3);
  });

  it('takes back an attempt, lifting the lock it set', async () => {
    await throttle.attempt('acct:u', RULE);
    const first = await throttle.attempt('acct:u', RULE);
    if (!first.admitted) throw new Error('expected an admitted attempt');
    await throttle.undo(first);
    expect(await failures('acct:u')).toBe(1);
    await throttle.attempt('acct:u', RULE);
    const locking = await throttle.attempt('acct:u', RULE);
    if (!locking.admitted) throw new Error('expected an admitted attempt');
    expect(locking.lockedFor).toBeGreaterThan(0);
    await throttle.undo(locking);
    expect(await throttle.lockedFor('acct:u')).toBe(0);
    expect((await throttle.attempt('acct:u', RULE)).admitted).toBe(true);
  });

  it('counts failures, locks from the limit with a doubling, capped lock', async () => {
    expect(await throttle.fail('ip:1', RULE)).toBe(0);
    expect(await throttle.fail('ip:1', RULE)).toBe(0);
    expect(await throttle.fail('ip:1', RULE)).toBe(30);
    expect(await throttle.fail('ip:1', RULE)).toBe(60);
    expect(await throttle.fail('ip:1', RULE)).toBe(100);
    expect(await throttle.lockedFor('ip:1')).toBeGreaterThanOrEqual(99);
    expect(await failures('ip:1')).toBe(5);
  });

  it('resets a key, and stores keys without NUL, at most 512 characters', async () => {
    await throttle.reset('ip:1');
    expect(await throttle.lockedFor('ip:1')).toBe(0);
    expect(await failures('ip:1')).toBeUndefined();
    await throttle.fail(`ip:\u0000${'x'.repeat(600)}`, RULE);
    expect(await failures(`ip:${'x'.repeat(509)}`)).toBe(1);
  });

  it('sweeps only the rows under a prefix whose lock has ended', async () => {
    const once = { maxFailures: 1, windowSeconds: 60, baseLockSeconds: 60, maxLockSeconds: 60 };
    await throttle.attempt('marker:a', once);
    await throttle.attempt('marker:b', once);
    await throttle.attempt('other:c', once);
    expect(await throttle.sweep('marker:')).toBe(0);
    expect(await throttle.sweep('marker:', new Date(Date.now() + 61_000))).toBe(2);
    expect(await failures('marker:a')).toBeUndefined();
    expect(await failures('other:c')).toBe(1);
  });

  it('keeps locks across a restart of the store', async () => {
    const db = await ctx.reopen();
    throttle = createThrottleStore(db.prisma);
    expect(await throttle.lockedFor('acct:a')).toBeGreaterThan(0);
  });
});
