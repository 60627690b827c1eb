// /account/security: the user's second factors, with rename, remove and new
// recovery codes (issue 14). Changes need a recent sign-in (kit.recent) and
// are audited by factor-changes.ts; routes parse the form and make one call.
import type Router from '@koa/router';
import type { Context } from 'koa';
import type { FactorChanges, Self } from './factor-changes.js';
import type { AccountKit } from './account-router.js';
import { factorView } from './factor-view.js';
import { text, type Text } from '../i18n/i18n.js';

// Catalogue keys (locales account.security.*), translated in the views.
const NOTICES = new Set(['renamed', 'removed', 'totp_added', 'passkey_added']);
const REQUIRED = text('account.security.errors.required');
const MAX_NAME = 100;

const field = (ctx: Context, name: string) => {
  const v = (ctx.request.body as Record<string, unknown> | undefined)?.[name];
  return typeof v === 'string' ? v.trim() : '';
};

/** Which "add" buttons the page shows (none when MFA_POLICY=off). */
export interface Offers {
  totp: boolean;
  passkey: boolean;
}

export function addSecurityPages(router: Router, changes: FactorChanges, kit: AccountKit, offers: Offers): void {
  const self = (ctx: Context): Self => ({ userId: kit.state(ctx).userId, ip: ctx.ip });
  const done = (ctx: Context, notice: string) => {
    ctx.status = 303;
    ctx.redirect(`/account/security?notice=${notice}`);
  };
  async function show(ctx: Context, extra: { error?: Text; errorFor?: string } = {}, status = 200) {
    const o = await changes.overview(kit.state(ctx).userId);
    await kit.page(ctx, 'security', {
      title: 'account.security.title', factors: o.factors.map((f) => factorView(f, ctx.state.lang)), recoveryRemaining: o.recoveryRemaining, mfaRequired: o.mfaRequired,
      notice: NOTICES.has(String(ctx.query.notice)) ? `account.security.notice.${String(ctx.query.notice)}` : null, error: extra.error ?? null, errorFor: extra.errorFor ?? null,
      addTotp: offers.totp, addPasskey: offers.passkey, mfaOff: !offers.totp,
    }, status);
  }
  const notFound = (ctx: Context) => kit.page(ctx, 'message', {
    title: 'account.security.notFound.title', text: 'account.security.notFound.text', link: { href: '/account/security', label: 'account.security.back' },
  }, 404);

  router.get('/security', ...kit.guard, (ctx) => show(ctx));

  router.post('/security/factors/:id/rename', ...kit.guard, kit.recent, async (ctx) => {
    const name = field(ctx, 'name');
    if (!name || name.length > MAX_NAME) {
      return show(ctx, { error: text('account.security.errors.nameLength', { max: MAX_NAME }), errorFor: ctx.params.id }, 400);
    }
    if (!(await changes.rename(self(ctx), ctx.params.id!, name))) return notFound(ctx);
    done(ctx, 'renamed');
  });

  router.get('/security/factors/:id/remove', ...kit.guard, kit.recent, async (ctx) => {
    const factor = (await changes.overview(kit.state(ctx).userId)).factors.find((f) => f.id === ctx.params.id);
    if (!factor) return notFound(ctx);
    await kit.page(ctx, 'remove', { title: 'account.security.remove.pageTitle', factor: factorView(factor, ctx.state.lang) });
  });

  router.post('/security/factors/:id/remove', ...kit.guard, kit.recent, async (ctx) => {
    const result = await changes.remove(self(ctx), ctx.params.id!);
    if (result.ok) return done(ctx, 'removed');
    if (result.reason === 'not_found') return notFound(ctx);
    await show(ctx, { error: REQUIRED }, 409);
  });

  router.post('/security/recovery-codes', ...kit.guard, kit.recent, async (ctx) => {
    const codes = await changes.regenerateRecoveryCodes(self(ctx));
    if (!codes) return show(ctx, { error: text('account.security.errors.codesNeedFactor') }, 409);
    await kit.page(ctx, 'recovery-codes', { title: 'account.security.codes.newTitle', codes, first: false });
  });
}
