import type { PrismaClient } from '../db/database.js';
import { dummyHash, hashPassword, verifyPassword } from './password.js';

export interface User {
  id: string;
  email: string;
  emailVerified: boolean;
  name: string | null;
  givenName: string | null;
  familyName: string | null;
  roles: string[];
  disabled: boolean;
  createdAt: Date;
}

export interface NewUser {
  email: string;
  password: string;
  name?: string | undefined;
  givenName?: string | undefined;
  familyName?: string | undefined;
  emailVerified?: boolean | undefined;
  roles?: string[] | undefined;
}

export class DuplicateEmailError extends Error {}

const normaliseEmail = (email: string) => email.trim().toLowerCase();

const SELECT = {
  id: true, email: true, emailVerified: true, name: true, givenName: true,
  familyName: true, roles: true, disabled: true, createdAt: true,
} as const;

export type UserStore = ReturnType<typeof createUserStore>;

export function createUserStore(prisma: PrismaClient) {
  return {
    async create(input: NewUser): Promise<User> {
      const email = normaliseEmail(input.email);
      const passwordHash = await hashPassword(input.password);
      try {
        return await prisma.user.create({
          data: {
            email, passwordHash, name: input.name ?? null, givenName: input.givenName ?? null,
            familyName: input.familyName ?? null, emailVerified: input.emailVerified ?? false,
            roles: input.roles ?? [],
          },
          select: SELECT,
        });
      } catch (err) {
        if ((err as { code?: string }).code === 'P2002') throw new DuplicateEmailError(`a user with email ${email} already exists`);
        throw err;
      }
    },

    findById(id: string): Promise<User | null> {
      // Account ids come from cookies and tokens: reject non-UUIDs before the query.
      if (!/^[0-9a-f-]{36}$/i.test(id)) return Promise.resolve(null);
      return prisma.user.findUnique({ where: { id }, select: SELECT });
    },

    findByEmail(email: string): Promise<User | null> {
      return prisma.user.findUnique({ where: { email: normaliseEmail(email) }, select: SELECT });
    },

    list(): Promise<User[]> {
      return prisma.user.findMany({ select: SELECT, orderBy: { createdAt: 'asc' } });
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
      const { passwordHash: _, updatedAt: __, ...user } = row;
      return user;
    },
  };
}
