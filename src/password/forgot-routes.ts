// "Forgot password?": from a sign-in in progress (/interaction/:uid/forgot,
// so the user can come back to it) and standalone (/password/forgot). Every
// valid submission gets the same page with the same status whether or not
// the address has an account; the work that differs happens after the
// response (reset-service.ts). Thin: parse, one call, respond.
import type Router from '@koa/router';
import type { Context, Middleware } from 'koa';
import { z } from 'zod';
import { chooseLanguage } from '../http/locale.js';
import { passwordForms, rememberSignIn } from './form-token.js';
import { RESET_LINK_SECONDS } from './reset-policy.js';
import type { PasswordPageDeps, Page } from './password-routes.js';

const emailForm = z.object({ email: z.email().max(320) });
const parseEmail = (body: unknown) => emailForm.safeParse({ email: String((body as Record<string, unknown> | undefined)?.email ?? '').trim() });

export function addForgotRoutes(router: Router, deps: PasswordPageDeps, page: Page, body: Middleware): void {
  const { provider, csrf, reset } = deps;
  const forms = passwordForms(csrf);

  /** The sign-in in progress in this browser, or a 400 page when it has ended. */
  async function signIn(ctx: Context) {
    const d = await provider.interactionDetails(ctx.req, ctx.res).catch(() => null);
    if (!d || d.uid !== ctx.params.uid) ctx.throw(400, 'This sign-in link has expired. Please return to the application and try again.');
    return { uid: d!.uid, lang: chooseLanguage(deps.i18n, ctx, d!.params.ui_locales), back: `/interaction/${d!.uid}` };
  }

  const form = (ctx: Context, o: { lang: string; action: string; csrfToken: string; back: string | null; email?: string; error?: string | null }, status = 200) =>
    page(ctx, 'password/forgot', { ...o, email: o.email ?? '', error: o.error ?? null }, status);

  async function submit(ctx: Context, o: { lang: string; action: string; csrfToken: string; back: string | null; onQueued?: () => void }) {
    const t = deps.i18n.t(o.lang);
    const parsed = parseEmail(ctx.request.body);
    if (!parsed.success) return form(ctx, { ...o, email: String((ctx.request.body as Record<string, unknown>)?.email ?? '').slice(0, 320), error: t('reset.forgot.invalid-email') }, 400);
    const limited = await reset.request({ email: parsed.data.email, ip: ctx.ip, lang: o.lang });
    if (limited) {
      ctx.set('Retry-After', String(limited.retryAfter));
      const minutes = Math.max(1, Math.ceil(limited.retryAfter / 60));
      return page(ctx, 'password/message', { lang: o.lang, title: t('reset.limited.title'), text: t('reset.limited.text', { count: minutes }), alert: true, link: null }, 429);
    }
    o.onQueued?.();
    return page(ctx, 'password/message', {
      lang: o.lang, title: t('reset.sent.title'), text: t('reset.sent.text', { count: RESET_LINK_SECONDS / 60 }), alert: false,
      link: o.back ? { href: o.back, label: t('reset.back-to-sign-in') } : null,
    });
  }

  router.get('/interaction/:uid/forgot', async (ctx) => {
    const s = await signIn(ctx);
    await form(ctx, { lang: s.lang, action: `${s.back}/forgot`, csrfToken: csrf.token(s.uid), back: s.back });
  });

  router.post('/interaction/:uid/forgot', body, async (ctx) => {
    const s = await signIn(ctx);
    if (!csrf.verify(s.uid, (ctx.request.body as Record<string, unknown> | undefined)?._csrf)) ctx.throw(403, 'This form has expired. Please go back and try again.');
    await submit(ctx, { lang: s.lang, action: `${s.back}/forgot`, csrfToken: csrf.token(s.uid), back: s.back, onQueued: () => rememberSignIn(ctx, s.uid, RESET_LINK_SECONDS) });
  });

  router.get('/password/forgot', async (ctx) => {
    await form(ctx, { lang: ctx.state.lang as string, action: '/password/forgot', csrfToken: forms.token(ctx), back: null });
  });

  router.post('/password/forgot', body, async (ctx) => {
    if (!forms.verify(ctx)) ctx.throw(403, 'This form has expired. Please go back and try again.');
    await submit(ctx, { lang: ctx.state.lang as string, action: '/password/forgot', csrfToken: forms.token(ctx), back: null });
  });
}
