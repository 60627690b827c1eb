// The second step of a sign-in (pending-login.ts holds who and how far):
// the challenge page (authenticator code, recovery code, and the passkey
// option's slot), and the continue step after a recovery code. Thin: the
// rules are in totp.ts, recovery-codes.ts and finish-login.ts.
import Router from '@koa/router';
import { bodyParser } from '@koa/bodyparser';
import type { Context } from 'koa';
import { amrFor } from './mfa-policy.js';
import { text, type Text } from '../i18n/i18n.js';
import { finishLogin } from './finish-login.js';
import { secondFactorPath } from './after-password.js';
import { formCode, loadStep, lockedMessage, page, type SecondFactorDeps, type Step } from './mfa-step.js';
import type { Guarded } from './mfa-throttle.js';
import { addEnrolRoutes } from './enrol-routes.js';

const WRONG_TOTP = text('mfa.errors.wrongTotp');
const WRONG_RECOVERY = text('mfa.errors.wrongRecovery');

export function buildSecondFactorRoutes(deps: SecondFactorDeps): Router {
  const router = new Router({ prefix: '/interaction/:uid/mfa' });
  const body = bodyParser({ enableTypes: ['form'], formLimit: '8kb' });

  async function challenge(ctx: Context, s: Step, errors: { totp?: Text; recovery?: Text } = {}, status = 200) {
    const factors = await deps.factors.list(s.state.accountId);
    const hasTotp = factors.some((f) => f.kind === 'totp');
    const hasPasskey = factors.some((f) => f.kind === 'passkey');
    await page(deps, ctx, 'mfa-challenge', {
      title: 'Two-step verification', uid: s.d.uid, csrfToken: s.csrfToken, clientName: s.clientName, hasTotp,
      passkeysAvailable: hasPasskey && deps.policy.rpId !== null, recoveryAvailable: (await deps.recovery.remaining(s.state.accountId)) > 0,
      totpError: errors.totp ?? null, recoveryError: errors.recovery ?? null,
      totpAction: `/interaction/${s.d.uid}/mfa/totp`, recoveryAction: `/interaction/${s.d.uid}/mfa/recovery`, abortAction: `/interaction/${s.d.uid}/abort`,
    }, status);
  }

  /** A refused attempt: the message, and 429 with Retry-After while locked (RFC 6585 §4). */
  async function refused(ctx: Context, s: Step, g: Exclude<Guarded, { result: 'ok' }>, which: 'totp' | 'recovery') {
    const wait = g.result === 'locked' ? g.retryAfter : g.lockedFor;
    const message = wait ? lockedMessage(wait) : which === 'totp' ? WRONG_TOTP : WRONG_RECOVERY;
    await challenge(ctx, s, { [which]: message }, wait ? 429 : 200);
    if (wait) ctx.set('Retry-After', String(wait));
  }

  router.get('/', async (ctx) => {
    const s = await loadStep(deps, ctx);
    if (s.state.verified) return continuePage(ctx, s, null);
    if (s.state.mode === 'enrol') return ctx.redirect(secondFactorPath(s.d.uid, 'enrol'));
    await challenge(ctx, s);
  });

  router.post('/totp', body, async (ctx) => {
    const s = await loadStep(deps, ctx);
    if (s.state.mode !== 'challenge') ctx.throw(400, 'Sign-in is not expected at this step.', { reason: 'expired' });
    const g = await deps.totp.verify(s.state.accountId, formCode(ctx), { ip: ctx.ip, clientId: s.clientId });
    if (g.result !== 'ok') return refused(ctx, s, g, 'totp');
    await finishLogin(deps, ctx, s.d.uid, s.state.accountId, amrFor(s.state.first, 'totp'));
  });

  router.post('/recovery', body, async (ctx) => {
    const s = await loadStep(deps, ctx);
    if (s.state.mode !== 'challenge') ctx.throw(400, 'Sign-in is not expected at this step.', { reason: 'expired' });
    const g = await deps.recovery.use(s.state.accountId, formCode(ctx), { ip: ctx.ip, clientId: s.clientId });
    if (g.result !== 'ok') return refused(ctx, s, g, 'recovery');
    deps.pending.update(ctx, { ...s.state, verified: 'recovery' });
    await continuePage(ctx, s, g.remaining);
  });

  /** After a recovery code: how many remain, then continue (POST /finish). */
  async function continuePage(ctx: Context, s: Step, remaining: number | null) {
    await page(deps, ctx, 'mfa-continue', {
      title: 'Verified', csrfToken: s.csrfToken, clientName: s.clientName, remaining,
      action: `/interaction/${s.d.uid}/mfa/finish`,
    });
  }

  router.post('/finish', body, async (ctx) => {
    const s = await loadStep(deps, ctx);
    if (!s.state.verified) return ctx.redirect(secondFactorPath(s.d.uid, s.state.mode));
    ctx.status = 303;
    await finishLogin(deps, ctx, s.d.uid, s.state.accountId, amrFor(s.state.first, s.state.verified));
  });

  addEnrolRoutes(router, deps, body);
  return router;
}
