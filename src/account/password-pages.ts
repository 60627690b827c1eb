// /account/password: change the password (current one required, the policy
// of users/password-policy.ts for the new one, "sign out my other sessions"
// on by default). Needs a recent sign-in like every change.
import type Router from '@koa/router';
import type { Context } from 'koa';
import { passwordProblemText, PASSWORD_MAX_LENGTH } from '../users/password-policy.js';
import type { SectionKit, SelfServiceDeps } from './self-service-pages.js';
import { noticeText } from './section-kit.js';

const NOTICES = ['changed'] as const;

/** A password field as typed: never trimmed (spaces are part of a password). */
const raw = (ctx: Context, name: string) => {
  const v = (ctx.request.body as Record<string, unknown> | undefined)?.[name];
  return typeof v === 'string' ? v : '';
};

export function addPasswordPages(router: Router, deps: SelfServiceDeps, kit: SectionKit): void {
  async function show(ctx: Context, extra: { error?: string; errorFor?: string } = {}, status = 200) {
    const t = kit.t(ctx);
    await kit.page(ctx, 'password', {
      title: t('account.password.title'), notice: noticeText(t, 'password', NOTICES, ctx.query.notice),
      error: extra.error ?? null, errorFor: extra.errorFor ?? null, minLength: deps.passwordMinLength, maxLength: PASSWORD_MAX_LENGTH,
      sessionsEnded: typeof ctx.query.ended === 'string' ? Number.parseInt(ctx.query.ended, 10) || 0 : null,
    }, status);
  }

  router.get('/password', ...kit.guard, (ctx) => show(ctx));

  router.post('/password', ...kit.guard, kit.recent, async (ctx) => {
    const t = kit.t(ctx);
    const current = raw(ctx, 'current_password');
    const next = raw(ctx, 'new_password');
    if (!current) return show(ctx, { error: t('account.password.current_missing'), errorFor: 'current' }, 400);
    if (next !== raw(ctx, 'confirm_password')) return show(ctx, { error: t('account.password.mismatch'), errorFor: 'new' }, 400);
    const result = await deps.changePassword(kit.self(ctx), {
      current, next, signOutOthers: kit.field(ctx, 'sign_out_others') === 'on', thisUid: await deps.currentSession(ctx),
    });
    if (result.ok) {
      ctx.status = 303;
      return ctx.redirect(`/account/password?notice=changed&ended=${result.sessionsEnded}`);
    }
    if (result.reason === 'locked') return show(ctx, { error: t('account.password.locked', { minutes: Math.max(1, Math.ceil(result.retryAfter / 60)) }), errorFor: 'current' }, 429);
    if (result.reason === 'wrong') return show(ctx, { error: t('account.password.current_wrong'), errorFor: 'current' }, 400);
    // Catalogue key password.<problem> (locales/), English from the policy until it is there.
    const min = deps.passwordMinLength;
    const error = t(`password.${result.problem}`, { defaultValue: passwordProblemText(result.problem, min), min, minLength: min, count: min, max: PASSWORD_MAX_LENGTH });
    await show(ctx, { error, errorFor: 'new' }, 400);
  });
}
