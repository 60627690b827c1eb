// The console's own session: a sealed (AES-256-GCM) cookie naming the admin
// who signed in through Gatehouse's OIDC login, valid for an hour; after that
// the browser goes through /auth again (silently while the SSO session lasts).
// HttpOnly, SameSite=Lax (Strict would drop it on the redirect back from the
// login pages, RFC 6265bis §8.8.2), path /admin, Secure over HTTPS.
import { randomBytes } from 'node:crypto';
import type { Context } from 'koa';
import type { SecretBox } from '../../crypto/secret-box.js';

export const CONSOLE_SESSION_TTL = 3600;
/** OIDC max_age for console sign-in: the password again after 12 hours. */
export const CONSOLE_MAX_AGE = 12 * 3600;
const LOGIN_TTL = 600;

const SESSION_COOKIE = 'gatehouse.admin';
const LOGIN_COOKIE = 'gatehouse.admin.login';

export interface ConsoleSession {
  sub: string;
  /** Random per sign-in: keys the CSRF tokens of this session. */
  sid: string;
  exp: number;
}

/** What the callback needs to finish the authorization-code flow it started. */
export interface PendingLogin {
  state: string;
  nonce: string;
  verifier: string;
  returnTo: string;
  exp: number;
}

export type ConsoleSessions = ReturnType<typeof createConsoleSessions>;

const now = () => Math.floor(Date.now() / 1000);

export function createConsoleSessions(box: SecretBox) {
  const options = (ctx: Context, maxAgeSeconds: number) => ({
    httpOnly: true, sameSite: 'lax' as const, secure: ctx.secure, path: '/admin', overwrite: true, maxAge: maxAgeSeconds * 1000,
  });
  function read<T extends { exp: number }>(ctx: Context, name: string): T | null {
    const sealed = ctx.cookies.get(name);
    if (!sealed) return null;
    try {
      const value = JSON.parse(box.open(sealed)) as T;
      return value.exp > now() ? value : null;
    } catch {
      return null; // tampered, or sealed under another key
    }
  }
  const write = (ctx: Context, name: string, value: object, ttl: number) =>
    ctx.cookies.set(name, box.seal(JSON.stringify(value)), options(ctx, ttl));
  const clear = (ctx: Context, name: string) => ctx.cookies.set(name, '', { ...options(ctx, 0), maxAge: 0 });

  return {
    current: (ctx: Context) => read<ConsoleSession>(ctx, SESSION_COOKIE),
    start(ctx: Context, sub: string): ConsoleSession {
      const session = { sub, sid: randomBytes(16).toString('base64url'), exp: now() + CONSOLE_SESSION_TTL };
      write(ctx, SESSION_COOKIE, session, CONSOLE_SESSION_TTL);
      return session;
    },
    end: (ctx: Context) => clear(ctx, SESSION_COOKIE),
    savePending(ctx: Context, p: Omit<PendingLogin, 'exp'>) {
      write(ctx, LOGIN_COOKIE, { ...p, exp: now() + LOGIN_TTL }, LOGIN_TTL);
    },
    /** One use: the pending login is cleared as it is read. */
    takePending(ctx: Context): PendingLogin | null {
      const p = read<PendingLogin>(ctx, LOGIN_COOKIE);
      clear(ctx, LOGIN_COOKIE);
      return p;
    },
  };
}
