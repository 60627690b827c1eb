// Input for managing users, shared by the REST API, the console and the CLI.
import { z } from 'zod';

const email = z.email().max(320);
// OWASP ASVS 2.1.1/2.1.2: at least 8 characters, long passphrases allowed.
export const passwordSchema = z.string().min(8, 'must be at least 8 characters').max(1024);
const role = z.string().regex(/^[a-z][a-z0-9_.:-]{0,63}$/, 'must be a lowercase name (letters, digits, _ . : -)');
const text = z.string().trim().min(1).max(200);

// OpenID Connect Core §5.1: phone_number should be E.164 ("+" and up to 15
// digits, no leading 0); an extension may follow as RFC 3966 ";ext=1234".
// Spaces, dots, dashes and parentheses are accepted and removed, so
// "+1 (425) 555-1212" is stored as "+14255551212".
export const phoneNumber = z.string().trim().max(40)
  .transform((v) => v.replace(/[\s().-]/g, ''))
  .refine((v) => /^\+[1-9]\d{1,14}(;ext=\d{1,10})?$/.test(v), 'must be an international number in E.164 form, such as +14255551212');

// No control characters (NUL is rejected earlier, at the input boundary); "formatted" may hold line breaks (§5.1.1).
const line = (max: number) => z.string().trim().min(1).max(max).regex(/^[^\u0000-\u001f\u007f]*$/, 'must not contain control characters');
/** OpenID Connect Core §5.1.1 address: every part optional, at least one given. */
export const addressSchema = z.object({
  formatted: z.string().trim().min(1).max(1000).regex(/^[^\u0000-\u0009\u000b\u000c\u000e-\u001f\u007f]*$/, 'must not contain control characters other than line breaks'),
  street_address: z.string().trim().min(1).max(500).regex(/^[^\u0000-\u0009\u000b\u000c\u000e-\u001f\u007f]*$/, 'must not contain control characters other than line breaks'),
  locality: line(200), region: line(200), postal_code: line(40), country: line(200),
}).partial().strict().refine((a) => Object.keys(a).length > 0, 'give at least one part of the address');

export const userCreateSchema = z
  .object({
    email, password: passwordSchema,
    name: text.optional(), given_name: text.optional(), family_name: text.optional(),
    email_verified: z.boolean().default(false),
    address: addressSchema.optional(), phone_number: phoneNumber.optional(), phone_number_verified: z.boolean().default(false),
    roles: z.array(role).max(20).default([]),
    // The user must sign in with a second factor (src/mfa/mfa-policy.ts).
    mfa_required: z.boolean().default(false),
  })
  .strict();

export const userUpdateSchema = z
  .object({
    email, name: text.nullable(), given_name: text.nullable(), family_name: text.nullable(),
    email_verified: z.boolean(), roles: z.array(role).max(20),
    address: addressSchema.nullable(), phone_number: phoneNumber.nullable(), phone_number_verified: z.boolean(),
    mfa_required: z.boolean(),
  })
  .partial()
  .strict();

/** No password: one is generated and shown once. */
export const passwordResetSchema = z.object({ password: passwordSchema.optional() }).strict();

/**
 * Free text in a list filter (user search, audit type). Control characters
 * are in no email or event type: a 400 naming the parameter. (NUL and invalid
 * UTF-8, which the database refuses, are already rejected at the input
 * boundary, src/http/input-boundary.ts.)
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
