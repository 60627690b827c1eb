// The one module that reads and writes mfa_factors (test/architecture/
// table-owners.test.ts): TOTP authenticators and WebAuthn passkeys. TOTP
// secrets are sealed with their own purpose (crypto/secret-box.ts); the replay
// guard and the passkey signature counter are single conditional UPDATEs, so
// two concurrent uses of one code or assertion cannot both succeed.
import type { PrismaClient } from '../db/database.js';
import type { SecretBox } from '../crypto/secret-box.js';
import { isUuid, withoutNul } from '../db/storable.js';

export type FactorKind = 'totp' | 'passkey';

export interface PasskeyCredential {
  /** base64url credential id and COSE public key (WebAuthn Level 2 §6.5.1). */
  credentialId: string;
  publicKey: string;
  signCount: number;
  transports: string[];
  deviceType: 'singleDevice' | 'multiDevice';
  backedUp: boolean;
  aaguid: string | null;
}

export interface Factor {
  id: string;
  userId: string;
  kind: FactorKind;
  name: string;
  confirmed: boolean;
  createdAt: Date;
  lastUsedAt: Date | null;
  /** Present for passkeys. */
  passkey: PasskeyCredential | null;
}

export type FactorStore = ReturnType<typeof createFactorStore>;


type Row = {
  id: string; userId: string; kind: string; name: string; confirmed: boolean; createdAt: Date; lastUsedAt: Date | null;
  credentialId: string | null; publicKey: string | null; signCount: bigint; transports: string[];
  deviceType: string | null; backedUp: boolean; aaguid: string | null;
};
const SELECT = {
  id: true, userId: true, kind: true, name: true, confirmed: true, createdAt: true, lastUsedAt: true,
  credentialId: true, publicKey: true, signCount: true, transports: true, deviceType: true, backedUp: true, aaguid: true,
} as const;

const fromRow = (r: Row): Factor => ({
  id: r.id, userId: r.userId, kind: r.kind as FactorKind, name: r.name, confirmed: r.confirmed,
  createdAt: r.createdAt, lastUsedAt: r.lastUsedAt,
  passkey: r.kind === 'passkey' && r.credentialId && r.publicKey
    ? {
        credentialId: r.credentialId, publicKey: r.publicKey, signCount: Number(r.signCount), transports: r.transports,
        deviceType: r.deviceType === 'multiDevice' ? 'multiDevice' : 'singleDevice', backedUp: r.backedUp, aaguid: r.aaguid,
      }
    : null,
});

const cleanName = (name: string) => withoutNul(name).trim().slice(0, 100) || 'Unnamed';

export function createFactorStore(prisma: PrismaClient, box: SecretBox) {
  return {
    /** The user's factors, oldest first; pending (unconfirmed) TOTP enrolments only when asked. */
    async list(userId: string, { pending = false } = {}): Promise<Factor[]> {
      if (!isUuid(userId)) return [];
      const rows = await prisma.mfaFactor.findMany({
        where: { userId, ...(pending ? {} : { confirmed: true }) }, select: SELECT, orderBy: [{ createdAt: 'asc' }, { id: 'asc' }],
      });
      return rows.map(fromRow);
    },

    /** Starts a TOTP enrolment; earlier unconfirmed ones of the user are dropped. */
    async addTotp(userId: string, name: string, secret: string): Promise<Factor> {
      const [, row] = await prisma.$transaction([
        prisma.mfaFactor.deleteMany({ where: { userId, kind: 'totp', confirmed: false } }),
        prisma.mfaFactor.create({ data: { userId, kind: 'totp', name: cleanName(name), secretSealed: box.seal(secret) }, select: SELECT }),
      ]);
      return fromRow(row);
    },

    /** The TOTP secret of one of the user's factors (confirmed or pending). */
    async totpSecret(userId: string, factorId: string): Promise<{ secret: string; confirmed: boolean } | null> {
      if (!isUuid(userId) || !isUuid(factorId)) return null;
      const row = await prisma.mfaFactor.findFirst({ where: { id: factorId, userId, kind: 'totp' }, select: { secretSealed: true, confirmed: true } });
      return row?.secretSealed ? { secret: box.open(row.secretSealed), confirmed: row.confirmed } : null;
    },

    /**
     * Accepts the code of RFC 6238 time step `step` once: true only when no
     * code of this or a later step was accepted before (§5.2: "the verifier
     * MUST NOT accept the second attempt of the same OTP"). Confirms a pending factor.
     */
    async acceptTotpStep(userId: string, factorId: string, step: number): Promise<boolean> {
      if (!isUuid(userId) || !isUuid(factorId)) return false;
      const { count } = await prisma.mfaFactor.updateMany({
        where: { id: factorId, userId, kind: 'totp', OR: [{ lastStep: null }, { lastStep: { lt: BigInt(step) } }] },
        data: { lastStep: BigInt(step), lastUsedAt: new Date(), confirmed: true },
      });
      return count === 1;
    },

    async addPasskey(userId: string, name: string, cred: PasskeyCredential): Promise<Factor> {
      const row = await prisma.mfaFactor.create({
        data: {
          userId, kind: 'passkey', name: cleanName(name), confirmed: true, credentialId: cred.credentialId, publicKey: cred.publicKey,
          signCount: BigInt(cred.signCount), transports: cred.transports.map(withoutNul), deviceType: cred.deviceType,
          backedUp: cred.backedUp, aaguid: cred.aaguid,
        },
        select: SELECT,
      });
      return fromRow(row);
    },

    async findPasskey(credentialId: string): Promise<Factor | null> {
      const row = await prisma.mfaFactor.findUnique({ where: { credentialId: withoutNul(credentialId) }, select: SELECT });
      return row && row.kind === 'passkey' ? fromRow(row) : null;
    },

    /**
     * Records a verified assertion. The counter must move forward when the
     * authenticator keeps one (WebAuthn Level 2 §6.1.1, §7.2 step 21); a
     * counter of 0 means none is kept. False when another use won the race.
     */
    async usePasskey(id: string, seenCount: number, newCount: number, backedUp: boolean): Promise<boolean> {
      const { count } = await prisma.mfaFactor.updateMany({
        where: { id, kind: 'passkey', signCount: BigInt(seenCount) },
        data: { signCount: BigInt(newCount), backedUp, lastUsedAt: new Date() },
      });
      return count === 1;
    },

    async rename(userId: string, id: string, name: string): Promise<boolean> {
      if (!isUuid(userId) || !isUuid(id)) return false;
      const { count } = await prisma.mfaFactor.updateMany({ where: { id, userId }, data: { name: cleanName(name) } });
      return count === 1;
    },

    async remove(userId: string, id: string): Promise<Factor | null> {
      if (!isUuid(userId) || !isUuid(id)) return null;
      const row = await prisma.mfaFactor.findFirst({ where: { id, userId }, select: SELECT });
      if (!row) return null;
      const { count } = await prisma.mfaFactor.deleteMany({ where: { id, userId } });
      return count ? fromRow(row) : null;
    },

    /** Removes every factor of the user (admin reset); returns how many. */
    async removeAll(userId: string): Promise<number> {
      if (!isUuid(userId)) return 0;
      return (await prisma.mfaFactor.deleteMany({ where: { userId } })).count;
    },
  };
}
