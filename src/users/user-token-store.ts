// The one module that reads and writes user_tokens: the links Gatehouse
// sends by email (verify an address, reset a password, change an address).
// A link's value is 32 random bytes and their HMAC under a key of the
// token's own purpose, so a forged or truncated link is refused without a
// query; the table keeps only a keyed hash of the value. Redeeming is one
// conditional UPDATE (unused, unexpired, same purpose): a link works once,
// however many requests race for it.
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import type { PrismaClient } from '../db/database.js';
import { isUuid, withoutNul } from '../db/storable.js';

export type TokenPurpose = 'verify-email' | 'reset-password' | 'change-email';

export type UserTokenStore = ReturnType<typeof createUserTokenStore>;

export interface IssuedToken {
  /** The value to put in the link (base64url; never stored). */
  token: string;
  expiresAt: Date;
}

export interface RedeemedToken {
  userId: string;
  email: string;
}


export function createUserTokenStore(prisma: PrismaClient, key: string) {
  const mac = (purpose: TokenPurpose, random: string) => createHmac('sha256', key).update(`${purpose}:${random}`).digest('base64url');
  const hash = (token: string) => createHmac('sha256', key).update(`stored:${token}`).digest('base64url');

  /** The token's random part when its signature is valid for the purpose. */
  function signed(purpose: TokenPurpose, token: string): boolean {
    const [random, sig, extra] = token.split('.');
    if (!random || !sig || extra !== undefined || token.length > 200) return false;
    const want = Buffer.from(mac(purpose, random));
    const got = Buffer.from(sig);
    return want.length === got.length && timingSafeEqual(want, got);
  }

  return {
    /**
     * Issues a link for the user. `replace` (default true) voids the user's
     * earlier unused links of the same purpose, so only the newest one works.
     */
    async issue(userId: string, purpose: TokenPurpose, email: string, ttlSeconds: number, { replace = true } = {}): Promise<IssuedToken> {
      const random = randomBytes(32).toString('base64url');
      const token = `${random}.${mac(purpose, random)}`;
      const expiresAt = new Date(Date.now() + ttlSeconds * 1000);
      const create = prisma.userToken.create({ data: { userId, purpose, tokenHash: hash(token), email: withoutNul(email), expiresAt } });
      if (replace) {
        const now = new Date();
        await prisma.$transaction([prisma.userToken.updateMany({ where: { userId, purpose, usedAt: null }, data: { usedAt: now } }), create]);
      } else {
        await create;
      }
      return { token, expiresAt };
    },

    /** Looks a link up without spending it (e.g. to show the reset form); null when invalid, used or expired. */
    async peek(purpose: TokenPurpose, token: string): Promise<RedeemedToken | null> {
      if (!signed(purpose, token)) return null;
      const row = await prisma.userToken.findUnique({ where: { tokenHash: hash(token) } });
      if (!row || row.purpose !== purpose || row.usedAt || row.expiresAt <= new Date()) return null;
      return { userId: row.userId, email: row.email };
    },

    /** Spends a link: the first valid redemption wins; null when invalid, used, expired or of another purpose. */
    async redeem(purpose: TokenPurpose, token: string): Promise<RedeemedToken | null> {
      if (!signed(purpose, token)) return null;
      const tokenHash = hash(token);
      const now = new Date();
      const { count } = await prisma.userToken.updateMany({
        where: { tokenHash, purpose, usedAt: null, expiresAt: { gt: now } }, data: { usedAt: now },
      });
      if (count !== 1) return null;
      const row = await prisma.userToken.findUnique({ where: { tokenHash }, select: { userId: true, email: true } });
      return row;
    },

    /** Voids the user's unused links (of one purpose, or all): after a reset, an email change, a disable. */
    async revokeAll(userId: string, purpose?: TokenPurpose): Promise<number> {
      if (!isUuid(userId)) return 0;
      const { count } = await prisma.userToken.updateMany({ where: { userId, usedAt: null, ...(purpose ? { purpose } : {}) }, data: { usedAt: new Date() } });
      return count;
    },

    /** Deletes links that expired before `before` (housekeeping). */
    async sweep(before: Date): Promise<number> {
      return (await prisma.userToken.deleteMany({ where: { expiresAt: { lt: before } } })).count;
    },
  };
}
