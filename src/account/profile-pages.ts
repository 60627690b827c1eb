// /account (the landing page): the user's name and email address, and the
// confirmation of a new address (the link from the change-email message).
// The link's GET only shows a button; the POST, with the CSRF token of the
// signed-in session, spends it, so mail scanners that follow links cannot.
import type Router from '@koa/router';
import type { Context } from 'koa';
import { z } from 'zod';
import type { SectionKit, SelfServiceDeps } from './self-service-pages.js';
import { noticeText } from './section-kit.js';

const NOTICES = ['name_saved', 'email_sent', 'email_changed'] as const;
const MAX_NAME = 200;
const CONTROL = /[\u0000-\u001f\u007f]/;
const email = z.string().max(320).email();

export function addProfilePages(router: Router, deps: SelfServiceDeps, kit: SectionKit): void {
  const { profile } = deps;
  async function show(ctx: Context, extra: { error?: string; errorFor?: string; newEmail?: string } = {}, status = 200) {
    const t = kit.t(ctx);
    const user = await profile.user(kit.state(ctx).userId);
    await kit.page(ctx, 'profile', {
      title: t('account.profile.title'), user, notice: noticeText(t, 'profile', NOTICES, ctx.query.notice),
      error: extra.error ?? null, errorFor: extra.errorFor ?? null, newEmail: extra.newEmail ?? '',
    }, status);
  }
  const message = (ctx: Context, key: string, status: number) => {
    const t = kit.t(ctx);
    return kit.page(ctx, 'message', {
      title: t(`account.profile.${key}.title`), text: t(`account.profile.${key}.text`), link: { href: '/account', label: t('account.profile.back') },
    }, status);
  };

  router.get('/', ...kit.guard, (ctx) => show(ctx));

  router.post('/profile/name', ...kit.guard, kit.recent, async (ctx) => {
    const values = ['name', 'given_name', 'family_name'].map((f) => kit.field(ctx, f));
    if (values.some((v) => v.length > MAX_NAME)) return show(ctx, { error: kit.t(ctx)('account.profile.name_too_long', { max: MAX_NAME }), errorFor: 'name' }, 400);
    // Control characters (NUL cannot even be stored) are never part of a name.
    if (values.some((v) => CONTROL.test(v))) return show(ctx, { error: kit.t(ctx)('account.profile.name_invalid'), errorFor: 'name' }, 400);
    const [name = null, givenName = null, familyName = null] = values.map((v) => v || null);
    if (!(await profile.updateName(kit.self(ctx), { name, givenName, familyName }))) return message(ctx, 'link_invalid', 404);
    kit.done(ctx, '/account', 'name_saved');
  });

  router.post('/profile/email', ...kit.guard, kit.recent, async (ctx) => {
    const value = kit.field(ctx, 'email');
    if (!email.safeParse(value).success) return show(ctx, { error: kit.t(ctx)('account.profile.email_invalid'), errorFor: 'email', newEmail: value }, 400);
    try {
      await profile.requestEmailChange(kit.self(ctx), value, kit.lang(ctx));
    } catch {
      // The mail server refused or is down: nothing changed, the user can retry.
      return show(ctx, { error: kit.t(ctx)('account.profile.email_send_failed'), errorFor: 'email', newEmail: value }, 503);
    }
    kit.done(ctx, '/account', 'email_sent');
  });

  router.get('/email/confirm', ...kit.guard, async (ctx) => {
    const token = typeof ctx.query.token === 'string' ? ctx.query.token : '';
    const found = token ? await profile.peekEmailChange(kit.state(ctx).userId, token) : null;
    if (!found) return message(ctx, 'link_invalid', 400);
    const t = kit.t(ctx);
    await kit.page(ctx, 'email-confirm', { title: t('account.profile.confirm.title'), newEmail: found.email, token });
  });

  router.post('/email/confirm', ...kit.guard, async (ctx) => {
    const result = await profile.confirmEmailChange(kit.self(ctx), kit.field(ctx, 'token'), kit.lang(ctx));
    if (result.ok) return kit.done(ctx, '/account', 'email_changed');
    await message(ctx, result.reason === 'taken' ? 'email_taken' : 'link_invalid', result.reason === 'taken' ? 409 : 400);
  });
}
