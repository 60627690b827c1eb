// Signing keys for id_tokens and JWT access tokens. Generated on first start
// (RS256: OpenID Connect Core §15.1 makes it mandatory to implement; ES256 for
// clients that ask for it), stored with the private part sealed by SecretBox,
// rotated by maintain() following rotation-policy.ts.
import { createPrivateKey, createPublicKey, generateKeyPairSync, randomBytes, type JsonWebKey } from 'node:crypto';
import type { JWK } from 'jose';
import type { PrismaClient } from '../db/database.js';
import type { SecretBox } from '../crypto/secret-box.js';
import { dueForActivation, dueForRemoval, dueForRotation, type RotationPolicy } from './rotation-policy.js';

export type PrivateJwk = JsonWebKey & { kid: string; alg: string; use: 'sig' };

export const ALGORITHMS = ['RS256', 'ES256'] as const;
const KEY_LOCK = 72_707_002;
/**
 * NOTIFY channel for key changes: every instance LISTENs (main.ts) and reloads
 * its keys at once instead of at its next KEY_CHECK_INTERVAL_SECONDS check.
 * Sent inside the changing transaction, so it is delivered on commit only.
 */
export const KEY_CHANNEL = 'gatehouse_keys';
const ORDER = { active: 0, next: 1, retired: 2 } as Record<string, number>;

export function generateSigningKey(alg: string): PrivateJwk {
  const pair = alg === 'RS256'
    ? generateKeyPairSync('rsa', { modulusLength: 2048 })
    : generateKeyPairSync('ec', { namedCurve: 'P-256' });
  return { ...pair.privateKey.export({ format: 'jwk' }), kid: randomBytes(12).toString('base64url'), alg, use: 'sig' };
}

/** The public halves, for verifying Gatehouse's own tokens in-process. */
export function publicJwks(jwks: PrivateJwk[]): JWK[] {
  return jwks.map(({ kid, alg, use, ...jwk }) => ({
    ...(createPublicKey(createPrivateKey({ key: jwk, format: 'jwk' })).export({ format: 'jwk' }) as JWK), kid, alg, use,
  }));
}

export type KeyStore = ReturnType<typeof createKeyStore>;
type Tx = Parameters<Parameters<PrismaClient['$transaction']>[0]>[0];

export function createKeyStore(prisma: PrismaClient, box: SecretBox, policy: RotationPolicy) {
  const insert = (tx: Tx, alg: string, status: string, activatesAt: Date) => {
    const jwk = generateSigningKey(alg);
    return tx.signingKey.create({ data: { kid: jwk.kid, alg, status, activatesAt, privateJwk: box.seal(JSON.stringify(jwk)) } });
  };
  const notify = (tx: Tx) => tx.$executeRaw`SELECT pg_notify(${KEY_CHANNEL}, '')`;
  // Key changes from concurrent instances serialise on one advisory lock.
  const locked = <T>(fn: (tx: Tx) => Promise<T>) =>
    prisma.$transaction(async (tx) => {
      await tx.$executeRaw`SELECT pg_advisory_xact_lock(${KEY_LOCK})`;
      return fn(tx);
    });

  /** Published keys; oidc-provider signs with the first of each alg, so active keys come first. */
  async function loadPublished(): Promise<PrivateJwk[]> {
    const rows = await prisma.signingKey.findMany({ orderBy: [{ activatesAt: 'desc' }, { kid: 'asc' }] });
    rows.sort((a, b) => (ORDER[a.status]! - ORDER[b.status]!) || ALGORITHMS.indexOf(a.alg as never) - ALGORITHMS.indexOf(b.alg as never));
    return rows.map((r) => {
      const jwk = JSON.parse(box.open(r.privateJwk)) as PrivateJwk;
      // RFC 7517 §4.3: only active keys may sign; next/retired ones verify.
      return r.status === 'active' ? jwk : { ...jwk, key_ops: ['verify'] };
    });
  }

  async function maintain(now = Date.now()): Promise<void> {
    await locked(async (tx) => {
      const rows = await tx.signingKey.findMany();
      let changed = false;
      for (const alg of ALGORITHMS) {
        const mine = rows.filter((r) => r.alg === alg);
        const active = mine.find((r) => r.status === 'active');
        let next = mine.find((r) => r.status === 'next');
        if (!active) {
          await insert(tx, alg, 'active', new Date(now));
          changed = true;
        } else if (!next && dueForRotation(policy, active, now)) {
          next = await insert(tx, alg, 'next', new Date(now + policy.publishAheadSeconds * 1000));
          changed = true;
        }
        if (active && next && dueForActivation(next, now)) {
          await tx.signingKey.update({ where: { kid: active.kid }, data: { status: 'retired', retiredAt: new Date(now) } });
          await tx.signingKey.update({ where: { kid: next.kid }, data: { status: 'active' } });
          changed = true;
        }
        for (const r of mine) {
          if (r.status !== 'retired' || !dueForRemoval(policy, r, now)) continue;
          await tx.signingKey.delete({ where: { kid: r.kid } });
          changed = true;
        }
      }
      if (changed) await notify(tx);
    });
  }

  return {
    loadPublished,
    maintain,
    /** Creates missing keys, applies due transitions, returns the published set. */
    async ensureKeys(): Promise<PrivateJwk[]> {
      await maintain();
      return loadPublished();
    },
    /**
     * Stages a new key per algorithm, published now and signing after the
     * policy's publish-ahead time; `immediately` (after a suspected leak)
     * switches at once, keeping the old key published for verification.
     */
    async rotate(immediately = false, now = Date.now()): Promise<string[]> {
      const staged = await locked(async (tx) => {
        await tx.signingKey.deleteMany({ where: { status: 'next' } });
        const at = new Date(now + (immediately ? 0 : policy.publishAheadSeconds * 1000));
        const kids = [];
        for (const alg of ALGORITHMS) kids.push((await insert(tx, alg, 'next', at)).kid);
        await notify(tx);
        return kids;
      });
      if (immediately) await maintain(now);
      return staged;
    },
    list() {
      return prisma.signingKey.findMany({
        select: { kid: true, alg: true, status: true, createdAt: true, activatesAt: true, retiredAt: true },
        orderBy: [{ alg: 'asc' }, { activatesAt: 'asc' }],
      });
    },
  };
}
