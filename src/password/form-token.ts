// The password pages' CSRF (interaction/page-csrf.ts) and the sign-in a
// reset started from.
import type { Context } from 'koa';
import type { Csrf } from '../interaction/csrf.js';
import { pageCsrf } from '../interaction/page-csrf.js';

/** CSRF for /password/forgot and /password/reset: no session exists there. */
export const passwordForms = (csrf: Csrf) => pageCsrf(csrf, { cookie: 'gatehouse.password-form', path: '/password', purpose: 'password-form' });

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
