// The one module that reads and writes the users table (test/architecture/
// table-owners.test.ts). Through Prisma, except findById: see BY_ID below.
import { Prisma, type PrismaClient } from '../db/database.js';
import type { RawSql } from '../db/raw-sql.js';
import { dummyHash, hashPassword, isSupportedHash, needsRehash, verifyPassword } from './password.js';
import { isUuid, withoutNul } from '../db/storable.js';

/** OpenID Connect Core §5.1.1 address (all parts optional, as the spec allows). */
export interface Address {
  formatted?: string;
  street_address?: string;
  locality?: string;
  region?: string;
  postal_code?: string;
  country?: string;
}

export interface User {
  id: string;
  email: string;
  emailVerified: boolean;
  name: string | null;
  givenName: string | null;
  familyName: string | null;
  address: Address | null;
  phoneNumber: string | null;
  phoneNumberVerified: boolean;
  roles: string[];
  disabled: boolean;
  /** An admin requires a second factor for this user (src/mfa/mfa-policy.ts). */
  mfaRequired: boolean;
  createdAt: Date;
}

export interface NewUser {
  email: string;
  password: string;
  name?: string | undefined;
  givenName?: string | undefined;
  familyName?: string | undefined;
  emailVerified?: boolean | undefined;
  address?: Address | undefined;
  phoneNumber?: string | undefined;
  phoneNumberVerified?: boolean | undefined;
  roles?: string[] | undefined;
  mfaRequired?: boolean | undefined;
}

export interface UserChanges {
  email?: string | undefined;
  name?: string | null | undefined;
  givenName?: string | null | undefined;
  familyName?: string | null | undefined;
  emailVerified?: boolean | undefined;
  address?: Address | null | undefined;
  phoneNumber?: string | null | undefined;
  phoneNumberVerified?: boolean | undefined;
  roles?: string[] | undefined;
  mfaRequired?: boolean | undefined;
}

export interface UserQuery {
  /** Case-insensitive substring of the email address. */
  q?: string | undefined;
  limit: number;
  offset: number;
}

export class DuplicateEmailError extends Error {}

// NUL cannot be stored (PostgreSQL text) and is never part of an address.
export const normaliseEmail = (email: string) => withoutNul(email.trim().toLowerCase());

const SELECT = {
  id: true, email: true, emailVerified: true, name: true, givenName: true,
  familyName: true, address: true, phoneNumber: true, phoneNumberVerified: true, roles: true, disabled: true, mfaRequired: true, createdAt: true,
} as const;

// Prisma's Json type: a stored address is written by toRow and read back as an Address.
type Row = Omit<User, 'address'> & { address: unknown };
const fromRow = (r: Row): User => ({ ...r, address: (r.address ?? null) as Address | null });
const fromMaybe = (r: Row | null): User | null => (r ? fromRow(r) : null);
// Prisma needs DbNull (not null) to clear a nullable Json column.
const addressData = (a: Address | null | undefined) => (a === undefined ? undefined : a === null ? Prisma.DbNull : (a as Prisma.InputJsonObject));

export type UserStore = ReturnType<typeof createUserStore>;

// PostgreSQL's unique_violation (SQLSTATE 23505): Prisma maps it to P2002 on
// the pg adapter; the PGlite adapter passes the driver's error through as the
// cause (test/integration/users/user-store.contract.test.ts, embedded run).
const uniqueViolation = (err: unknown) =>
  (err as { code?: string }).code === 'P2002' || (err as { cause?: { code?: string } }).cause?.code === '23505';

function duplicateEmail(err: unknown, email: string | undefined): never {
  if (uniqueViolation(err)) throw new DuplicateEmailError(`a user with email ${email} already exists`);
  throw err;
}

// The one raw statement, where a benchmark says so: findById backs
// findAccount on every userinfo, introspection, refresh and code exchange
// ("find account" in the measured token paths of docs/benchmarks.md, where
// leaving Prisma for raw SQL roughly doubled refresh rotation). Everything
// else (admin, sign-in) is off those paths and goes through Prisma.
const BY_ID = `SELECT id, email, email_verified AS "emailVerified", name, given_name AS "givenName",
  family_name AS "familyName", address, phone_number AS "phoneNumber", phone_number_verified AS "phoneNumberVerified",
  roles, disabled, mfa_required AS "mfaRequired", created_at AS "createdAt" FROM users WHERE id = $1`;

export function createUserStore(prisma: PrismaClient, sql: RawSql) {
  async function updateOne(id: string, data: Record<string, unknown>): Promise<User | null> {
    if (!isUuid(id)) return null;
    const { count } = await prisma.user.updateMany({ where: { id }, data });
    return count ? fromMaybe(await prisma.user.findUnique({ where: { id }, select: SELECT })) : null;
  }

  async function insert(input: Omit<NewUser, 'password'>, passwordHash: string): Promise<User> {
    const email = normaliseEmail(input.email);
    try {
      return fromRow(await prisma.user.create({
        data: {
          email, passwordHash, name: input.name ?? null, givenName: input.givenName ?? null,
          familyName: input.familyName ?? null, emailVerified: input.emailVerified ?? false, roles: input.roles ?? [],
          address: addressData(input.address), phoneNumber: input.phoneNumber ?? null, phoneNumberVerified: input.phoneNumberVerified ?? false,
          mfaRequired: input.mfaRequired ?? false,
        },
        select: SELECT,
      }));
    } catch (err) {
      return duplicateEmail(err, email);
    }
  }

  return {
    async create(input: NewUser): Promise<User> {
      return insert(input, await hashPassword(input.password));
    },

    /** Imports a user with a hash from another system (bcrypt, PBKDF2, argon2). */
    async importHashed(input: Omit<NewUser, 'password'> & { passwordHash: string }): Promise<User> {
      if (!isSupportedHash(input.passwordHash)) throw new Error('unsupported password hash format');
      return insert(input, input.passwordHash);
    },

    async findById(id: string): Promise<User | null> {
      if (!isUuid(id)) return null;
      return fromMaybe((await sql.query<Row>(BY_ID, [id]))[0] ?? null);
    },

    /** Whether any user holds the role (first run: src/welcome/first-run.ts asks for the admin role). */
    async anyWithRole(role: string): Promise<boolean> {
      return (await prisma.user.findFirst({ where: { roles: { has: role } }, select: { id: true } })) !== null;
    },

    async findByEmail(email: string): Promise<User | null> {
      return fromMaybe(await prisma.user.findUnique({ where: { email: normaliseEmail(email) }, select: SELECT }));
    },

    async list(query: UserQuery = { limit: 1000, offset: 0 }): Promise<{ items: User[]; total: number }> {
      // Prisma's `contains` is LIKE '%' || q || '%' without escaping: escape
      // LIKE's wildcards (PostgreSQL's default escape is the backslash) so a
      // search for "a_b" does not match "axb".
      const term = query.q?.trim().toLowerCase().replace(/[\\%_]/g, (c) => `\\${c}`);
      const where = term ? { email: { contains: term } } : {};
      const [items, total] = await Promise.all([
        prisma.user.findMany({ where, select: SELECT, orderBy: [{ createdAt: 'asc' }, { id: 'asc' }], take: query.limit, skip: query.offset }),
        prisma.user.count({ where }),
      ]);
      return { items: items.map(fromRow), total };
    },

    async update(id: string, changes: UserChanges): Promise<User | null> {
      const email = changes.email === undefined ? undefined : normaliseEmail(changes.email);
      try {
        return await updateOne(id, { ...changes, email, address: addressData(changes.address) });
      } catch (err) {
        return duplicateEmail(err, email);
      }
    },

    setDisabled(id: string, disabled: boolean): Promise<User | null> {
      return updateOne(id, { disabled });
    },

    setMfaRequired(id: string, mfaRequired: boolean): Promise<User | null> {
      return updateOne(id, { mfaRequired });
    },

    async setPassword(id: string, password: string): Promise<User | null> {
      return updateOne(id, { passwordHash: await hashPassword(password) });
    },

    /** Returns the user only when the password matches and the account is enabled. */
    async authenticate(email: string, password: string): Promise<User | null> {
      const row = await prisma.user.findUnique({ where: { email: normaliseEmail(email) } });
      if (!row) {
        await verifyPassword(await dummyHash(), password);
        return null;
      }
      const ok = await verifyPassword(row.passwordHash, password);
      if (!ok || row.disabled) return null;
      if (needsRehash(row.passwordHash)) {
        // Transparent upgrade of imported or outdated hashes to argon2id. The
        // WHERE on the old hash keeps a concurrent password reset from being overwritten.
        await prisma.user.updateMany({ where: { id: row.id, passwordHash: row.passwordHash }, data: { passwordHash: await hashPassword(password) } });
      }
      const { passwordHash: _, updatedAt: __, ...user } = row;
      return fromRow(user);
    },
  };
}
