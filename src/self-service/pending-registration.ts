// The registration in progress, kept in the browser that registered (as
// mfa/pending-login.ts keeps a sign-in between factors): sealed (its own
// secret-box purpose), bound to the interaction uid, in an httpOnly
// SameSite=Lax cookie whose path is the interaction's own. When the
// verification link is opened, POST /email/verify adds a second, short-lived
// sealed marker on the same path saying which account this browser has just
// verified; the interaction continues only with both (registration-routes.ts),
// so the new account signs in only in the browser that registered AND opened
// the link, while the interaction is alive.
import type { Context } from 'koa';
import type { SecretBox } from '../crypto/secret-box.js';

export interface PendingRegistration {
  uid: string;
  /** The new account; for an address that already had one, a random id that matches no account. */
  userId: string;
  email: string;
  exp: number;
}

export const REGISTRATION_TTL_MS = 60 * 60 * 1000;
const VERIFIED_TTL_MS = 5 * 60 * 1000;
const PENDING = 'gatehouse.registration';
const VERIFIED = 'gatehouse.registration_verified';
const path = (uid: string) => `/interaction/${uid}`;

export type PendingRegistrations = ReturnType<typeof createPendingRegistrations>;

export function createPendingRegistrations(box: SecretBox) {
  const write = (ctx: Context, name: string, value: { uid: string; userId: string; exp: number }) =>
    ctx.cookies.set(name, box.seal(JSON.stringify({ kind: name, ...value })), {
      httpOnly: true, sameSite: 'lax', secure: ctx.secure, path: path(value.uid), signed: false, overwrite: true, expires: new Date(value.exp),
    });
  const read = <T extends { uid: string; userId: string; exp: number }>(ctx: Context, name: string, uid: string): T | null => {
    const raw = ctx.cookies.get(name, { signed: false });
    if (!raw) return null;
    try {
      const s = JSON.parse(box.open(raw)) as T & { kind?: string };
      return s.kind === name && s.uid === uid && typeof s.userId === 'string' && s.exp > Date.now() ? s : null;
    } catch {
      return null;
    }
  };
  const clear = (ctx: Context, name: string, uid: string) =>
    ctx.cookies.set(name, null, { path: path(uid), signed: false, httpOnly: true, sameSite: 'lax', secure: ctx.secure });
  return {
    start(ctx: Context, state: Omit<PendingRegistration, 'exp'>): void {
      write(ctx, PENDING, { ...state, exp: Date.now() + REGISTRATION_TTL_MS });
    },
    read: (ctx: Context, uid: string) => read<PendingRegistration>(ctx, PENDING, uid),
    /** Set by POST /email/verify in the browser that opened the link. */
    markVerified(ctx: Context, uid: string, userId: string): void {
      write(ctx, VERIFIED, { uid, userId, exp: Date.now() + VERIFIED_TTL_MS });
    },
    verified: (ctx: Context, uid: string) => read<{ uid: string; userId: string; exp: number }>(ctx, VERIFIED, uid),
    clear(ctx: Context, uid: string): void {
      clear(ctx, PENDING, uid);
      clear(ctx, VERIFIED, uid);
    },
  };
}
