// Password hashes imported from other systems, verified until the user's
// next successful login rehashes them with argon2id (user-store.ts).
//   bcrypt:  $2a$ / $2b$ / $2y$ (OpenBSD format)
//   PBKDF2:  Django "pbkdf2_sha256$<iter>$<salt>$<b64>" and passlib
//            "$pbkdf2-sha256$<iter>$<ab64 salt>$<ab64 hash>" (also sha1/sha512)
import { pbkdf2, timingSafeEqual } from 'node:crypto';
import { promisify } from 'node:util';
import bcrypt from 'bcryptjs';

const pbkdf2Async = promisify(pbkdf2);
const DIGESTS: Record<string, string> = { sha1: 'sha1', sha256: 'sha256', sha512: 'sha512' };
const MAX_ITERATIONS = 10_000_000; // refuse absurd work factors from imported data

export type LegacyKind = 'bcrypt' | 'pbkdf2';

interface Pbkdf2Params { digest: string; iterations: number; salt: Buffer; expected: Buffer }

const ab64 = (s: string) => Buffer.from(s.replace(/\./g, '+'), 'base64');

function parsePbkdf2(hash: string): Pbkdf2Params | null {
  let m = /^pbkdf2_(sha1|sha256|sha512)\$(\d+)\$([^$]+)\$([A-Za-z0-9+/=]+)$/.exec(hash); // Django
  if (m) return { digest: DIGESTS[m[1]!]!, iterations: Number(m[2]), salt: Buffer.from(m[3]!, 'utf8'), expected: Buffer.from(m[4]!, 'base64') };
  m = /^\$pbkdf2(?:-(sha256|sha512))?\$(\d+)\$([A-Za-z0-9./]+)\$([A-Za-z0-9./]+)$/.exec(hash); // passlib
  if (m) return { digest: DIGESTS[m[1] ?? 'sha1']!, iterations: Number(m[2]), salt: ab64(m[3]!), expected: ab64(m[4]!) };
  return null;
}

export function legacyKind(hash: string): LegacyKind | null {
  if (/^\$2[aby]\$\d{2}\$[./A-Za-z0-9]{53}$/.test(hash)) return 'bcrypt';
  const p = parsePbkdf2(hash);
  return p && p.iterations > 0 && p.iterations <= MAX_ITERATIONS && p.expected.length >= 16 ? 'pbkdf2' : null;
}

export async function verifyLegacy(hash: string, password: string): Promise<boolean> {
  const kind = legacyKind(hash);
  if (kind === 'bcrypt') return bcrypt.compare(password, hash);
  if (kind === 'pbkdf2') {
    const p = parsePbkdf2(hash)!;
    const actual = await pbkdf2Async(password, p.salt, p.iterations, p.expected.length, p.digest);
    return timingSafeEqual(actual, p.expected);
  }
  return false;
}
