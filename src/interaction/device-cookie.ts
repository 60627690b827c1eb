// OWASP device cookies (Authentication Cheat Sheet, "Device cookies"): after a
// successful sign-in the browser gets a signed cookie naming the account (a
// hash of its normalised email, not the email) and a random device id. Signed
// with the app's cookie keys (Koa keygrip HMAC), so it cannot be forged; only
// someone who knew the password once can hold one. Up to MAX_ENTRIES accounts
// per browser, most recent first. HttpOnly, SameSite=Lax, path /interaction.
import { createHash } from 'node:crypto';
import type { Context } from 'koa';
import { normaliseEmail } from '../users/user-store.js';

const COOKIE = 'gatehouse.device';
const MAX_ENTRIES = 5;
const MAX_AGE_MS = 180 * 86400 * 1000;
const ENTRY = /^[\w-]{22}\.[\w-]{22}$/;

const account = (email: string) => createHash('sha256').update(normaliseEmail(email)).digest('base64url').slice(0, 22);

function entries(ctx: Context): string[] {
  const raw = ctx.cookies.get(COOKIE, { signed: true }) ?? '';
  return raw.split('~').filter((e) => ENTRY.test(e));
}

/** The device id this browser holds for the email, or null. */
export function deviceFor(ctx: Context, email: string): string | null {
  const prefix = `${account(email)}.`;
  return entries(ctx).find((e) => e.startsWith(prefix))?.slice(prefix.length) ?? null;
}

/** Remembers (or refreshes) the device id for the email in this browser. */
export function rememberDevice(ctx: Context, email: string, device: string): void {
  const entry = `${account(email)}.${device}`;
  if (!ENTRY.test(entry)) return;
  const rest = entries(ctx).filter((e) => !e.startsWith(`${account(email)}.`));
  ctx.cookies.set(COOKIE, [entry, ...rest].slice(0, MAX_ENTRIES).join('~'), {
    signed: true, httpOnly: true, sameSite: 'lax', secure: ctx.secure, path: '/interaction', maxAge: MAX_AGE_MS, overwrite: true,
  });
}
