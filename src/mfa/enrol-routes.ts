// Enrolment during sign-in, for a user who must use a second factor and has
// none (mfa-policy.ts mfaNeed 'enrol'): an authenticator app (QR code and the
// secret in text, confirmed by a first code) or, where offered, a passkey
// (the partial views/partials/mfa-passkey-option.ejs); then the ten recovery
// codes, shown once; then the sign-in finishes (POST ../finish).
import type Router from '@koa/router';
import type { Context, Middleware } from 'koa';
import { formCode, loadStep, lockedMessage, page, type SecondFactorDeps, type Step } from './mfa-step.js';
import { secondFactorPath } from './after-password.js';
import { text, type Text } from '../i18n/i18n.js';
import type { TotpEnrolment } from './totp.js';

const WRONG_FIRST_CODE = text('mfa.errors.wrongFirstCode');

export function addEnrolRoutes(router: Router, deps: SecondFactorDeps, body: Middleware): void {
  /** The enrolment step, or null after redirecting (not enrolling, or already verified). */
  async function enrolling(ctx: Context): Promise<(Step & { email: string }) | null> {
    const s = await loadStep(deps, ctx);
    if (s.state.mode !== 'enrol' || s.state.verified) {
      ctx.redirect(secondFactorPath(s.d.uid, 'challenge'));
      return null;
    }
    // Enrolling needs no second factor only while the user has none.
    const [user, factors] = await Promise.all([deps.users.findById(s.state.accountId), deps.factors.list(s.state.accountId)]);
    if (!user || factors.length) ctx.throw(400, 'A second factor is already set up for this account. Please start the sign-in again.', { reason: 'expired' });
    return { ...s, email: user.email };
  }

  async function enrolPage(ctx: Context, s: Step, e: TotpEnrolment, error: Text | null, status = 200) {
    await page(deps, ctx, 'mfa-enrol', {
      title: 'Set up two-step verification', uid: s.d.uid, csrfToken: s.csrfToken, clientName: s.clientName,
      qr: e.qr, secret: e.secret, error, action: `/interaction/${s.d.uid}/mfa/enrol/totp`,
      passkeysAvailable: deps.policy.rpId !== null, abortAction: `/interaction/${s.d.uid}/abort`,
    }, status);
  }

  /** The pending authenticator of this sign-in, started on first view. */
  async function enrolment(ctx: Context, s: Step & { email: string }): Promise<TotpEnrolment> {
    const existing = s.state.enrolFactorId ? await deps.totp.pending(s.state.accountId, s.state.enrolFactorId, s.email) : null;
    if (existing) return existing;
    const e = await deps.totp.start(s.state.accountId, s.email);
    deps.pending.update(ctx, { ...s.state, enrolFactorId: e.factorId });
    return e;
  }

  router.get('/enrol', async (ctx) => {
    const s = await enrolling(ctx);
    if (s) await enrolPage(ctx, s, await enrolment(ctx, s), null);
  });

  router.post('/enrol/totp', body, async (ctx) => {
    const s = await enrolling(ctx);
    if (!s) return;
    const factorId = s.state.enrolFactorId;
    const e = factorId ? await deps.totp.pending(s.state.accountId, factorId, s.email) : null;
    if (!factorId || !e) return ctx.redirect(secondFactorPath(s.d.uid, 'enrol'));
    const g = await deps.totp.confirm(s.state.accountId, factorId, formCode(ctx), { ip: ctx.ip, clientId: s.clientId });
    if (g.result !== 'ok') {
      const wait = g.result === 'locked' ? g.retryAfter : g.lockedFor;
      await enrolPage(ctx, s, e, wait ? lockedMessage(wait) : WRONG_FIRST_CODE, wait ? 429 : 200);
      if (wait) ctx.set('Retry-After', String(wait));
      return;
    }
    const codes = await deps.recovery.enrol(s.state.accountId, { ip: ctx.ip, clientId: s.clientId });
    deps.pending.update(ctx, { ...s.state, verified: 'totp' });
    await page(deps, ctx, 'mfa-recovery-codes', {
      title: 'Save your recovery codes', csrfToken: s.csrfToken, clientName: s.clientName, codes,
      action: `/interaction/${s.d.uid}/mfa/finish`,
    });
  });
}
