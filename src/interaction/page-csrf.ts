// CSRF for forms outside a sign-in (/email/..., /password/...): no session
// or interaction exists there, so the token is bound to a random value in a
// cookie of this browser, the double-submit pattern (OWASP CSRF Prevention
// Cheat Sheet, "signed double submit cookie"): the value sits in an httpOnly
// SameSite=Lax cookie and the form token is its HMAC (interaction/csrf.ts),
// which another origin can neither read nor compute. Forms inside a sign-in
// bind to the interaction uid instead, as the login page does.
import { randomBytes } from 'node:crypto';
import type { Context } from 'koa';
import type { Csrf } from './csrf.js';

export interface PageCsrfOptions {
  /** Cookie name and path: one pair per group of pages. */
  cookie: string;
  path: string;
  /** Binds the token to this group, so one group's token is refused by another. */
  purpose: string;
}

export type PageCsrf = ReturnType<typeof pageCsrf>;

export function pageCsrf(csrf: Csrf, { cookie, path, purpose }: PageCsrfOptions) {
  const bind = (value: string) => `${purpose}:${value}`;
  return {
    /** The token for this browser's forms (sets the cookie on first use). */
    token(ctx: Context): string {
      let value = ctx.cookies.get(cookie, { signed: false });
      if (!value || !/^[\w-]{22}$/.test(value)) {
        value = randomBytes(16).toString('base64url');
        ctx.cookies.set(cookie, value, { httpOnly: true, sameSite: 'lax', secure: ctx.secure, path, signed: false, overwrite: true });
      }
      return csrf.token(bind(value));
    },
    /** Checks the form's `_csrf` field (or the given value) against this browser's cookie. */
    verify(ctx: Context, given: unknown = (ctx.request.body as Record<string, unknown> | undefined)?._csrf): boolean {
      const value = ctx.cookies.get(cookie, { signed: false });
      return Boolean(value) && csrf.verify(bind(value!), given);
    },
  };
}
