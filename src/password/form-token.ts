// CSRF tokens for the forms outside a sign-in (/password/forgot,
// /password/reset): no session exists there, so the token is bound to a
// random id in a cookie of this browser (double-submit, OWASP CSRF Prevention
// Cheat Sheet, "signed double-submit cookie": the token is an HMAC of the id
// under the server's CSRF key, interaction/csrf.ts). Forms inside a sign-in
// use the interaction uid, as the login page does.
import { randomBytes } from 'node:crypto';
import type { Context } from 'koa';
import type { Csrf } from '../interaction/csrf.js';

const COOKIE = 'gatehouse.password-form';
const subject = (id: string) => `password-form:${id}`;

export function formToken(ctx: Context, csrf: Csrf): string {
  let id = ctx.cookies.get(COOKIE);
  if (!id || !/^[\w-]{22}$/.test(id)) {
    id = randomBytes(16).toString('base64url');
    ctx.cookies.set(COOKIE, id, { httpOnly: true, sameSite: 'lax', path: '/password', secure: ctx.secure, overwrite: true });
  }
  return csrf.token(subject(id));
}

export function formTokenValid(ctx: Context, csrf: Csrf): boolean {
  const id = ctx.cookies.get(COOKIE);
  return Boolean(id) && csrf.verify(subject(id!), (ctx.request.body as Record<string, unknown> | undefined)?._csrf);
}

// The sign-in a reset started from, so the "password changed" page can lead
// back to it when it is still alive in this browser. Signed (the app's cookie
// keys); it only ever names an interaction uid.
const RETURN_COOKIE = 'gatehouse.reset-return';

export function rememberSignIn(ctx: Context, uid: string, seconds: number): void {
  ctx.cookies.set(RETURN_COOKIE, uid, { httpOnly: true, sameSite: 'lax', path: '/password', secure: ctx.secure, signed: true, maxAge: seconds * 1000, overwrite: true });
}

/** The remembered uid (and forgets it: the reset is done). */
export function takeSignIn(ctx: Context): string | null {
  const uid = ctx.cookies.get(RETURN_COOKIE, { signed: true });
  ctx.cookies.set(RETURN_COOKIE, null, { path: '/password', signed: true, overwrite: true });
  return uid && /^[\w-]{1,64}$/.test(uid) ? uid : null;
}
