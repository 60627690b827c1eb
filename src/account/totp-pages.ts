// "Add an authenticator app" on /account/security: the flow helper's TOTP
// enrolment (src/mfa/totp.ts: secret, otpauth URI, server-drawn QR, first
// code confirms, throttled like passwords, audited mfa.totp.enrol) behind the
// account session. Post/redirect/get: starting creates the pending factor,
// its page can be reloaded. A first factor comes with recovery codes
// (recovery-codes.ts enrol), shown once.
import type Router from '@koa/router';
import type { Context } from 'koa';
import type { Totp, TotpEnrolment } from '../mfa/totp.js';
import type { RecoveryCodes } from '../mfa/recovery-codes.js';
import type { FactorStore } from '../mfa/factor-store.js';
import { lockedMessage } from '../mfa/mfa-step.js';
import { text, type Text } from '../i18n/i18n.js';
import { ACCOUNT_CLIENT_ID } from './account-setup.js';
import type { AccountKit } from './account-router.js';

export interface TotpPageDeps {
  totp: Totp;
  recovery: RecoveryCodes;
  factors: FactorStore;
}

const WRONG = text('mfa.errors.wrongFirstCode');
const DEFAULT_NAME = 'Authenticator app';

const field = (ctx: Context, name: string, max: number) => {
  const v = (ctx.request.body as Record<string, unknown> | undefined)?.[name];
  return typeof v === 'string' ? v.trim().slice(0, max) : '';
};

export function addTotpPages(router: Router, deps: TotpPageDeps, kit: AccountKit): void {
  const where = (ctx: Context) => ({ ip: ctx.ip, clientId: ACCOUNT_CLIENT_ID });
  const enrolPage = (ctx: Context, e: TotpEnrolment, values: { name: string; error: string | Text | null }, status = 200) =>
    kit.page(ctx, 'totp', { title: 'account.security.totp.title', enrolment: e, ...values }, status);

  router.post('/security/totp', ...kit.guard, kit.recent, async (ctx) => {
    const { userId, email } = kit.state(ctx);
    const e = await deps.totp.start(userId, email, DEFAULT_NAME);
    ctx.status = 303;
    ctx.redirect(`/account/security/totp/${e.factorId}`);
  });

  router.get('/security/totp/:id', ...kit.guard, kit.recent, async (ctx) => {
    const { userId, email } = kit.state(ctx);
    const e = await deps.totp.pending(userId, ctx.params.id!, email);
    if (!e) return ctx.redirect('/account/security'); // confirmed already, or replaced by a newer start
    await enrolPage(ctx, e, { name: DEFAULT_NAME, error: null });
  });

  router.post('/security/totp/:id', ...kit.guard, kit.recent, async (ctx) => {
    const { userId, email } = kit.state(ctx);
    const id = ctx.params.id!;
    const e = await deps.totp.pending(userId, id, email);
    if (!e) return kit.page(ctx, 'message', { title: 'account.security.setupExpired.title', text: 'account.security.setupExpired.text', link: { href: '/account/security', label: 'account.security.back' } }, 404);
    const name = field(ctx, 'name', 100) || DEFAULT_NAME;
    const g = await deps.totp.confirm(userId, id, field(ctx, 'code', 64), where(ctx));
    if (g.result !== 'ok') {
      const wait = g.result === 'locked' ? g.retryAfter : g.lockedFor;
      if (wait) ctx.set('Retry-After', String(wait));
      return enrolPage(ctx, e, { name, error: wait ? lockedMessage(wait) : WRONG }, wait ? 429 : 400);
    }
    if (name !== DEFAULT_NAME) await deps.factors.rename(userId, id, name);
    // Codes stand in for a lost factor: a user who has none (first factor, or all spent) gets ten now.
    if ((await deps.recovery.remaining(userId)) === 0) {
      const codes = await deps.recovery.enrol(userId, where(ctx));
      return kit.page(ctx, 'recovery-codes', { title: 'mfa.codes.title', codes, first: true });
    }
    ctx.status = 303;
    ctx.redirect('/account/security?notice=totp_added');
  });
}
