// TOTP (RFC 6238) authenticators: enrolment with an otpauth:// URI and a QR
// code drawn on the server (SVG, no external service), verification within
// ±1 time step (§5.2 "at most one time step" of network delay / clock
// drift), each step accepted once (factor-store.ts acceptTotpStep: replay
// refused), attempts throttled (mfa-throttle.ts). Secrets are sealed at rest
// by the factor store; they and the codes never reach a log or an event.
import * as OTPAuth from 'otpauth';
import QRCode from 'qrcode';
import type { FactorStore } from './factor-store.js';
import type { SecurityEvents } from '../security/security-events.js';
import type { Guarded, MfaGuard } from './mfa-throttle.js';

export const TOTP_PERIOD = 30;
const DIGITS = 6;
/** RFC 4226 §4 R6: a shared secret of at least 128 bits; 160 bits is the SHA-1 block recommendation. */
const SECRET_BYTES = 20;

const totpOf = (secret: string, issuer = '', label = '') =>
  new OTPAuth.TOTP({ issuer, label, secret: OTPAuth.Secret.fromBase32(secret), algorithm: 'SHA1', digits: DIGITS, period: TOTP_PERIOD });

export const newTotpSecret = () => new OTPAuth.Secret({ size: SECRET_BYTES }).base32;

/** What people type: spaces are allowed ("123 456"). */
export const cleanCode = (code: string) => code.replace(/\s/g, '');

/**
 * The RFC 6238 time step T whose code `code` is, within one step of `now`,
 * or null. otpauth compares in constant time.
 */
export function matchStep(secret: string, code: string, now = Date.now()): number | null {
  const token = cleanCode(code);
  if (!/^\d{6}$/.test(token)) return null;
  const delta = totpOf(secret).validate({ token, timestamp: now, window: 1 });
  return delta === null ? null : Math.floor(now / 1000 / TOTP_PERIOD) + delta;
}

export interface TotpEnrolment {
  factorId: string;
  secret: string;
  uri: string;
  /** data: URI of an SVG QR code (CSP img-src allows data:, src/http/security-headers.ts). */
  qr: string;
}

export interface TotpDeps {
  factors: FactorStore;
  events: SecurityEvents;
  guard: MfaGuard;
  issuer: string;
}

export type Totp = ReturnType<typeof createTotp>;

export function createTotp({ factors, events, guard, issuer }: TotpDeps) {
  const show = async (factorId: string, secret: string, email: string): Promise<TotpEnrolment> => {
    const uri = totpOf(secret, issuer, email).toString();
    const svg = await QRCode.toString(uri, { type: 'svg', errorCorrectionLevel: 'M', margin: 1 });
    return { factorId, secret, uri, qr: `data:image/svg+xml;base64,${Buffer.from(svg).toString('base64')}` };
  };
  const check = async (userId: string, factorId: string, code: string) => {
    const stored = await factors.totpSecret(userId, factorId);
    const step = stored ? matchStep(stored.secret, code) : null;
    return step !== null && factors.acceptTotpStep(userId, factorId, step);
  };
  const audit = (type: string, userId: string, g: Guarded, ctx: { ip: string; clientId?: string | null }, details: Record<string, unknown> = {}) =>
    events.record({
      type, subject: userId, ip: ctx.ip, clientId: ctx.clientId ?? null,
      outcome: g.result === 'ok' ? 'success' : g.result === 'locked' ? 'denied' : 'failure',
      details: g.result === 'locked' ? { ...details, reason: 'locked', retryAfter: g.retryAfter } : g.result === 'wrong' ? { ...details, lockedFor: g.lockedFor } : details,
    });

  return {
    /** A new pending authenticator (replacing an earlier pending one); active once confirmed. */
    async start(userId: string, email: string, name = 'Authenticator app'): Promise<TotpEnrolment> {
      const secret = newTotpSecret();
      const factor = await factors.addTotp(userId, name, secret);
      return show(factor.id, secret, email);
    },

    /** The same pending enrolment again (a reload, a wrong first code); null once confirmed or gone. */
    async pending(userId: string, factorId: string, email: string): Promise<TotpEnrolment | null> {
      const stored = await factors.totpSecret(userId, factorId);
      return stored && !stored.confirmed ? show(factorId, stored.secret, email) : null;
    },

    /** Confirms a pending authenticator with its first code (audited mfa.totp.enrol). */
    async confirm(userId: string, factorId: string, code: string, ctx: { ip: string; clientId?: string | null }): Promise<Guarded> {
      const g = await guard(userId, ctx.ip, () => check(userId, factorId, code));
      await audit('mfa.totp.enrol', userId, g, ctx, { factorId });
      return g;
    },

    /** Checks a code against the user's confirmed authenticators (audited mfa.totp.verify). */
    async verify(userId: string, code: string, ctx: { ip: string; clientId?: string | null }): Promise<Guarded> {
      const totps = (await factors.list(userId)).filter((f) => f.kind === 'totp');
      const g = await guard(userId, ctx.ip, async () => {
        for (const f of totps) if (await check(userId, f.id, code)) return true;
        return false;
      });
      await audit('mfa.totp.verify', userId, g, ctx);
      return g;
    },
  };
}
