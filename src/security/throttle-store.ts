// Failure counters in the database, so every instance sees the same locks.
// Checks are cached per key for a second; sign-in attempts are counted with
// one atomic statement BEFORE the password is verified (attempt()), so however
// many requests race, at most `maxFailures` of them reach the password check
// per lock period (issue 12: 40 concurrent guesses had 33 checked).
import type { PrismaClient } from '../db/database.js';
import { lockSeconds, type ThrottleRule } from './throttle-policy.js';
import { withoutNul } from '../db/storable.js';

export type ThrottleStore = ReturnType<typeof createThrottleStore>;

/** An admitted attempt; `lockedFor` > 0 when it reached the limit and set the lock itself. */
export type Attempt = { admitted: true; key: string; lockedFor: number } | { admitted: false; retryAfter: number };

const clean = (key: string) => withoutNul(key).slice(0, 512);
const secondsUntil = (until: number, now: number) => Math.max(0, Math.ceil((until - now) / 1000));

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
      return secondsUntil(hit.until, now);
    },

    /**
     * Counts an attempt atomically unless the key is locked. The attempt that
     * reaches the limit sets the lock in the same statement, so no concurrent
     * attempt is admitted after it. Undo with succeeded() when it succeeds.
     */
    async attempt(rawKey: string, rule: ThrottleRule): Promise<Attempt> {
      const key = clean(rawKey);
      const now = new Date();
      const windowStart = new Date(now.getTime() - rule.windowSeconds * 1000);
      const count = `CASE WHEN throttles.window_start < $3 THEN 1 ELSE throttles.failures + 1 END`;
      // lockSeconds() in SQL: base * 2^(count - max), capped; NULL below the limit.
      const lock = (n: string) =>
        `CASE WHEN ${n} >= $4 THEN $2::timestamptz + make_interval(secs => LEAST($6::float8, $5::float8 * power(2, ${n} - $4))) END`;
      const rows = await prisma.$queryRawUnsafe<{ failures: number; locked_until: Date | null }[]>(
        `INSERT INTO throttles (key, failures, window_start, locked_until) VALUES ($1, 1, $2, ${lock('1')})
         ON CONFLICT (key) DO UPDATE SET
           failures = ${count},
           window_start = CASE WHEN throttles.window_start < $3 THEN $2 ELSE throttles.window_start END,
           locked_until = ${lock(count)}
         WHERE throttles.locked_until IS NULL OR throttles.locked_until <= $2
         RETURNING failures, locked_until`,
        key, now, windowStart, rule.maxFailures, rule.baseLockSeconds, rule.maxLockSeconds,
      );
      const row = rows[0];
      if (!row) {
        const current = await prisma.throttle.findUnique({ where: { key }, select: { lockedUntil: true } });
        const until = current?.lockedUntil?.getTime() ?? 0;
        remember(key, until);
        return { admitted: false, retryAfter: Math.max(1, secondsUntil(until, Date.now())) };
      }
      const until = row.locked_until?.getTime() ?? 0;
      remember(key, until);
      return { admitted: true, key, lockedFor: until ? Math.max(1, secondsUntil(until, now.getTime())) : 0 };
    },

    /** Takes back an admitted attempt that turned out not to be a failure. */
    async undo(attempt: Attempt & { admitted: true }): Promise<void> {
      cache.delete(attempt.key);
      await prisma.$executeRawUnsafe(
        `UPDATE throttles SET failures = GREATEST(failures - 1, 0)${attempt.lockedFor ? ', locked_until = NULL' : ''} WHERE key = $1`,
        attempt.key,
      );
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

    /** Deletes the rows under a key prefix whose lock has ended (single-use markers, mfa/passkey-challenge.ts). */
    async sweep(prefix: string, now = new Date()): Promise<number> {
      const { count } = await prisma.throttle.deleteMany({ where: { key: { startsWith: clean(prefix) }, lockedUntil: { lt: now } } });
      return count;
    },

    async reset(rawKey: string): Promise<void> {
      const key = clean(rawKey);
      cache.delete(key);
      await prisma.throttle.deleteMany({ where: { key } });
    },
  };
}
