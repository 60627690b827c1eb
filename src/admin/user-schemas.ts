// Input for managing users, shared by the REST API, the console and the CLI.
import { z } from 'zod';

const email = z.email().max(320);
// OWASP ASVS 2.1.1/2.1.2: at least 8 characters, long passphrases allowed.
export const passwordSchema = z.string().min(8, 'must be at least 8 characters').max(1024);
const role = z.string().regex(/^[a-z][a-z0-9_.:-]{0,63}$/, 'must be a lowercase name (letters, digits, _ . : -)');
const text = z.string().trim().min(1).max(200);

export const userCreateSchema = z
  .object({
    email, password: passwordSchema,
    name: text.optional(), given_name: text.optional(), family_name: text.optional(),
    email_verified: z.boolean().default(false),
    roles: z.array(role).max(20).default([]),
  })
  .strict();

export const userUpdateSchema = z
  .object({
    email, name: text.nullable(), given_name: text.nullable(), family_name: text.nullable(),
    email_verified: z.boolean(), roles: z.array(role).max(20),
  })
  .partial()
  .strict();

/** No password: one is generated and shown once. */
export const passwordResetSchema = z.object({ password: passwordSchema.optional() }).strict();

/**
 * Free text in a list filter (user search, audit type). Control characters
 * (NUL among them) are in no email or event type, and the database refuses
 * NUL: a 400 naming the parameter, not a 500.
 */
export const filterText = (max: number) =>
  z.string().trim().max(max).regex(/^[^\u0000-\u001f\u007f]*$/, 'must not contain control characters');

export const userQuerySchema = z
  .object({
    q: filterText(320).optional(),
    limit: z.coerce.number().int().min(1).max(200).default(50),
    offset: z.coerce.number().int().min(0).default(0),
  })
  .strict();

export type UserCreateInput = z.output<typeof userCreateSchema>;
export type UserUpdateInput = z.output<typeof userUpdateSchema>;
export type UserQueryInput = z.output<typeof userQuerySchema>;
