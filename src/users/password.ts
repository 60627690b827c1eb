// Password hashing: argon2id with the OWASP-recommended minimum
// (m=19456 KiB, t=2, p=1; OWASP Password Storage Cheat Sheet).
import argon2 from 'argon2';
import { legacyKind, verifyLegacy } from './legacy-hashes.js';

const OPTIONS = { type: argon2.argon2id, memoryCost: 19456, timeCost: 2, parallelism: 1 } as const;

export function hashPassword(password: string): Promise<string> {
  return argon2.hash(password, OPTIONS);
}

export async function verifyPassword(hash: string, password: string): Promise<boolean> {
  try {
    if (hash.startsWith('$argon2')) return await argon2.verify(hash, password);
    return await verifyLegacy(hash, password);
  } catch {
    return false; // malformed hash: never a match
  }
}

/** True for imported (bcrypt/PBKDF2) hashes and argon2 hashes with old parameters. */
export function needsRehash(hash: string): boolean {
  return !hash.startsWith('$argon2') || argon2.needsRehash(hash, OPTIONS);
}

/** Whether a stored/imported hash is in a format Gatehouse can verify. */
export function isSupportedHash(hash: string): boolean {
  return /^\$argon2(id|i|d)\$/.test(hash) || legacyKind(hash) !== null;
}

// Verified against when the email is unknown, so a miss costs the same time as
// a wrong password and response timing does not reveal which emails exist.
let dummy: Promise<string> | undefined;
export function dummyHash(): Promise<string> {
  dummy ??= hashPassword('gatehouse-timing-equaliser');
  return dummy;
}
