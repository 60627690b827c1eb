// CSRF for the self-service pages outside an interaction (/email/...): the
// double-submit pattern (OWASP CSRF Prevention Cheat Sheet, "signed double
// submit cookie"): a random value in an httpOnly SameSite=Lax cookie, and the
// form token is its HMAC (interaction/csrf.ts), which another origin can
// neither read nor compute.
import { randomBytes } from 'node:crypto';
import type { Context } from 'koa';
import type { Csrf } from '../interaction/csrf.js';

const COOKIE = 'gatehouse.email_csrf';
const PATH = '/email';

export function pageCsrf(csrf: Csrf) {
  const bind = (value: string) => `email-page:${value}`;
  return {
    /** The token for this browser's forms (sets the cookie on first use). */
    token(ctx: Context): string {
      let value = ctx.cookies.get(COOKIE, { signed: false });
      if (!value || !/^[\w-]{22}$/.test(value)) {
        value = randomBytes(16).toString('base64url');
        ctx.cookies.set(COOKIE, value, { httpOnly: true, sameSite: 'lax', secure: ctx.secure, path: PATH, signed: false, overwrite: true });
      }
      return csrf.token(bind(value));
    },
    verify(ctx: Context, given: unknown): boolean {
      const value = ctx.cookies.get(COOKIE, { signed: false });
      return Boolean(value) && csrf.verify(bind(value!), given);
    },
  };
}
