// The state between the first and the second factor of one sign-in, kept in
// the browser: sealed (AES-GCM, its own purpose: crypto/secret-box.ts), bound
// to the interaction uid, expiring, in an httpOnly SameSite=Lax cookie whose
// path is the interaction's own (/interaction/<uid>). Everything the second
// step relies on (who signed in, with what, which authenticator is being
// enrolled, whether a second factor was verified) comes from here; the form
// only ever supplies the code.
import type { Context } from 'koa';
import type { SecretBox } from '../crypto/secret-box.js';
import type { SecondFactor } from './mfa-policy.js';

export type FirstFactor = 'pwd' | 'passkey-hwk' | 'passkey-swk';

export interface PendingState {
  uid: string;
  accountId: string;
  /** The first factor, already verified (this request or the SSO session's). */
  first: FirstFactor;
  /** 'challenge' asks for an enrolled factor; 'enrol' walks through enrolment. */
  mode: 'challenge' | 'enrol';
  /** The pending TOTP factor being enrolled (totp.ts start()). */
  enrolFactorId?: string;
  /** Set once a second factor was verified; the login can then finish. */
  verified?: SecondFactor;
  /** Expiry, epoch milliseconds. */
  exp: number;
}

export const PENDING_TTL_MS = 10 * 60 * 1000;
const COOKIE = 'gatehouse.mfa';
const path = (uid: string) => `/interaction/${uid}`;

export type PendingLogin = ReturnType<typeof createPendingLogin>;

export function createPendingLogin(box: SecretBox, ttlMs = PENDING_TTL_MS) {
  const write = (ctx: Context, state: PendingState) =>
    ctx.cookies.set(COOKIE, box.seal(JSON.stringify(state)), {
      httpOnly: true, sameSite: 'lax', secure: ctx.secure, path: path(state.uid), signed: false, overwrite: true,
      expires: new Date(state.exp),
    });
  return {
    /** Starts the second step (a fresh expiry). */
    start(ctx: Context, state: Omit<PendingState, 'exp'>): PendingState {
      const full = { ...state, exp: Date.now() + ttlMs };
      write(ctx, full);
      return full;
    },

    /** Updates the state of a step in progress (keeps its expiry). */
    update(ctx: Context, state: PendingState): void {
      write(ctx, state);
    },

    /** The state for this interaction, or null (absent, tampered, another interaction's, expired). */
    read(ctx: Context, uid: string): PendingState | null {
      const raw = ctx.cookies.get(COOKIE, { signed: false });
      if (!raw) return null;
      try {
        const s = JSON.parse(box.open(raw)) as PendingState;
        return s.uid === uid && typeof s.accountId === 'string' && s.exp > Date.now() ? s : null;
      } catch {
        return null;
      }
    },

    clear(ctx: Context, uid: string): void {
      ctx.cookies.set(COOKIE, null, { path: path(uid), signed: false, httpOnly: true, sameSite: 'lax', secure: ctx.secure });
    },
  };
}
