// Failure counters in the database, so every instance sees the same locks.
// Only failures write; checks are cached per key for a second so the happy
// path costs at most one read per key per second per instance.
import type { PrismaClient } from '../db/database.js';
import { lockSeconds, type ThrottleRule } from './throttle-policy.js';

export type ThrottleStore = ReturnType<typeof createThrottleStore>;

const clean = (key: string) => key.replace(/\u0000/g, '').slice(0, 512);

export function createThrottleStore(prisma: PrismaClient) {
  const cache = new Map<string, { until: number; checkedAt: number }>();
  const remember = (key: string, until: number) => {
    if (cache.size > 10_000) cache.clear();
    cache.set(key, { until, checkedAt: Date.now() });
  };

  return {
    /** Seconds the key stays locked (0 when not locked). */
    async lockedFor(rawKey: string): Promise<number> {
      const key = clean(rawKey);
      const now = Date.now();
      let hit = cache.get(key);
      if (!hit || now - hit.checkedAt > 1000 || hit.checkedAt > now) {
        const row = await prisma.throttle.findUnique({ where: { key }, select: { lockedUntil: true } });
        remember(key, row?.lockedUntil?.getTime() ?? 0);
        hit = cache.get(key)!;
      }
      return Math.max(0, Math.ceil((hit.until - now) / 1000));
    },

    /** Counts a failure; returns the lock it triggers in seconds (0 if none). */
    async fail(rawKey: string, rule: ThrottleRule): Promise<number> {
      const key = clean(rawKey);
      const now = new Date();
      const windowStart = new Date(now.getTime() - rule.windowSeconds * 1000);
      // One atomic upsert: concurrent failures never lose a count.
      const [row] = await prisma.$queryRaw<{ failures: number; locked_until: Date | null }[]>`
        INSERT INTO throttles (key, failures, window_start) VALUES (${key}, 1, ${now})
        ON CONFLICT (key) DO UPDATE SET
          failures = CASE WHEN throttles.window_start < ${windowStart} THEN 1 ELSE throttles.failures + 1 END,
          window_start = CASE WHEN throttles.window_start < ${windowStart} THEN ${now} ELSE throttles.window_start END
        RETURNING failures, locked_until`;
      const lock = lockSeconds(rule, row!.failures);
      let until = row!.locked_until?.getTime() ?? 0;
      if (lock) {
        until = now.getTime() + lock * 1000;
        await prisma.throttle.update({ where: { key }, data: { lockedUntil: new Date(until) } });
      }
      remember(key, until);
      return lock;
    },

    async reset(rawKey: string): Promise<void> {
      const key = clean(rawKey);
      cache.delete(key);
      await prisma.throttle.deleteMany({ where: { key } });
    },
  };
}
