// Console page for one user's sign-in security: whether multi-factor sign-in
// is required, the user's second factors (each removable), the recovery codes
// left, and a reset of all factors behind a confirmation page. Every action
// goes through the admin service that audits it (admin/mfa-admin.ts).
import type Router from '@koa/router';
import type { Context } from 'koa';
import type { UserAdmin } from '../user-admin.js';
import type { MfaAdmin } from '../mfa-admin.js';
import type { ConsoleKit } from './console-router.js';

const NOTICES: Record<string, string> = {
  mfa_reset: 'admin.notice.mfaReset', factor_removed: 'admin.notice.factorRemoved',
  mfa_required: 'admin.notice.mfaRequired', mfa_optional: 'admin.notice.mfaOptional',
};

const checked = (v: unknown) => v === 'on' || v === 'true';
const body = (ctx: Context) => (ctx.request.body ?? {}) as Record<string, unknown>;
const back = (ctx: Context, userId: string, notice: string) => {
  ctx.status = 303;
  ctx.redirect(`/admin/users/${encodeURIComponent(userId)}?notice=${notice}`);
};

export function addUserMfaPages(router: Router, deps: { users: UserAdmin; mfa: MfaAdmin }, kit: ConsoleKit): void {
  const { users, mfa } = deps;

  router.get('/users/:userId', ...kit.guard, async (ctx) => {
    const user = await users.get(ctx.params.userId!);
    const factors = await mfa.listFactors(user.id);
    await kit.page(ctx, 'user', { title: user.email, user, factors, notice: NOTICES[String(ctx.query.notice)] ?? null });
  });

  router.post('/users/:userId/mfa-required', ...kit.guard, async (ctx) => {
    const required = checked(body(ctx).mfa_required);
    const user = await mfa.setMfaRequired(ctx.params.userId!, required, kit.actor(ctx));
    back(ctx, user.id, required ? 'mfa_required' : 'mfa_optional');
  });

  router.post('/users/:userId/factors/:factorId/remove', ...kit.guard, async (ctx) => {
    await mfa.removeFactor(ctx.params.userId!, ctx.params.factorId!, kit.actor(ctx));
    back(ctx, ctx.params.userId!, 'factor_removed');
  });

  router.get('/users/:userId/mfa-reset', ...kit.guard, async (ctx) => {
    const user = await users.get(ctx.params.userId!);
    await kit.page(ctx, 'user-mfa-reset', { title: 'admin.mfaReset.title', user, factors: await mfa.listFactors(user.id) });
  });

  router.post('/users/:userId/mfa-reset', ...kit.guard, async (ctx) => {
    await mfa.resetFactors(ctx.params.userId!, kit.actor(ctx));
    back(ctx, ctx.params.userId!, 'mfa_reset');
  });
}
