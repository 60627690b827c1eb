// The session of one of Gatehouse's own clients (admin console, account
// pages): a sealed (AES-256-GCM, crypto/secret-box.ts) cookie naming the user
// who signed in through Gatehouse's OIDC login, and a second short-lived one
// holding the pending authorization request (state, nonce, PKCE verifier).
// HttpOnly, SameSite=Lax (Strict would drop it on the redirect back from the
// login pages, RFC 6265bis §8.8.2), scoped to the client's path, Secure over
// HTTPS. Each client seals under a box of its own purpose, so one client's
// cookie never opens as another's.
import { randomBytes } from 'node:crypto';
import type { Context } from 'koa';
import type { SecretBox } from '../crypto/secret-box.js';

const LOGIN_TTL = 600;

export interface SealedSession {
  sub: string;
  /** Random per sign-in: keys the CSRF tokens of this session. */
  sid: string;
  exp: number;
  /** The ID token's auth_time (OpenID Connect Core §2): when the user last proved who they are. */
  authTime: number;
}

/** What the callback needs to finish the authorization-code flow it started. */
export interface PendingLogin {
  state: string;
  nonce: string;
  verifier: string;
  returnTo: string;
  exp: number;
}

export interface SealedSessionOptions {
  /** Cookie path: the client's pages. */
  path: string;
  /** Cookie names: the session and the pending login. */
  sessionCookie: string;
  loginCookie: string;
  /** Session lifetime in seconds. */
  ttl: number;
}

export type SealedSessions = ReturnType<typeof createSealedSessions>;

export const nowSeconds = () => Math.floor(Date.now() / 1000);

export function createSealedSessions(box: SecretBox, o: SealedSessionOptions) {
  const options = (ctx: Context, maxAgeSeconds: number) => ({
    httpOnly: true, sameSite: 'lax' as const, secure: ctx.secure, path: o.path, overwrite: true, maxAge: maxAgeSeconds * 1000,
  });
  function read<T extends { exp: number }>(ctx: Context, name: string): T | null {
    const sealed = ctx.cookies.get(name);
    if (!sealed) return null;
    try {
      const value = JSON.parse(box.open(sealed)) as T;
      return value.exp > nowSeconds() ? value : null;
    } catch {
      return null; // tampered, or sealed under another key
    }
  }
  const write = (ctx: Context, name: string, value: object, ttl: number) =>
    ctx.cookies.set(name, box.seal(JSON.stringify(value)), options(ctx, ttl));
  const clear = (ctx: Context, name: string) => ctx.cookies.set(name, '', { ...options(ctx, 0), maxAge: 0 });

  return {
    current: (ctx: Context) => read<SealedSession>(ctx, o.sessionCookie),
    start(ctx: Context, sub: string, authTime = nowSeconds()): SealedSession {
      const session = { sub, sid: randomBytes(16).toString('base64url'), exp: nowSeconds() + o.ttl, authTime };
      write(ctx, o.sessionCookie, session, o.ttl);
      return session;
    },
    end: (ctx: Context) => clear(ctx, o.sessionCookie),
    savePending(ctx: Context, p: Omit<PendingLogin, 'exp'>) {
      write(ctx, o.loginCookie, { ...p, exp: nowSeconds() + LOGIN_TTL }, LOGIN_TTL);
    },
    /** One use: the pending login is cleared as it is read. */
    takePending(ctx: Context): PendingLogin | null {
      const p = read<PendingLogin>(ctx, o.loginCookie);
      clear(ctx, o.loginCookie);
      return p;
    },
  };
}
