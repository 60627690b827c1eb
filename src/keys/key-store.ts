// Signing keys for id_tokens and JWT access tokens. Generated on first start
// (RS256: OpenID Connect Core §15.1 makes it mandatory to implement; ES256 for
// clients that ask for it), stored with the private part sealed by SecretBox,
// and read back unchanged on every start so the JWKS is stable.
import { generateKeyPairSync, randomBytes, type JsonWebKey } from 'node:crypto';
import type { PrismaClient } from '../db/database.js';
import type { SecretBox } from '../crypto/secret-box.js';

export type PrivateJwk = JsonWebKey & { kid: string; alg: string; use: 'sig' };

const ALGORITHMS = ['RS256', 'ES256'] as const;
const KEYGEN_LOCK = 72_707_002;

export function generateSigningKey(alg: (typeof ALGORITHMS)[number]): PrivateJwk {
  const pair =
    alg === 'RS256'
      ? generateKeyPairSync('rsa', { modulusLength: 2048 })
      : generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const jwk = pair.privateKey.export({ format: 'jwk' });
  return { ...jwk, kid: randomBytes(12).toString('base64url'), alg, use: 'sig' };
}

export type KeyStore = ReturnType<typeof createKeyStore>;

export function createKeyStore(prisma: PrismaClient, box: SecretBox) {
  async function loadActive(): Promise<PrivateJwk[]> {
    const rows = await prisma.signingKey.findMany({
      where: { status: 'active' },
      orderBy: [{ createdAt: 'desc' }, { kid: 'asc' }],
    });
    const keys = rows.map((r) => JSON.parse(box.open(r.privateJwk)) as PrivateJwk);
    // oidc-provider signs with the first key of an algorithm: RS256 first, newest first.
    return keys.sort((a, b) => ALGORITHMS.indexOf(a.alg as never) - ALGORITHMS.indexOf(b.alg as never));
  }

  return {
    loadActive,
    /** Creates any missing algorithm's key; safe when instances start together. */
    async ensureKeys(): Promise<PrivateJwk[]> {
      await prisma.$transaction(async (tx) => {
        await tx.$executeRaw`SELECT pg_advisory_xact_lock(${KEYGEN_LOCK})`;
        const have = new Set((await tx.signingKey.findMany({ where: { status: 'active' }, select: { alg: true } })).map((k) => k.alg));
        for (const alg of ALGORITHMS) {
          if (have.has(alg)) continue;
          const jwk = generateSigningKey(alg);
          await tx.signingKey.create({ data: { kid: jwk.kid, alg, status: 'active', privateJwk: box.seal(JSON.stringify(jwk)) } });
        }
      });
      return loadActive();
    },
  };
}
