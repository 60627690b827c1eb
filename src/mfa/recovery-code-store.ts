// The one module that reads and writes recovery_codes. Codes are stored as
// HMAC-SHA256 under a key of their own (derived from the master secret), so
// a database dump alone does not let anyone test guesses offline. Using a
// code is one conditional UPDATE: a code works exactly once, however many
// requests race for it.
import { createHmac } from 'node:crypto';
import type { PrismaClient } from '../db/database.js';
import { isUuid } from '../db/storable.js';

export type RecoveryCodeStore = ReturnType<typeof createRecoveryCodeStore>;


/** What people type: case, spaces and dashes do not matter. */
export const normaliseRecoveryCode = (code: string) => code.toLowerCase().replace(/[\s-]/g, '');

export function createRecoveryCodeStore(prisma: PrismaClient, key: string) {
  const hash = (code: string) => createHmac('sha256', key).update(normaliseRecoveryCode(code)).digest('base64url');
  const remaining = (userId: string) => prisma.recoveryCode.count({ where: { userId, usedAt: null } });

  return {
    /** Replaces all of the user's codes with these (enrolment, regeneration). */
    async replace(userId: string, codes: string[]): Promise<void> {
      await prisma.$transaction([
        prisma.recoveryCode.deleteMany({ where: { userId } }),
        prisma.recoveryCode.createMany({ data: codes.map((c) => ({ userId, codeHash: hash(c) })) }),
      ]);
    },

    /** Spends a code: `ok` only the first time; `remaining` counts unused codes after it. */
    async use(userId: string, code: string): Promise<{ ok: boolean; remaining: number }> {
      if (!isUuid(userId) || code.length > 64) return { ok: false, remaining: 0 };
      const { count } = await prisma.recoveryCode.updateMany({
        where: { userId, codeHash: hash(code), usedAt: null }, data: { usedAt: new Date() },
      });
      return { ok: count === 1, remaining: await remaining(userId) };
    },

    remaining(userId: string): Promise<number> {
      return isUuid(userId) ? remaining(userId) : Promise.resolve(0);
    },

    async removeAll(userId: string): Promise<number> {
      if (!isUuid(userId)) return 0;
      return (await prisma.recoveryCode.deleteMany({ where: { userId } })).count;
    },
  };
}
